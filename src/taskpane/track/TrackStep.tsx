/**
 * 跟踪 / Track (UX.md): set AsOf, Refresh / 刷新进度 writes the Progress and Ranking sheets, Funnel
 * Progress and the Weekly Review (and nothing else), the morning view shows completion against
 * time elapsed, the status counts, the leaders (表扬), who is behind and the three biggest
 * bottlenecks of the funnel in the team; a toast names the leaders. Live refresh (opt-in, ExcelApi 1.7)
 * recomputes when the Actuals table changes and writes only the cells that changed — for changes
 * made in this Excel only: a co-author's change is reported, and their own pane writes it
 * (liveAction). A deleted or replaced Actuals table is found again, or the pane says it is gone.
 * Loaded on demand, with the pipeline.
 */
import * as React from "react";
import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  Switch,
  Text,
  Toast,
  ToastBody,
  Toaster,
  ToastTitle,
  tokens,
  useId,
  useToastController,
} from "@fluentui/react-components";
import { findInputs } from "../../contract/find";
import type { Problem } from "../../engine/problems";
import type { AddinHost, WatchedInput, WatchEvent } from "../../hosts/addin";
import type { RawTable, WriteSummary } from "../../hosts/host";
import { loadPipeline } from "../loaders";
import { useLocale, type PaneLocale } from "../locale";
import {
  biggestBottlenecks,
  dayOfIso,
  debounce,
  hasUnplanned,
  isoDate,
  liveAction,
  morningView,
  todayDay,
  trackSheets,
  type MorningView,
} from "../model/track";
import { errorMessage } from "../model/write";
import { ErrorPanel, SheetLinks } from "../panels";
import { ProblemList } from "../ProblemList";
import type { WorkbookState } from "../useWorkbook";
import ReplanPanel from "./ReplanPanel";

/** Changes to the Actuals within this time are refreshed once. */
export const LIVE_DEBOUNCE_MS = 500;

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    alignItems: "stretch",
    gap: tokens.spacingVerticalM,
  },
  muted: { color: tokens.colorNeutralForeground2 },
  primary: { alignSelf: "flex-start" },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
  },
  view: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300 },
  live: { display: "flex", flexDirection: "column", alignItems: "flex-start" },
});

type RunState =
  | { status: "idle" }
  | { status: "running" }
  | { status: "ok"; view: MorningView; summary: WriteSummary }
  | { status: "problems"; problems: Problem[] }
  | { status: "failed"; message: string };

type LiveState =
  | {
      status: "on";
      last?: { time: string; cells: number; full: boolean };
      /** When a co-author last changed the Actuals (their pane writes it). */
      remoteAt?: string;
      /** The Actuals table was deleted and is not there again yet. */
      lost?: boolean;
      reattachedAt?: string;
    }
  | { status: "off" }
  | { status: "failed"; message: string };

export interface TrackStepProps {
  host: AddinHost;
  workbook: WorkbookState;
}

const percent = (lang: string, v: number) =>
  new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-US", {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(v);
const amount = (lang: string, v: number) =>
  new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: 0 }).format(v);

