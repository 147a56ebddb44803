/**
 * The pane once Office is ready: connect to the workbook, then the steps as tabs, one primary
 * button each (UX.md): Inputs (数据), Plan (分解), Funnel (漏斗, only when the workbook's plan has
 * a funnel) and Track (跟踪); the Plan, Funnel and Track steps and the pipeline load on demand.
 */
import * as React from "react";
import { Spinner, makeStyles, tokens } from "@fluentui/react-components";
import type { AddinHost } from "../hosts/addin";
import { ErrorBoundary } from "./ErrorBoundary";
import { InputsStep, type CheckState } from "./InputsStep";
import { loadFunnelDetect, loadPipeline } from "./loaders";
import { useLocale } from "./locale";
import { setupKey } from "./model/setup";
import { errorMessage, isLoadError } from "./model/write";
import { ErrorPanel, Notice } from "./panels";
import type { WriteState } from "./plan/types";
import { panelId, StepTabs, tabId } from "./StepTabs";
import { useWorkbook } from "./useWorkbook";

const PlanStep = React.lazy(() => import(/* webpackChunkName: "plan" */ "./plan/PlanStep"));
const FunnelStep = React.lazy(() => import(/* webpackChunkName: "funnel" */ "./funnel/FunnelStep"));
const TrackStep = React.lazy(() => import(/* webpackChunkName: "track" */ "./track/TrackStep"));

type Step = "inputs" | "plan" | "funnel" | "track";

const useStyles = makeStyles({
  notices: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    marginBottom: tokens.spacingVerticalM,
  },
});

export interface AppProps {
  loadHost: () => Promise<AddinHost>;
  /** Excel lacks the requirement set the pane is built for. */
  oldExcel?: boolean;
}

type HostState =
  | { status: "loading" }
  | { status: "ready"; host: AddinHost }
  | { status: "failed"; message: string };

export function App({ loadHost, oldExcel }: AppProps) {
  const { t } = useLocale();
  const [state, setState] = React.useState<HostState>({ status: "loading" });

  const connect = React.useCallback(() => {
    setState({ status: "loading" });
    loadHost().then(
      (host) => setState({ status: "ready", host }),
      (e: unknown) => setState({ status: "failed", message: errorMessage(e) })
    );
  }, [loadHost]);

  React.useEffect(connect, [connect]);

  if (state.status === "loading") return <Spinner label={t("hostLoading")} />;
  if (state.status === "failed") {
    return (
      <ErrorPanel
        message={t("hostFailed", { message: state.message })}
        actionLabel={t("retry")}
        onAction={connect}
      />
    );
  }
  return <Workspace host={state.host} oldExcel={oldExcel} />;
}

