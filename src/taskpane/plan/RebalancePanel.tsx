/**
 * Rebalance / 重新平衡 in the Plan step: after a plan is written, the user types new values into the
 * Plan Matrix; Rebalance reads the cells typed over since the tool wrote them (the host compares the
 * sheet with the plan's matrix, as the live refresh does), holds each one, plans again with them and
 * the Holds table's holds, and previews what moves. Write writes the plan's sheets, as Write plan
 * does (nothing when there is a problem, nothing when the workbook changed since), and, with Keep
 * ticked, the holds into the Holds / 锁定值 table so the next plan keeps them.
 */
import * as React from "react";
import {
  Button,
  Checkbox,
  Link,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from "@fluentui/react-components";
import type { HoldRow } from "../../engine/types";
import type { Problem } from "../../engine/problems";
import type { AddinHost, HoldsWritten } from "../../hosts/addin";
import type { RawTable, WriteSummary } from "../../hosts/host";
import type { SheetSpec } from "../../report/spec";
import { tierName } from "../../report/labels";
import { sheetInRef } from "../../contract/refs";
import { useLocale } from "../locale";
import {
  findHoldsTable,
  holdsToKeep,
  rebalancePreview,
  typedHolds,
  type HoldsPlan,
  type RebalancePreview,
} from "../model/rebalance";
import { errorMessage, isWorkbookChanged } from "../model/write";
import { ConfirmButtons, ErrorPanel, Notice, SheetLinks } from "../panels";
import { planFromTables } from "../pipeline";
import { withHolds } from "../../hosts/run";
import { ProblemList } from "../ProblemList";
import type { WorkbookState } from "../useWorkbook";

/** Lines of the preview shown; the rest are counted. */
export const REBALANCE_ROWS_SHOWN = 40;

const useStyles = makeStyles({
  section: {
    marginTop: tokens.spacingVerticalL,
    display: "flex",
    flexDirection: "column",
    alignItems: "stretch",
    gap: tokens.spacingVerticalS,
  },
  muted: { color: tokens.colorNeutralForeground2 },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS },
  preview: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  table: { borderCollapse: "collapse", width: "100%", fontSize: tokens.fontSizeBase200 },
  cell: {
    textAlign: "left",
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
  },
  number: {
    textAlign: "right",
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
    whiteSpace: "nowrap",
  },
  held: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorBrandForeground1 },
  list: { listStyleType: "none", margin: 0, padding: 0 },
});

interface Ready {
  preview: RebalancePreview;
  sheets: SheetSpec[];
  /** The tables the plans were computed from (the write checks the workbook against their read). */
  tables: RawTable[];
  keep: HoldsPlan;
  /** Every hold the plan was run with besides the Holds table's (typed now, or written unkept before). */
  holds: HoldRow[];
  /** Of those, the holds typed now (what Keep writes into the Holds table). */
  typed: HoldRow[];
}

type State =
  | { status: "idle" }
  | { status: "reading" }
  | { status: "noMatrix" }
  | { status: "nothing" }
  | { status: "problems"; problems: Problem[] }
  | ({ status: "preview" } & Ready)
  | ({ status: "writing" } & Ready)
  | {
      status: "written";
      summary: WriteSummary;
      kept?: HoldsWritten;
      keepFailed?: { sheet: string; message: string };
    }
  | { status: "changed" }
  | { status: "failed"; message: string };

export interface RebalancePanelProps {
  host: AddinHost;
  workbook: Pick<WorkbookState, "readTables" | "fingerprintOf" | "setup">;
}

/**
 * Reads what was typed into the Plan Matrix and plans with it: the preview, or why not. `written`:
 * the holds of a rebalance this pane wrote without keeping them, so that the matrix it wrote is
 * the plan compared against (their cells are not read as typed again).
 */