export default function TrackStep({ host, workbook }: TrackStepProps) {
  const { t, lang } = useLocale();
  const styles = useStyles();
  const toasterId = useId("track-toaster");
  const { dispatchToast } = useToastController(toasterId);
  const { setup, readTables } = workbook;
  const [asOfText, setAsOfText] = React.useState<string>();
  const [settingsAsOf, setSettingsAsOf] = React.useState<{ day: number; ref: string }>();
  const [includeUnplanned, setIncludeUnplanned] = React.useState(false);
  const [run, setRun] = React.useState<RunState>({ status: "idle" });
  const [live, setLive] = React.useState<LiveState>({ status: "off" });
  const [actuals, setActuals] = React.useState<WatchedInput | null>();

  // AsOf: the workbook's setting, else today; and where the Actuals are, for live refresh.
  React.useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const [tables, pipeline] = await Promise.all([
          workbook.tables ? Promise.resolve(workbook.tables) : readTables(),
          loadPipeline(),
        ]);
        if (!current) return;
        const fromSettings = pipeline.workbookAsOf(tables, setup.choices);
        setSettingsAsOf(fromSettings);
        setAsOfText((text) => text ?? isoDate(fromSettings?.day ?? todayDay()));
        setActuals(actualsOf(tables, setup.choices));
      } catch (e) {
        if (!current) return;
        setAsOfText((text) => text ?? isoDate(todayDay()));
        setRun({ status: "failed", message: errorMessage(e) });
      }
    })();
    return () => {
      current = false;
    };
    // Once per mount: the workbook's AsOf is a starting point, not a binding.
  }, []);

  const asOfDay = asOfText === undefined ? undefined : dayOfIso(asOfText);

  /** Reads the workbook, computes progress at AsOf; the sheets to write, or the problems. */
  const compute = React.useCallback(
    async (unplanned: boolean) => {
      if (asOfDay === undefined) throw new Error(t("asOfInvalid"));
      const [tables, pipeline] = await Promise.all([readTables(), loadPipeline()]);
      const outcome = await pipeline.trackFromTables(tables, {
        choices: setup.choices,
        overrides: setup.plan,
        today: todayDay(),
        includeUnplanned: unplanned,
        asOf:
          settingsAsOf && settingsAsOf.day === asOfDay
            ? undefined
            : { day: asOfDay, ref: settingsAsOf?.ref || "AsOf" },
      });
      if (!outcome.ok) return { problems: outcome.problems };
      return {
        view: morningView(
          outcome.result,
          outcome.progress,
          biggestBottlenecks(outcome.result, outcome.process, lang, outcome.drivers?.columns.labels)
        ),
        sheets: trackSheets(outcome.sheets),
      };
    },
    [asOfDay, readTables, settingsAsOf, setup, t, lang]
  );

  const refresh = async (unplanned = includeUnplanned) => {
    setRun({ status: "running" });
    try {
      const computed = await compute(unplanned);
      if (!computed.view) {
        setRun({ status: "problems", problems: computed.problems });
        return;
      }
      const summary = await host.writeSheets(computed.sheets);
      setRun({ status: "ok", view: computed.view, summary });
      toastLeaders(computed.view);
    } catch (e) {
      setRun({ status: "failed", message: errorMessage(e) });
    }
  };

  const toastLeaders = (view: MorningView) => {
    if (view.leaders.length === 0) return;
    dispatchToast(
      <Toast data-testid="leaders-toast">
        <ToastTitle>{t("leadersToastTitle", { asOf: view.asOf })}</ToastTitle>
        <ToastBody>
          {t("leadersToast", { names: view.leaders.map((l) => l.member).join(t("listSeparator")) })}
        </ToastBody>
      </Toast>,
      { intent: "success", timeout: 8000 }
    );
  };

  const includeAsUnplanned = () => {
    setIncludeUnplanned(true);
    void refresh(true);
  };

  // Live refresh: the latest compute, without re-subscribing when it changes.
  const computeRef = React.useRef(compute);
  computeRef.current = compute;
  const unplannedRef = React.useRef(includeUnplanned);
  unplannedRef.current = includeUnplanned;
  const liveOn = live.status === "on";
  const lostRef = React.useRef(false);
  lostRef.current = live.status === "on" && live.lost === true;
  const choicesRef = React.useRef(setup.choices);
  choicesRef.current = setup.choices;
  React.useEffect(() => {
    if (!liveOn || !actuals || !host.watchInput) return;
    let active = true;
    const now = () => new Date().toLocaleTimeString(lang === "zh" ? "zh-CN" : "en-US");
    /** The Actuals were deleted or replaced: watch the new table, or say that it is gone. */
    const findActuals = async () => {
      try {
        const found = actualsOf(await readTables(), choicesRef.current);
        if (!active) return;
        if (found) {
          setLive((l) => (l.status === "on" ? { ...l, lost: false, reattachedAt: now() } : l));
          setActuals({ ...found });
        } else {
          setLive((l) => (l.status === "on" ? { ...l, lost: true } : l));
        }
      } catch (e) {
        if (active) setLive({ status: "failed", message: errorMessage(e) });
      }
    };
    let busy = false;
    let again = false;
    const liveRefresh = async () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        const computed = await computeRef.current(unplannedRef.current);
        if (!active) return;
        if (!computed.view) {
          setRun({ status: "problems", problems: computed.problems });
        } else {
          const result = host.writeChanges
            ? await host.writeChanges(computed.sheets)
            : { ...(await host.writeSheets(computed.sheets)), changedCells: 0, full: true };
          if (!active) return;
          setRun({ status: "ok", view: computed.view, summary: result });
          setLive((l) => ({
            ...(l.status === "on" ? l : {}),
            status: "on",
            last: { time: now(), cells: result.changedCells, full: result.full },
          }));
        }
      } catch (e) {
        if (active) setLive({ status: "failed", message: errorMessage(e) });
      } finally {
        busy = false;
        if (again && active) {
          again = false;
          void liveRefresh();
        }
      }
    };
    const debounced = debounce(() => void liveRefresh(), LIVE_DEBOUNCE_MS);
    let stop: (() => Promise<void>) | undefined;
    const listener = (event: WatchEvent) => {
      if (!active) return;
      switch (liveAction(event, lostRef.current)) {
        case "refresh":
          debounced.call();
          break;
        case "remote":
          setLive((l) => (l.status === "on" ? { ...l, remoteAt: now() } : l));
          break;
        case "find":
          void findActuals();
          break;
        default:
          break;
      }
    };
    host.watchInput(actuals, listener).then(
      (unwatch) => {
        if (active) stop = unwatch;
        else void unwatch();
      },
      (e: unknown) => {
        if (active) setLive({ status: "failed", message: errorMessage(e) });
      }
    );
    return () => {
      active = false;
      debounced.cancel();
      void stop?.().catch(() => undefined);
    };
  }, [liveOn, actuals, host, lang, readTables]);

  const canWatch = host.canWatch?.() === true && host.watchInput !== undefined;
  const running = run.status === "running";

  return (
    <section className={styles.section} aria-labelledby="track-heading">
      <Toaster toasterId={toasterId} />
      <h2 id="track-heading" className={styles.heading}>
        {t("trackHeading")}
      </h2>
      <Text size={200} className={styles.muted}>
        {t("trackIntro")}
      </Text>
      {asOfText === undefined ? (
        <Spinner size="tiny" label={t("readingWorkbook")} />
      ) : (
        <Field
          label={t("asOfLabel")}
          hint={t("asOfHint")}
          validationMessage={asOfDay === undefined ? t("asOfInvalid") : undefined}
        >
          <Input
            type="date"
            data-testid="as-of"
            value={asOfText}
            onChange={(_e, data) => setAsOfText(data.value)}
          />
        </Field>
      )}
      <Button
        className={styles.primary}
        appearance="primary"
        data-testid="refresh"
        disabled={running || asOfDay === undefined}
        onClick={() => void refresh()}
      >
        {t("refresh")}
      </Button>
      {running ? <Spinner size="tiny" label={t("refreshing")} /> : null}

      {canWatch && actuals ? (
        <div className={styles.live}>
          <Switch
            data-testid="live-switch"
            label={t("liveLabel")}
            checked={live.status === "on"}
            onChange={(_e, data) => setLive(data.checked ? { status: "on" } : { status: "off" })}
          />
          <Text as="p" size={200} className={styles.muted}>
            {t("liveHelp")}
          </Text>
        </div>
      ) : (
        <Text size={200} className={styles.muted} data-testid="live-unavailable">
          {canWatch ? (actuals === null ? t("liveNoActuals") : null) : t("liveUnsupported")}
        </Text>
      )}
      {live.status === "on" && live.last ? (
        <Text role="status" data-testid="live-status" data-changed={live.last.cells}>
          {live.last.full
            ? t("liveUpdatedFull", { time: live.last.time })
            : t("liveUpdated", { time: live.last.time, count: live.last.cells })}
        </Text>
      ) : null}
      {live.status === "on" && live.remoteAt && !live.lost ? (
        <Text as="p" size={200} data-testid="live-remote">
          {t("liveRemote", { time: live.remoteAt })}
        </Text>
      ) : null}
      {live.status === "on" && live.lost ? (
        <MessageBar intent="warning" layout="multiline" data-testid="live-lost">
          <MessageBarBody>{t("liveLost")}</MessageBarBody>
        </MessageBar>
      ) : null}
      {live.status === "on" && live.reattachedAt && !live.lost ? (
        <Text as="p" size={200} data-testid="live-reattached">
          {t("liveReattached", { time: live.reattachedAt })}
        </Text>
      ) : null}
      {live.status === "failed" ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t("liveFailed", { message: live.message })}</MessageBarBody>
        </MessageBar>
      ) : null}

      {run.status === "ok" ? (
        <Summary host={host} view={run.view} summary={run.summary} t={t} lang={lang} />
      ) : null}
      {run.status === "problems" ? (
        <>
          <ProblemList
            problems={run.problems}
            host={host}
            headingId="track-problems"
            heading={t("problemsHeading")}
          />
          {hasUnplanned(run.problems) && !includeUnplanned ? (
            <div>
              <Button data-testid="include-unplanned" onClick={includeAsUnplanned}>
                {t("includeUnplanned")}
              </Button>
              <Text as="p" size={200} className={styles.muted}>
                {t("includeUnplannedHelp")}
              </Text>
            </div>
          ) : null}
        </>
      ) : null}
      {run.status === "failed" ? (
        <ErrorPanel message={t("trackFailed", { message: run.message })} />
      ) : null}
      <ReplanPanel host={host} workbook={workbook} asOfDay={asOfDay} settingsAsOf={settingsAsOf} />
    </section>
  );
}