function Workspace({ host, oldExcel }: { host: AddinHost; oldExcel?: boolean }) {
  const { t } = useLocale();
  const styles = useStyles();
  const workbook = useWorkbook(host);
  const [step, setStep] = React.useState<Step>("inputs");
  const [check, setCheck] = React.useState<CheckState>({ status: "idle" });
  const [write, setWrite] = React.useState<WriteState>({ status: "idle" });
  const [funnelWrite, setFunnelWrite] = React.useState<WriteState>({ status: "idle" });
  const hasFunnel = useHasFunnel(workbook);
  const runs = React.useRef(0);
  const [focusedRun, setFocusedRun] = React.useState(0);

  const runCheck = React.useCallback(async () => {
    const { setup } = workbook;
    setCheck({ status: "running" });
    try {
      // One read gives the tables and the listing (one request: the pane listed the workbook when it opened).
      const [tables, pipeline] = await Promise.all([workbook.readTables(), loadPipeline()]);
      const outcome = await pipeline.planFromTables(tables, {
        choices: setup.choices,
        overrides: setup.plan,
      });
      const run = ++runs.current;
      setCheck(
        outcome.ok
          ? {
              status: "ok",
              members: outcome.result.leaves.length,
              periods: outcome.result.periods.length,
              run,
            }
          : { status: "problems", problems: outcome.problems, run }
      );
    } catch (e) {
      setCheck({
        status: "failed",
        message: errorMessage(e),
        run: ++runs.current,
        load: isLoadError(e),
      });
    }
  }, [workbook]);

  // A check speaks for the setup it ran with: a change to the inputs or the plan makes it stale.
  const setupNow = setupKey(workbook.setup);
  React.useEffect(() => {
    setCheck((c) => (c.status === "running" || c.status === "idle" ? c : { status: "idle" }));
  }, [setupNow]);

  const onProblemsFocused = React.useCallback(() => setFocusedRun(runs.current), []);

  // The Funnel step goes when the workbook no longer has a funnel.
  const shown: Step = step === "funnel" && !hasFunnel ? "inputs" : step;

  const panel = (id: Step, content: React.ReactNode) => (
    <div role="tabpanel" id={panelId(id)} aria-labelledby={tabId(id)}>
      {content}
    </div>
  );

  return (
    <>
      {oldExcel || workbook.saveError ? (
        <div className={styles.notices}>
          {oldExcel ? <Notice intent="warning" message={t("oldExcel")} /> : null}
          {workbook.saveError ? (
            <Notice
              intent="warning"
              message={t("setupSaveFailed", { message: workbook.saveError })}
            />
          ) : null}
        </div>
      ) : null}
      <StepTabs<Step>
        label={t("stepsLabel")}
        selected={shown}
        onSelect={setStep}
        tabs={[
          { value: "inputs", label: t("stepInputs"), testId: "step-inputs" },
          { value: "plan", label: t("stepPlan"), testId: "step-plan" },
          ...(hasFunnel
            ? [{ value: "funnel" as const, label: t("stepFunnel"), testId: "step-funnel" }]
            : []),
          { value: "track", label: t("stepTrack"), testId: "step-track" },
        ]}
      />
      {shown === "inputs"
        ? panel(
            "inputs",
            <InputsStep
              host={host}
              workbook={workbook}
              check={check}
              onCheck={() => void runCheck()}
              onGoToPlan={() => setStep("plan")}
              focusProblems={check.status === "problems" && check.run > focusedRun}
              onProblemsFocused={onProblemsFocused}
            />
          )
        : shown === "plan"
          ? panel(
              "plan",
              <ErrorBoundary>
                <React.Suspense fallback={<Spinner label={t("readingWorkbook")} />}>
                  <PlanStep host={host} workbook={workbook} write={write} onWrite={setWrite} />
                </React.Suspense>
              </ErrorBoundary>
            )
          : shown === "funnel"
            ? panel(
                "funnel",
                <ErrorBoundary>
                  <React.Suspense fallback={<Spinner label={t("readingWorkbook")} />}>
                    <FunnelStep
                      host={host}
                      workbook={workbook}
                      write={funnelWrite}
                      onWrite={setFunnelWrite}
                    />
                  </React.Suspense>
                </ErrorBoundary>
              )
            : panel(
                "track",
                <ErrorBoundary>
                  <React.Suspense fallback={<Spinner label={t("readingWorkbook")} />}>
                    <TrackStep host={host} workbook={workbook} />
                  </React.Suspense>
                </ErrorBoundary>
              )}
    </>
  );
}

/**
 * Whether the workbook's plan has a funnel (a channel and an Orders column in History), once the
 * workbook has been read; a workbook whose inputs have problems keeps the last answer.
 */
function useHasFunnel(workbook: ReturnType<typeof useWorkbook>): boolean {
  const { tables, setup } = workbook;
  const [hasFunnel, setHasFunnel] = React.useState(false);
  React.useEffect(() => {
    if (!tables) return undefined;
    let live = true;
    loadFunnelDetect()
      .then(({ workbookHasFunnel }) => {
        const found = workbookHasFunnel(tables, setup.choices);
        if (live && found !== undefined) setHasFunnel(found);
      })
      // A chunk that cannot load, or a workbook that cannot be read: the step stays as it was,
      // and the Check and Plan steps say what is wrong.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [tables, setup.choices]);
  return hasFunnel;
}
