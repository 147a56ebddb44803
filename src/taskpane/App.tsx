/**
 * The pane once Office is ready: connect to the workbook, then the steps as tabs, one primary
 * button each (UX.md). This issue brings Inputs (数据) and Plan (分解); the Plan step and the
 * planning pipeline load on demand.
 */
import * as React from "react";
import { Spinner, makeStyles, tokens } from "@fluentui/react-components";
import type { AddinHost } from "../hosts/addin";
import { ErrorBoundary } from "./ErrorBoundary";
import { InputsStep, type CheckState } from "./InputsStep";
import { loadPipeline } from "./loaders";
import { useLocale } from "./locale";
import { setupKey } from "./model/setup";
import { errorMessage, isLoadError } from "./model/write";
import { ErrorPanel, Notice } from "./panels";
import type { WriteState } from "./plan/types";
import { panelId, StepTabs, tabId } from "./StepTabs";
import { useWorkbook } from "./useWorkbook";

const PlanStep = React.lazy(() => import(/* webpackChunkName: "plan" */ "./plan/PlanStep"));

type Step = "inputs" | "plan";

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
  const runs = React.useRef(0);
  const [focusedRun, setFocusedRun] = React.useState(0);

  const runCheck = React.useCallback(async () => {
    const { setup } = workbook;
    setCheck({ status: "running" });
    try {
      const [tables, pipeline] = await Promise.all([
        workbook.readTables(),
        loadPipeline(),
        workbook.refreshDetected(),
      ]);
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
        selected={step}
        onSelect={setStep}
        tabs={[
          { value: "inputs", label: t("stepInputs"), testId: "step-inputs" },
          { value: "plan", label: t("stepPlan"), testId: "step-plan" },
        ]}
      />
      {step === "inputs"
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
        : panel(
            "plan",
            <ErrorBoundary>
              <React.Suspense fallback={<Spinner label={t("readingWorkbook")} />}>
                <PlanStep host={host} workbook={workbook} write={write} onWrite={setWrite} />
              </React.Suspense>
            </ErrorBoundary>
          )}
    </>
  );
}
