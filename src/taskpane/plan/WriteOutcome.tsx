/**
 * What a write came to, shared by the Plan and Funnel steps: progress while it runs, then links to
 * each written sheet, or a notice that the workbook changed, or what went wrong and what to do.
 */
import * as React from "react";
import {
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Text,
  tokens,
} from "@fluentui/react-components";
import type { AddinHost } from "../../hosts/addin";
import { useLocale } from "../locale";
import { errorMessage, progressText, progressValue } from "../model/write";
import { ErrorPanel, SheetLinks } from "../panels";
import { ProblemList } from "../ProblemList";
import type { WriteState } from "./types";

const useStyles = makeStyles({
  links: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
});

export interface WriteOutcomeProps {
  host: AddinHost;
  write: WriteState;
  /** Prefix of the element ids, unique per step ("write", "funnel-write"). */
  idPrefix: string;
  /** The summary line for `count` sheets written. */
  doneText: (count: number) => string;
}

export function WriteOutcome({ host, write, idPrefix, doneText }: WriteOutcomeProps) {
  const { t } = useLocale();
  const styles = useStyles();
  const [activateError, setActivateError] = React.useState<string>();
  // A new write starts with no stale "could not open" warning.
  React.useEffect(() => {
    if (write.status === "writing") setActivateError(undefined);
  }, [write.status]);
  const join = (names: string[]) => names.join(t("listSeparator"));

  const open = async (name: string) => {
    setActivateError(undefined);
    try {
      await host.activateSheet(name);
    } catch (e) {
      setActivateError(t("activateFailed", { name, message: errorMessage(e) }));
    }
  };

  const progress = write.status === "writing" ? write.progress : undefined;
  // Parts are the write's requests: one, unless the sheets are past what one request may carry.
  const line = progressText(progress);
  const progressLine = t(line.key, line.args);

  return (
    <>
      {write.status === "writing" ? (
        <div data-testid="write-progress">
          <Text id={`${idPrefix}-progress-text`} role="status">
            {progressLine}
          </Text>
          <ProgressBar
            aria-labelledby={`${idPrefix}-progress-text`}
            thickness="large"
            max={1}
            value={progress ? progressValue(progress) : undefined}
          />
        </div>
      ) : null}

      {write.status === "done" ? (
        <div data-testid="write-summary">
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody>{doneText(write.summary.sheets.length)}</MessageBarBody>
          </MessageBar>
          <SheetLinks
            className={styles.links}
            names={write.summary.sheets.map((s) => s.name)}
            onOpen={(name) => void open(name)}
          />
          {activateError ? (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>{activateError}</MessageBarBody>
            </MessageBar>
          ) : null}
        </div>
      ) : null}

      {write.status === "changed" ? (
        <MessageBar intent="warning" layout="multiline" data-testid="notice">
          <MessageBarBody>{t("workbookChanged")}</MessageBarBody>
        </MessageBar>
      ) : null}

      {write.status === "failed" && write.failure.kind === "ownership" ? (
        <ErrorPanel title={t("ownershipHeading")} message={t("ownershipHelp")}>
          <ProblemList
            problems={write.failure.problems}
            host={host}
            headingId={`${idPrefix}-problems`}
            heading={t("problemsHeading")}
          />
        </ErrorPanel>
      ) : null}
      {write.status === "failed" && write.failure.kind === "other" ? (
        <ErrorPanel
          message={t("writeFailed", { message: write.failure.message, sheets: join(write.sheets) })}
        />
      ) : null}
      {write.status === "failed" && write.failure.kind === "stopped" ? (
        <ErrorPanel
          message={
            !write.failure.written
              ? t("writeRefused", { message: write.failure.message })
              : write.failure.cleaned
                ? t("writeUndone", { message: write.failure.message, sheets: join(write.sheets) })
                : t("writeUndoFailed", {
                    message: write.failure.message,
                    cleanup: write.failure.cleanupMessage ?? "",
                    sheets: join(write.sheets),
                  })
          }
        />
      ) : null}
    </>
  );
}