export async function computeRebalance(
  host: AddinHost,
  workbook: RebalancePanelProps["workbook"],
  written: readonly HoldRow[] = []
): Promise<State> {
  const { choices, plan: overrides } = workbook.setup;
  const tables = await workbook.readTables();
  const base = await planFromTables(tables, { choices, overrides, holds: [...written] });
  if (!base.ok) return { status: "problems", problems: base.problems };
  const matrix = base.sheets.find((s) => s.kind === "matrix");
  if (!matrix || !host.readEdits) return { status: "noMatrix" };
  const edits = await host.readEdits(matrix);
  if (edits.status !== "read") return { status: "noMatrix" };
  if (!edits.sameShape)
    return {
      status: "problems",
      problems: [{ ref: `${sheetInRef(edits.sheet)}!A1`, code: "rebalanceMatrixStale" }],
    };
  const { typed, problems } = typedHolds(base.result, edits.sheet, edits.cells);
  if (problems.length > 0) return { status: "problems", problems };
  if (typed.length === 0) return { status: "nothing" };
  const holds = withHolds(
    written,
    typed.map((t) => t.hold)
  );
  const after = await planFromTables(tables, { choices, overrides, holds });
  if (!after.ok) return { status: "problems", problems: after.problems };
  const tableHolds = base.workbook.input.holds ?? [];
  const found = (
    base.workbook.sources as Record<string, { name: string; source: "table" | "sheet" } | undefined>
  ).holds;
  const keep = holdsToKeep(
    typed,
    tableHolds,
    findHoldsTable(tables, found),
    after.result,
    after.lang
  );
  return {
    status: "preview",
    preview: rebalancePreview(
      base.result,
      after.result,
      typed,
      tableHolds,
      edits.sheet,
      after.lang
    ),
    sheets: after.sheets,
    tables,
    keep,
    holds,
    typed: typed.map((t) => t.hold),
  };
}

