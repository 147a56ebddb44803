/**
 * 漏斗 / Funnel (UX.md): per channel the Target, the average order value (平均单值) and the
 * orders, visits and invitations it needs (the workbook's own chain), with a totals row; one
 * channel per period; and Write funnel (生成漏斗表), which writes the Funnel and Drivers sheets
 * and nothing else. The rates are read from the workbook (History, Settings), not edited here.
 * Loaded on demand, with the pipeline; recomputed from the tables in memory like the preview.
 */
import * as React from "react";
import {
  Button,
  Dropdown,
  Field,
  makeStyles,
  Option,
  Spinner,
  Text,
  tokens,
} from "@fluentui/react-components";
import type { AddinHost } from "../../hosts/addin";
import { useLocale, type PaneLocale } from "../locale";
import { funnelSheets, funnelView, periodRows, type FunnelView } from "../model/funnel";
import { formatAmount } from "../model/preview";
import { errorMessage, sheetActions, sheetsOf } from "../model/write";
import { runWrite } from "../plan/runWrite";
import { ErrorPanel, Notice } from "../panels";
import type { WriteState } from "../plan/types";
import { usePreview } from "../plan/usePreview";
import { WriteOutcome } from "../plan/WriteOutcome";
import { ProblemList } from "../ProblemList";
import type { WorkbookState } from "../useWorkbook";

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    alignItems: "stretch",
    gap: tokens.spacingVerticalM,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300 },
  muted: { color: tokens.colorNeutralForeground2 },
  primary: { alignSelf: "flex-start" },
  scroll: { overflowX: "auto" },
  table: {
    width: "100%",
    borderCollapse: "collapse",
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
    "& th, & td": {
      padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
      textAlign: "right",
      whiteSpace: "nowrap",
    },
    "& th:first-child": {
      textAlign: "left",
      whiteSpace: "normal",
      overflowWrap: "break-word",
    },
    "& thead th": {
      fontWeight: tokens.fontWeightSemibold,
      color: tokens.colorNeutralForeground2,
    },
    "& tbody th": { fontWeight: tokens.fontWeightRegular },
    "& tfoot th, & tfoot td": { fontWeight: tokens.fontWeightSemibold },
  },
  lines: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
  },
});

export interface FunnelStepProps {
  host: AddinHost;
  workbook: WorkbookState;
  write: WriteState;
  onWrite: (state: WriteState) => void;
}

