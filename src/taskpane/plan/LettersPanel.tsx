/**
 * 生成目标责任书 (目标下达): the target letters, one printed page per member, written from the
 * plan the preview shows — the letters sheet alone, through the same safe write as the plan's.
 */
import * as React from "react";
import { Button, makeStyles, Text, tokens } from "@fluentui/react-components";
import type { Problem } from "../../engine/problems";
import type { AddinHost, PaneSetup } from "../../hosts/addin";
import type { RawTable } from "../../hosts/host";
import { useLocale } from "../locale";
import { errorMessage } from "../model/write";
import { ErrorPanel } from "../panels";
import { lettersFromTables } from "../pipeline";
import { ProblemList } from "../ProblemList";
import type { WorkbookState } from "../useWorkbook";
import { runWrite } from "./runWrite";
import type { WriteState } from "./types";
import { WriteOutcome } from "./WriteOutcome";

const useStyles = makeStyles({
  section: {
    marginTop: tokens.spacingVerticalL,
    display: "flex",
    flexDirection: "column",
    alignItems: "stretch",
    gap: tokens.spacingVerticalS,
  },
  muted: {
    color: tokens.colorNeutralForeground2,
  },
  button: {
    alignSelf: "flex-start",
  },
});

export interface LettersPanelProps {
  host: AddinHost;
  /** The tables, input choices and plan settings the preview was computed from; absent until it shows a plan. */
  previewTables?: RawTable[];
  previewChoices?: PaneSetup["choices"];
  overrides: PaneSetup["plan"];
  pending: boolean;
  workbook: Pick<WorkbookState, "readTables" | "fingerprintOf">;
}

export function LettersPanel(props: LettersPanelProps) {
  const { host, previewTables, previewChoices, overrides, pending, workbook } = props;
  const { t } = useLocale();
  const styles = useStyles();
  const [write, setWrite] = React.useState<WriteState>({ status: "idle" });
  const [problems, setProblems] = React.useState<Problem[]>([]);
  const [error, setError] = React.useState<string>();
  const ready = previewTables !== undefined && !pending;

  const run = async () => {
    if (!previewTables) return;
    setProblems([]);
    setError(undefined);
    try {
      const choices = previewChoices ?? {};
      const outcome = await lettersFromTables(previewTables, { choices, overrides });
      if (!outcome.ok) {
        setProblems(outcome.problems);
        return;
      }
      await runWrite({
        host,
        sheets: outcome.sheets,
        tables: previewTables,
        choices,
        workbook,
        onWrite: setWrite,
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className={styles.section} aria-labelledby="letters-heading">
      <h3 id="letters-heading">{t("lettersHeading")}</h3>
      <Text size={200} className={styles.muted}>
        {t("lettersNote")}
      </Text>
      <Button
        className={styles.button}
        appearance="secondary"
        data-testid="write-letters"
        disabled={!ready || write.status === "writing"}
        onClick={() => void run()}
      >
        {t("writeLetters")}
      </Button>
      {problems.length > 0 ? (
        <ProblemList
          problems={problems}
          host={host}
          headingId="letters-problems"
          heading={t("lettersProblems")}
        />
      ) : null}
      {error ? <ErrorPanel message={error} /> : null}
      <WriteOutcome
        host={host}
        write={write}
        idPrefix="letters-write"
        doneText={() => t("lettersDone")}
      />
    </section>
  );
}