/** The Actuals input as the contract finds it (by name or the user's choice); null when absent. */
function actualsOf(
  tables: RawTable[],
  choices: Parameters<typeof findInputs>[1]
): WatchedInput | null {
  const found = findInputs(tables, choices, []).actuals;
  return found ? { name: found.name, sheet: found.sheet, source: found.source } : null;
}

function Summary(props: {
  host: AddinHost;
  view: MorningView;
  summary: WriteSummary;
  t: PaneLocale["t"];
  lang: string;
}) {
  const { host, view, summary, t, lang } = props;
  const styles = useStyles();
  const pct = (v: number) => percent(lang, v);
  return (
    <div className={styles.view} data-testid="track-summary">
      <Text weight="semibold" data-testid="track-completion">
        {t("trackCompletion", {
          completion: pct(view.completion),
          elapsed: pct(view.timeElapsed),
          pace: view.pace.toFixed(2),
        })}
      </Text>
      <Text>
        {t("trackGap", { gap: amount(lang, view.gap), perDay: amount(lang, view.requiredPerDay) })}
      </Text>
      <Text data-testid="status-counts">
        {t("statusCounts", {
          onTrack: view.counts["on-track"],
          atRisk: view.counts["at-risk"],
          behind: view.counts.behind,
        })}
      </Text>
      {view.unplanned > 0 ? <Text>{t("unplannedIncluded", { count: view.unplanned })}</Text> : null}
      <h3 className={styles.heading} id="leaders-heading">
        {t("leadersHeading")}
      </h3>
      <ol className={styles.list} aria-labelledby="leaders-heading" data-testid="leaders">
        {view.leaders.map((l) => (
          <li key={l.node}>
            {t("leaderLine", { rank: l.rank, name: l.name, completion: pct(l.completion) })}
          </li>
        ))}
      </ol>
      <h3 className={styles.heading} id="laggards-heading">
        {t("laggardsHeading")}
      </h3>
      {view.laggards.length === 0 ? (
        <Text>{t("noLaggards")}</Text>
      ) : (
        <ul className={styles.list} aria-labelledby="laggards-heading" data-testid="laggards">
          {view.laggards.map((l) => (
            <li key={l.node}>
              {t("laggardLine", {
                name: l.name,
                completion: pct(l.completion),
                perDay: amount(lang, l.requiredPerDay),
              })}
            </li>
          ))}
        </ul>
      )}
      {view.bottlenecks ? (
        <>
          <h3 className={styles.heading} id="bottlenecks-heading">
            {t("bottlenecksHeading")}
          </h3>
          {view.bottlenecks.length === 0 ? (
            <Text data-testid="no-bottlenecks">{t("noBottlenecks")}</Text>
          ) : (
            <ol
              className={styles.list}
              aria-labelledby="bottlenecks-heading"
              data-testid="bottlenecks"
            >
              {view.bottlenecks.map((b) => (
                <li key={b.node}>
                  {t("bottleneckLine", { name: b.name, where: b.where, ratio: pct(b.ratio) })}
                </li>
              ))}
            </ol>
          )}
        </>
      ) : null}
      <Text>
        {t("trackWritten", { sheets: summary.sheets.map((s) => s.name).join(t("listSeparator")) })}
      </Text>
      <SheetLinks
        className={styles.list}
        names={summary.sheets.map((s) => s.name)}
        onOpen={(name) => void host.activateSheet(name)}
      />
    </div>
  );
}