export default function FunnelStep({ host, workbook, write, onWrite }: FunnelStepProps) {
  const { t, lang } = useLocale();
  const styles = useStyles();
  const { tables, setup, setupReady, readTables } = workbook;
  const [readError, setReadError] = React.useState<string>();
  const [picked, setPicked] = React.useState<string>();

  const read = React.useCallback(() => {
    setReadError(undefined);
    readTables().catch((e: unknown) => setReadError(errorMessage(e)));
  }, [readTables]);

  React.useEffect(() => {
    if (!tables) read();
  }, []); // once, when the step opens without tables; later reads come from the write

  const preview = usePreview(tables, setup, setupReady);
  const outcome = preview.outcome;
  const funnel = outcome?.ok ? outcome.drivers?.funnel : undefined;
  const view = React.useMemo(() => (funnel ? funnelView(funnel, lang) : undefined), [funnel, lang]);
  const channel = view && picked && view.channels.includes(picked) ? picked : view?.channels[0];
  const periods = React.useMemo(
    () => (funnel && channel ? periodRows(funnel, channel, lang) : []),
    [funnel, channel, lang]
  );
  const sheets = outcome?.ok && funnel ? funnelSheets(outcome.sheets) : undefined;

  return (
    <section className={styles.section} aria-labelledby="funnel-heading">
      <h2 id="funnel-heading" className={styles.heading}>
        {t("funnelHeading")}
      </h2>
      <Text size={200} className={styles.muted}>
        {t("funnelIntro")}
      </Text>
      <Text size={200} className={styles.muted}>
        {t("funnelRatesNote")}
      </Text>
      {readError ? (
        <ErrorPanel
          message={t("readFailed", { message: readError })}
          actionLabel={t("retry")}
          onAction={read}
        />
      ) : null}
      {!readError && (!tables || (preview.pending && !outcome)) ? (
        <Spinner size="small" label={t("readingWorkbook")} />
      ) : null}
      {preview.error ? (
        <ErrorPanel message={t("funnelFailed", { message: preview.error })} />
      ) : null}
      {outcome && !outcome.ok ? (
        <ProblemList
          problems={outcome.problems}
          host={host}
          headingId="funnel-problems"
          heading={t("problemsHeading")}
        />
      ) : null}
      {outcome?.ok && !funnel ? <Notice intent="info" message={t("funnelNone")} /> : null}
      {view ? <ChannelTable view={view} t={t} /> : null}
      {view && channel ? (
        <>
          <Field label={t("funnelChannelPick")}>
            <Dropdown
              data-testid="funnel-channel"
              value={channel}
              selectedOptions={[channel]}
              onOptionSelect={(_, data) => setPicked(data.optionValue)}
            >
              {view.channels.map((c) => (
                <Option key={c} value={c}>
                  {c}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <div className={styles.scroll}>
            <table
              className={styles.table}
              aria-label={t("funnelPeriodsLabel", { channel })}
              data-testid="funnel-periods"
            >
              <thead>
                <tr>
                  <th scope="col">{t("periodColumn")}</th>
                  <th scope="col">{t("tierTarget")}</th>
                  {view.stages.map((s) => (
                    <th scope="col" key={s.stage}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {periods.slice(0, -1).map((p) => (
                  <tr key={p.period}>
                    <th scope="row">{p.period}</th>
                    <td>{formatAmount(p.target)}</td>
                    {p.counts.map((n, i) => (
                      <td key={view.stages[i].stage}>{formatAmount(n)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                {periods.slice(-1).map((p) => (
                  <tr key="subtotal">
                    <th scope="row">{p.period}</th>
                    <td>{formatAmount(p.target)}</td>
                    {p.counts.map((n, i) => (
                      <td key={view.stages[i].stage}>{formatAmount(n)}</td>
                    ))}
                  </tr>
                ))}
              </tfoot>
            </table>
          </div>
        </>
      ) : null}
      {tables ? (
        <FunnelWrite
          host={host}
          sheets={sheets}
          ready={sheets !== undefined && preview.tables !== undefined && !preview.pending}
          onWriteNow={async () => {
            if (!sheets || !preview.tables) return;
            await runWrite({
              host,
              sheets,
              tables: preview.tables,
              choices: preview.choices ?? {},
              workbook,
              onWrite,
            });
          }}
          existing={sheetsOf(tables)}
          write={write}
        />
      ) : null}
    </section>
  );
}

function ChannelTable({ view, t }: { view: FunnelView; t: PaneLocale["t"] }) {
  const styles = useStyles();
  const cells = (row: FunnelView["totals"]) => (
    <>
      <td>{formatAmount(row.target)}</td>
      <td>{formatAmount(Math.round(row.averageOrderValue * 100) / 100)}</td>
      {row.counts.map((n, i) => (
        <td key={view.stages[i].stage}>{formatAmount(n)}</td>
      ))}
    </>
  );
  return (
    <div className={styles.scroll}>
      <table className={styles.table} aria-label={t("funnelTableLabel")} data-testid="funnel-table">
        <thead>
          <tr>
            <th scope="col">{t("funnelChannel")}</th>
            <th scope="col">{t("tierTarget")}</th>
            <th scope="col">{t("funnelAov")}</th>
            {view.stages.map((s) => (
              <th scope="col" key={s.stage}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => (
            <tr key={row.channel}>
              <th scope="row">{row.channel}</th>
              {cells(row)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{view.totals.channel}</th>
            {cells(view.totals)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** 生成漏斗表: which sheets it creates or replaces, progress, links to each sheet, or what went wrong. */
function FunnelWrite(props: {
  host: AddinHost;
  sheets?: { name: string }[];
  existing: string[];
  ready: boolean;
  write: WriteState;
  onWriteNow: () => Promise<void>;
}) {
  const { host, sheets, existing, ready, write, onWriteNow } = props;
  const { t } = useLocale();
  const styles = useStyles();
  const join = (names: string[]) => names.join(t("listSeparator"));

  const written = write.status === "done" ? write.summary.sheets.map((s) => s.name) : [];
  const actions = sheets ? sheetActions(sheets, [...existing, ...written]) : [];
  const created = actions.filter((a) => a.action === "create").map((a) => a.name);
  const replaced = actions.filter((a) => a.action === "replace").map((a) => a.name);
  const writing = write.status === "writing";

  return (
    <section className={styles.section} aria-labelledby="funnel-write-heading">
      <h3 id="funnel-write-heading" className={styles.heading}>
        {t("writeHeading")}
      </h3>
      {sheets ? (
        <div className={styles.lines} data-testid="write-sheets">
          {created.length > 0 ? <Text>{t("willCreate", { sheets: join(created) })}</Text> : null}
          {replaced.length > 0 ? <Text>{t("willReplace", { sheets: join(replaced) })}</Text> : null}
          <Text size={200} className={styles.muted}>
            {t("writeSafety")}
          </Text>
        </div>
      ) : null}
      <Button
        className={styles.primary}
        appearance="primary"
        data-testid="write-funnel"
        disabled={!ready || writing}
        onClick={() => void onWriteNow()}
      >
        {t("writeFunnel")}
      </Button>

      <WriteOutcome
        host={host}
        write={write}
        idPrefix="funnel-write"
        doneText={(count) =>
          count === 1 ? t("funnelWriteDoneOne") : t("funnelWriteDone", { count })
        }
      />
    </section>
  );
}
