/**
 * 生成分解表: first says which sheets a write creates or replaces, then writes exactly what the
 * preview shows (the host checks, in the write's first request, that the inputs have not changed
 * since), with progress by parts, then links to each sheet written. A failure says what to do;
 * nothing is ever half explained.
 */
import * as React from "react";
import { Button, makeStyles, Text, tokens } from "@fluentui/react-components";
import type { AddinHost } from "../../hosts/addin";
import type { RawTable } from "../../hosts/host";
import type { SheetSpec } from "../../report/spec";
import type { Choices } from "../model/inputs";
import { useLocale, type PaneLocale } from "../locale";
import { sheetActions, sheetsOf } from "../model/write";
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
  workbook: Pick<WorkbookState, "readTables" | "fingerprintOf">;
  write: WriteState;
  onWrite: (state: WriteState) => void;
}

function join(t: PaneLocale["t"], names: string[]): string {
  return names.join(t("listSeparator"));
}

export function WritePanel(props: WritePanelProps) {
  const { host, sheets, previewTables, previewChoices, tables, pending, workbook, write, onWrite } =
    props;
  const { t } = useLocale();
  const styles = useStyles();

  // The sheets a write made are there now, whether or not the workbook has been read since.
  const written = write.status === "done" ? write.summary.sheets.map((s) => s.name) : [];
  const actions = sheets ? sheetActions(sheets, [...sheetsOf(tables), ...written]) : [];
  const created = actions.filter((a) => a.action === "create").map((a) => a.name);
  const replaced = actions.filter((a) => a.action === "replace").map((a) => a.name);
  const writing = write.status === "writing";
  const ready = sheets !== undefined && previewTables !== undefined && !pending;

  const run = async () => {
    if (!sheets || !previewTables) return;
    await runWrite({
      host,
      sheets,
      tables: previewTables,
      choices: previewChoices ?? {},
      workbook,
      onWrite,
    });
  };

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

      <WriteOutcome
        host={host}
        write={write}
        idPrefix="write"
        doneText={(count) => (count === 1 ? t("writeDoneOne") : t("writeDone", { count }))}
      />
    </section>
  );
}
