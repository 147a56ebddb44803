/**
 * Re-plan / 重新分解 in the Track step (方法调整): at the step's AsOf, the periods that have ended
 * keep their actuals and what remains of each member's target is spread over the periods to come.
 * Nothing is written without a preview: Re-plan works it out and shows where it cuts, the Target
 * before and after and the sheets it replaces; Write re-plan writes them (the revised Plan and
 * Plan Matrix, Weights Review, Plan Versions, and Split when the Settings ask for it).
 */
import * as React from "react";
import { Button, makeStyles, Spinner, Text, tokens } from "@fluentui/react-components";
import type { Problem } from "../../engine/problems";
import type { AddinHost } from "../../hosts/addin";
import type { WriteSummary } from "../../hosts/host";
import type { SheetSpec } from "../../report/spec";
import { loadPipeline } from "../loaders";
import { useLocale } from "../locale";
import { replanPreview, type ReplanPreview } from "../model/replan";
import { todayDay } from "../model/track";
import { errorMessage } from "../model/write";
import { ConfirmButtons, ErrorPanel, SheetLinks } from "../panels";
import { ProblemList } from "../ProblemList";
import type { WorkbookState } from "../useWorkbook";

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    alignItems: "stretch",
    gap: tokens.spacingVerticalS,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300 },
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
  list: { listStyleType: "none", margin: 0, padding: 0 },
});

type State =
  | { status: "idle" }
  | { status: "computing" }
  | { status: "preview"; preview: ReplanPreview; sheets: SheetSpec[] }
  | { status: "writing"; preview: ReplanPreview; sheets: SheetSpec[] }
  | { status: "written"; summary: WriteSummary }
  | { status: "problems"; problems: Problem[] }
  | { status: "failed"; message: string };

export interface ReplanPanelProps {
  host: AddinHost;
  workbook: WorkbookState;
  /** The step's AsOf, undefined while it is not a date. */
  asOfDay: number | undefined;
  /** The Settings' AsOf and its cell, when they give one. */
  settingsAsOf?: { day: number; ref: string };
}

export default function ReplanPanel({ host, workbook, asOfDay, settingsAsOf }: ReplanPanelProps) {
  const { t } = useLocale();
  const styles = useStyles();
  const [state, setState] = React.useState<State>({ status: "idle" });
  const { setup, readTables } = workbook;

  const compute = async () => {
    if (asOfDay === undefined) return;
    setState({ status: "computing" });
    try {
      const [tables, pipeline] = await Promise.all([readTables(), loadPipeline()]);
      const outcome = await pipeline.replanFromTables(tables, {
        choices: setup.choices,
        overrides: setup.plan,
        today: todayDay(),
        asOf:
          settingsAsOf && settingsAsOf.day === asOfDay
            ? undefined
            : { day: asOfDay, ref: settingsAsOf?.ref || "AsOf" },
      });
      if (!outcome.ok) setState({ status: "problems", problems: outcome.problems });
      else
        setState({
          status: "preview",
          preview: replanPreview(outcome.replan, outcome.sheets),
          sheets: outcome.sheets,
        });
    } catch (e) {
      setState({ status: "failed", message: errorMessage(e) });
    }
  };

  const write = async () => {
    if (state.status !== "preview") return;
    setState({ ...state, status: "writing" });
    try {
      setState({ status: "written", summary: await host.writeSheets(state.sheets) });
    } catch (e) {
      setState({ status: "failed", message: errorMessage(e) });
    }
  };

  const busy = state.status === "computing" || state.status === "writing";
  const list = (names: string[]) => names.join(t("listSeparator"));
  return (
    <section className={styles.section} aria-labelledby="replan-heading" data-testid="replan">
      <h3 id="replan-heading" className={styles.heading}>
        {t("replanHeading")}
      </h3>
      <Text size={200} className={styles.muted}>
        {t("replanIntro")}
      </Text>
      <div className={styles.buttons}>
        <Button
          data-testid="replan-button"
          disabled={busy || asOfDay === undefined}
          onClick={() => void compute()}
        >
          {t("replan")}
        </Button>
      </div>
      {state.status === "computing" ? <Spinner size="tiny" label={t("replanning")} /> : null}
      {state.status === "preview" || state.status === "writing" ? (
        <div className={styles.preview} data-testid="replan-preview">
          <Text>
            {t("replanPreview", {
              through: state.preview.through,
              ended: state.preview.ended,
              periods: state.preview.periods,
              before: state.preview.before,
              after: state.preview.after,
            })}
          </Text>
          <Text>
            {t("replanMembers", { ahead: state.preview.ahead, asked: state.preview.asked })}
          </Text>
          <Text size={200} className={styles.muted}>
            {t("replanWrites", { sheets: list(state.preview.sheets) })}
          </Text>
          <ConfirmButtons
            className={styles.buttons}
            confirmLabel={t("replanWrite")}
            cancelLabel={t("replanCancel")}
            confirmTestId="replan-write"
            busy={state.status === "writing"}
            onConfirm={() => void write()}
            onCancel={() => setState({ status: "idle" })}
          />
        </div>
      ) : null}
      {state.status === "written" ? (
        <div className={styles.preview} data-testid="replan-written">
          <Text>
            {t("replanWritten", { sheets: list(state.summary.sheets.map((s) => s.name)) })}
          </Text>
          <SheetLinks
            className={styles.list}
            names={state.summary.sheets.map((s) => s.name)}
            onOpen={(name) => void host.activateSheet(name)}
          />
        </div>
      ) : null}
      {state.status === "problems" ? (
        <ProblemList
          problems={state.problems}
          host={host}
          headingId="replan-problems"
          heading={t("problemsHeading")}
        />
      ) : null}
      {state.status === "failed" ? (
        <ErrorPanel message={t("replanFailed", { message: state.message })} />
      ) : null}
    </section>
  );
}
