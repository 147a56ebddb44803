/**
 * 生成分解表: first says which sheets a write creates or replaces, then writes exactly what the
 * preview shows (after checking the workbook has not changed since), with progress, then links
 * to each sheet written. A failure says what to do; nothing is ever half explained.
 */
import * as React from "react";
import {
  Button,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Text,
  tokens,
} from "@fluentui/react-components";
import type { AddinHost } from "../../hosts/addin";
import type { RawTable } from "../../hosts/host";
import type { SheetSpec } from "../../report/spec";
import type { Choices } from "../model/inputs";
import { useLocale, type PaneLocale } from "../locale";
import {
  errorMessage,
  progressValue,
  sameInputs,
  sheetActions,
  sheetsOf,
  writeFailure,
} from "../model/write";
import { ErrorPanel } from "../panels";
import { ProblemList } from "../ProblemList";
import type { WriteState } from "./types";

const useStyles = makeStyles({
  section: {
    marginTop: tokens.spacingVerticalL,
    display: "flex",
    flexDirection: "column",
    alignItems: "stretch",
    gap: tokens.spacingVerticalS,
  },
  lines: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
  },
  muted: {
    color: tokens.colorNeutralForeground2,
  },
  primary: {
    alignSelf: "flex-start",
  },
  links: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
});

export interface WritePanelProps {
  host: AddinHost;
  /** The sheets the preview shows, when it shows a plan. */
  sheets?: SheetSpec[];
  /** The tables and input choices the preview was computed from. */
  previewTables?: RawTable[];
  previewChoices?: Choices;
  /** The workbook's tables as last read (which sheets exist). */
  tables: RawTable[];
  pending: boolean;
  readTables: () => Promise<RawTable[]>;
  write: WriteState;
  onWrite: (state: WriteState) => void;
}

function join(t: PaneLocale["t"], names: string[]): string {
  return names.join(t("listSeparator"));
}

export function WritePanel(props: WritePanelProps) {
  const {
    host,
    sheets,
    previewTables,
    previewChoices,
    tables,
    pending,
    readTables,
    write,
    onWrite,
  } = props;
  const { t } = useLocale();
  const styles = useStyles();
  const [activateError, setActivateError] = React.useState<string>();

  // The sheets a write made are there now, whether or not the workbook has been read since.
  const written = write.status === "done" ? write.summary.sheets.map((s) => s.name) : [];
  const actions = sheets ? sheetActions(sheets, [...sheetsOf(tables), ...written]) : [];
  const created = actions.filter((a) => a.action === "create").map((a) => a.name);
  const replaced = actions.filter((a) => a.action === "replace").map((a) => a.name);
  const writing = write.status === "writing";
  const ready = sheets !== undefined && previewTables !== undefined && !pending;

  const run = async () => {
    if (!sheets || !previewTables) return;
    setActivateError(undefined);
    onWrite({ status: "writing" });
    try {
      const fresh = await readTables();
      if (!sameInputs(fresh, previewTables, previewChoices ?? {})) {
        onWrite({ status: "changed" });
        return;
      }
      const summary = await host.writeSheets(sheets, (progress) =>
        onWrite({ status: "writing", progress })
      );
      onWrite({ status: "done", summary });
    } catch (e) {
      onWrite({ status: "failed", failure: writeFailure(e), sheets: sheets.map((s) => s.name) });
    }
  };

  const open = async (name: string) => {
    setActivateError(undefined);
    try {
      await host.activateSheet(name);
    } catch (e) {
      setActivateError(t("activateFailed", { name, message: errorMessage(e) }));
    }
  };

  const progress = write.status === "writing" ? write.progress : undefined;
  const progressText = !progress
    ? t("writingStart")
    : progress.sheet && progress.done < progress.total
      ? t("writing", { sheet: progress.sheet, done: progress.done + 1, total: progress.total })
      : t("writtenCount", { done: progress.done, total: progress.total });

  return (
    <section className={styles.section} aria-labelledby="write-heading">
      <h3 id="write-heading">{t("writeHeading")}</h3>
      {sheets ? (
        <div className={styles.lines} data-testid="write-sheets">
          {created.length > 0 ? <Text>{t("willCreate", { sheets: join(t, created) })}</Text> : null}
          {replaced.length > 0 ? (
            <Text>{t("willReplace", { sheets: join(t, replaced) })}</Text>
          ) : null}
          <Text size={200} className={styles.muted}>
            {t("writeSafety")}
          </Text>
        </div>
      ) : (
        <Text size={200} className={styles.muted}>
          {t("writeNeedsPreview")}
        </Text>
      )}
      <Button
        className={styles.primary}
        appearance="primary"
        data-testid="write-plan"
        disabled={!ready || writing}
        onClick={() => void run()}
      >
        {t("writePlan")}
      </Button>

      {writing ? (
        <div data-testid="write-progress">
          <Text id="write-progress-text" role="status">
            {progressText}
          </Text>
          <ProgressBar
            aria-labelledby="write-progress-text"
            thickness="large"
            max={1}
            value={progress ? progressValue(progress) : undefined}
          />
        </div>
      ) : null}

      {write.status === "done" ? (
        <div data-testid="write-summary">
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody>
              {write.summary.sheets.length === 1
                ? t("writeDoneOne")
                : t("writeDone", { count: write.summary.sheets.length })}
            </MessageBarBody>
          </MessageBar>
          <ul className={styles.links}>
            {write.summary.sheets.map((s) => (
              <li key={s.name}>
                <Link as="button" data-testid="sheet-link" onClick={() => void open(s.name)}>
                  {s.name}
                </Link>
              </li>
            ))}
          </ul>
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
            headingId="write-problems"
            heading={t("problemsHeading")}
          />
        </ErrorPanel>
      ) : null}
      {write.status === "failed" && write.failure.kind === "other" ? (
        <ErrorPanel
          message={t("writeFailed", {
            message: write.failure.message,
            sheets: join(t, write.sheets),
          })}
        />
      ) : null}
    </section>
  );
}