export default function RebalancePanel({ host, workbook }: RebalancePanelProps) {
  const { t, lang } = useLocale();
  const styles = useStyles();
  const [state, setState] = React.useState<State>({ status: "idle" });
  const [keep, setKeep] = React.useState(true);
  // Holds of a rebalance written without keeping them: the matrix on the sheet is their plan.
  const written = React.useRef<HoldRow[]>([]);

  const compute = async () => {
    setState({ status: "reading" });
    try {
      setState(await computeRebalance(host, workbook, written.current));
    } catch (e) {
      setState({ status: "failed", message: errorMessage(e) });
    }
  };

  const write = async () => {
    if (state.status !== "preview") return;
    const ready: Ready = state;
    setState({ ...ready, status: "writing" });
    let summary: WriteSummary;
    try {
      const since = workbook.fingerprintOf(ready.tables);
      summary = await host.writeSheets(ready.sheets, { since });
    } catch (e) {
      setState(
        isWorkbookChanged(e)
          ? { status: "changed" }
          : { status: "failed", message: errorMessage(e) }
      );
      return;
    }
    let kept: HoldsWritten | undefined;
    let keepFailed: { sheet: string; message: string } | undefined;
    if (keep && ready.keep.ok && host.writeHolds) {
      try {
        kept = await host.writeHolds(ready.keep.write);
      } catch (e) {
        keepFailed = { sheet: ready.keep.sheet, message: errorMessage(e) };
      }
    }
    // Kept, they are the Holds table's now; not kept, the pane remembers them for the next Rebalance.
    written.current = kept ? ready.holds.filter((h) => !ready.typed.includes(h)) : ready.holds;
    setState({
      status: "written",
      summary,
      ...(kept ? { kept } : {}),
      ...(keepFailed ? { keepFailed } : {}),
    });
    // The preview follows the workbook as it is now (the Holds table's new rows included).
    void workbook.readTables().catch(() => undefined);
  };

  const busy = state.status === "reading" || state.status === "writing";
  const list = (names: string[]) => names.join(t("listSeparator"));
  const ready = state.status === "preview" || state.status === "writing" ? state : undefined;
  const keepPlan = ready?.keep;
  const canKeep = keepPlan?.ok === true && host.writeHolds !== undefined;

  return (
    <section className={styles.section} aria-labelledby="rebalance-heading" data-testid="rebalance">
      <h3 id="rebalance-heading">{t("rebalanceHeading")}</h3>
      <Text size={200} className={styles.muted}>
        {t("rebalanceIntro")}
      </Text>
      <div className={styles.buttons}>
        <Button data-testid="rebalance-button" disabled={busy} onClick={() => void compute()}>
          {t("rebalance")}
        </Button>
      </div>
      {state.status === "reading" ? <Spinner size="tiny" label={t("rebalancing")} /> : null}
      {state.status === "noMatrix" ? (
        <Notice intent="info" message={t("rebalanceNoMatrix")} />
      ) : null}
      {state.status === "nothing" ? <Notice intent="info" message={t("rebalanceNothing")} /> : null}
      {state.status === "changed" ? (
        <Notice intent="warning" message={t("rebalanceChanged")} />
      ) : null}
      {ready ? (
        <div className={styles.preview} data-testid="rebalance-preview">
          <Text data-testid="rebalance-summary">
            {t("rebalanceSummary", { typed: ready.preview.typed, moved: ready.preview.moved })}
          </Text>
          {ready.preview.tableHolds > 0 ? (
            <Text size={200}>{t("rebalanceTableHolds", { count: ready.preview.tableHolds })}</Text>
          ) : null}
          <table className={styles.table} aria-label={t("rebalanceTableLabel")}>
            <thead>
              <tr>
                <th className={styles.cell} scope="col">
                  {t("rebalanceMember")}
                </th>
                <th className={styles.cell} scope="col">
                  {t("rebalancePeriod")}
                </th>
                <th className={styles.cell} scope="col">
                  {t("rebalanceTier")}
                </th>
                <th className={styles.number} scope="col">
                  {t("rebalanceChange")}
                </th>
              </tr>
            </thead>
            <tbody>
              {ready.preview.rows.slice(0, REBALANCE_ROWS_SHOWN).map((row) => (
                <tr
                  key={`${row.tier}:${row.ref}`}
                  data-testid="rebalance-row"
                  data-ref={row.ref}
                  data-held={row.held ?? ""}
                >
                  <td className={styles.cell}>
                    <Link
                      as="button"
                      onClick={() => void host.selectCell(row.ref).catch(() => undefined)}
                    >
                      {row.member}
                    </Link>
                  </td>
                  <td className={styles.cell}>{row.period}</td>
                  <td className={styles.cell}>{tierName(row.tier, lang)}</td>
                  <td className={styles.number}>
                    <span data-testid="rebalance-before">{row.before}</span> →{" "}
                    <span data-testid="rebalance-after">{row.after}</span>
                    {row.held ? (
                      <span className={styles.held}>
                        {" "}
                        {row.held === "typed" ? t("rebalanceHeld") : t("rebalanceHeldTable")}
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {ready.preview.rows.length > REBALANCE_ROWS_SHOWN ? (
            <Text size={200}>
              {t("rebalanceMore", { count: ready.preview.rows.length - REBALANCE_ROWS_SHOWN })}
            </Text>
          ) : null}
          {keepPlan && !keepPlan.ok ? (
            <ProblemList
              problems={keepPlan.problems}
              host={host}
              headingId="rebalance-keep-problems"
              heading={t("problemsHeading")}
            />
          ) : null}
          <Checkbox
            data-testid="rebalance-keep"
            checked={keep && canKeep}
            disabled={!canKeep || state.status === "writing"}
            onChange={(_, data) => setKeep(data.checked === true)}
            label={t("rebalanceKeep")}
          />
          <Text size={200} className={styles.muted}>
            {keep && canKeep && keepPlan?.ok
              ? keepPlan.created
                ? t("rebalanceKeepCreates", {
                    sheet: keepPlan.sheet,
                    added: keepPlan.write.rows.length,
                  })
                : t("rebalanceKeepAdds", {
                    sheet: keepPlan.sheet,
                    added: keepPlan.write.rows.length,
                    updated: keepPlan.write.updates.length,
                  })
              : t("rebalanceKeepOff")}
          </Text>
          <Text size={200} className={styles.muted}>
            {t("rebalanceWrites", { sheets: list(ready.sheets.map((s) => s.name)) })}
          </Text>
          <ConfirmButtons
            className={styles.buttons}
            confirmLabel={t("rebalanceWrite")}
            cancelLabel={t("rebalanceCancel")}
            confirmTestId="rebalance-write"
            busy={state.status === "writing"}
            onConfirm={() => void write()}
            onCancel={() => setState({ status: "idle" })}
          />
        </div>
      ) : null}
      {state.status === "written" ? (
        <div className={styles.preview} data-testid="rebalance-written">
          <Text>
            {t("rebalanceWritten", { sheets: list(state.summary.sheets.map((s) => s.name)) })}
          </Text>
          {state.kept ? (
            <Text data-testid="rebalance-kept">
              {t("rebalanceKept", {
                sheet: state.kept.sheet,
                added: state.kept.added,
                updated: state.kept.updated,
              })}
            </Text>
          ) : null}
          <SheetLinks
            className={styles.list}
            names={state.summary.sheets.map((s) => s.name)}
            onOpen={(name) => void host.activateSheet(name)}
            testId="rebalance-sheet-link"
          />
          {state.keepFailed ? (
            <ErrorPanel
              message={t("rebalanceKeepFailed", {
                sheet: state.keepFailed.sheet,
                message: state.keepFailed.message,
              })}
            />
          ) : null}
        </div>
      ) : null}
      {state.status === "problems" ? (
        <ProblemList
          problems={state.problems}
          host={host}
          headingId="rebalance-problems"
          heading={t("problemsHeading")}
        />
      ) : null}
      {state.status === "failed" ? (
        <ErrorPanel message={t("rebalanceFailed", { message: state.message })} />
      ) : null}
    </section>
  );
}
