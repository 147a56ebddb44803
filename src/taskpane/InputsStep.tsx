/**
 * Step 1, Inputs (数据): the inputs found in the workbook with ✓ / ⚠ and their row counts, a
 * choice of table or sheet for each, and Check (检查), which runs the whole plan in memory and
 * lists every problem with its cell.
 */
import * as React from "react";
import {
  Button,
  Dropdown,
  Field,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Option,
  Spinner,
  Text,
  tokens,
} from "@fluentui/react-components";
import type { Problem } from "../engine/problems";
import type { AddinHost, DetectedTable } from "../hosts/addin";
import { useLocale, type PaneLocale } from "./locale";
import {
  choiceOptions,
  INPUT_LABEL,
  INPUT_PURPOSE,
  inputRows,
  statusMark,
  withChoice,
  type InputRow,
} from "./model/inputs";
import { ErrorPanel, Notice } from "./panels";
import { ProblemList } from "./ProblemList";
import type { WorkbookState } from "./useWorkbook";

export type CheckState =
  | { status: "idle" }
  | { status: "running" }
  | { status: "problems"; problems: Problem[]; run: number }
  | { status: "ok"; members: number; periods: number; run: number }
  | { status: "failed"; message: string; run: number; load?: boolean };

const AUTO = "";

const useStyles = makeStyles({
  intro: {
    display: "block",
    color: tokens.colorNeutralForeground2,
    marginBottom: tokens.spacingVerticalM,
  },
  list: {
    listStyleType: "none",
    margin: `0 0 ${tokens.spacingVerticalL}`,
    padding: 0,
  },
  row: {
    display: "grid",
    gridTemplateColumns: "20px 1fr",
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  mark: {
    gridRow: "1 / span 3",
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
  },
  found: {
    color: tokens.colorPaletteGreenForeground1,
  },
  warn: {
    color: tokens.colorPaletteDarkOrangeForeground1,
  },
  name: {
    fontWeight: tokens.fontWeightSemibold,
  },
  detail: {
    color: tokens.colorNeutralForeground2,
    wordBreak: "break-word",
  },
  warnText: {
    color: tokens.colorPaletteDarkOrangeForeground1,
  },
  choice: {
    marginTop: tokens.spacingVerticalXS,
  },
  dropdown: {
    minWidth: "0",
    width: "100%",
  },
  actions: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    marginBottom: tokens.spacingVerticalM,
  },
  status: {
    display: "block",
    marginBottom: tokens.spacingVerticalS,
    fontWeight: tokens.fontWeightSemibold,
  },
  notice: {
    marginBottom: tokens.spacingVerticalS,
  },
});

function rowsText(t: PaneLocale["t"], rows: number): string {
  return rows === 1 ? t("rowsOne") : t("rows", { count: rows.toLocaleString("en-US") });
}

function describeRow(t: PaneLocale["t"], row: InputRow): string {
  switch (row.status) {
    case "found":
    case "chosen": {
      const table = row.table as DetectedTable;
      const rows = rowsText(t, table.rows);
      if (table.source === "sheet") return t("foundSheet", { name: table.name, rows });
      return table.sheet === table.name
        ? t("foundTableOwnSheet", { name: table.name, rows })
        : t("foundTable", { name: table.name, sheet: table.sheet, rows });
    }
    case "chosenMissing":
      return t("chosenMissing", { name: row.choice ?? "" });
    case "missingRequired":
      return t("missingRequired");
    default:
      return t("missingOptional");
  }
}

function optionDetail(t: PaneLocale["t"], table: DetectedTable): string {
  const rows = rowsText(t, table.rows);
  return table.source === "table"
    ? t("optionTable", { sheet: table.sheet, rows })
    : t("optionSheet", { rows });
}

interface InputRowViewProps {
  row: InputRow;
  options: DetectedTable[];
  onChoose: (name: string | undefined) => void;
}

function InputRowView({ row, options, onChoose }: InputRowViewProps) {
  const { t } = useLocale();
  const styles = useStyles();
  const mark = statusMark(row.status);
  const label = t(INPUT_LABEL[row.kind]);
  const statusWord =
    mark === "✓" ? t("statusFound") : mark === "⚠" ? t("statusMissing") : t("statusOptional");
  const selected = row.choice ?? AUTO;
  const selectedText = row.choice ?? t("autoChoice");
  const markClass =
    mark === "✓"
      ? `${styles.mark} ${styles.found}`
      : mark === "⚠"
        ? `${styles.mark} ${styles.warn}`
        : styles.mark;

  return (
    <li
      className={styles.row}
      data-testid="input-row"
      data-kind={row.kind}
      data-status={row.status}
    >
      <span className={markClass} role="img" aria-label={statusWord}>
        {mark}
      </span>
      <Text className={styles.name}>{label}</Text>
      <Text size={200} className={mark === "⚠" ? styles.warnText : styles.detail}>
        {describeRow(t, row)}
        {" · "}
        {t(INPUT_PURPOSE[row.kind])}
      </Text>
      <Field className={styles.choice} size="small" label={t("chooseLabel", { input: label })}>
        <Dropdown
          className={styles.dropdown}
          size="small"
          value={selectedText}
          selectedOptions={[selected]}
          onOptionSelect={(_, data) => onChoose(data.optionValue)}
        >
          <Option value={AUTO}>{t("autoChoice")}</Option>
          {row.choice !== undefined && !options.some((o) => o.name === row.choice) ? (
            <Option value={row.choice}>{row.choice}</Option>
          ) : null}
          {options.map((table) => (
            <Option key={table.name} value={table.name} text={table.name}>
              {`${table.name} (${optionDetail(t, table)})`}
            </Option>
          ))}
        </Dropdown>
      </Field>
    </li>
  );
}

export interface InputsStepProps {
  host: AddinHost;
  workbook: WorkbookState;
  check: CheckState;
  onCheck: () => void;
  onGoToPlan: () => void;
  /** The check's problems have not had the focus yet. */
  focusProblems: boolean;
  onProblemsFocused: () => void;
}

export function InputsStep(props: InputsStepProps) {
  const { host, workbook, check, onCheck, onGoToPlan, focusProblems, onProblemsFocused } = props;
  const { t } = useLocale();
  const styles = useStyles();
  const { detected, detecting, detectError, setup, updateSetup } = workbook;
  const rows = React.useMemo(
    () => inputRows(detected ?? [], setup.choices),
    [detected, setup.choices]
  );
  const options = React.useMemo(() => choiceOptions(detected ?? []), [detected]);
  const running = check.status === "running";

  const choose = (row: InputRow, name: string | undefined) =>
    updateSetup((s) => ({ ...s, choices: withChoice(s.choices, row.kind, name) }));

  const count =
    check.status === "problems"
      ? check.problems.length === 1
        ? t("problemCountOne")
        : t("problemCount", { count: check.problems.length })
      : check.status === "ok"
        ? t("noProblems")
        : "";

  return (
    <section aria-labelledby="inputs-heading">
      <h2 id="inputs-heading">{t("inputsHeading")}</h2>
      <Text className={styles.intro}>{t("inputsIntro")}</Text>
      {detectError ? (
        <ErrorPanel
          message={t("readFailed", { message: detectError })}
          actionLabel={t("retry")}
          onAction={() => void workbook.refreshDetected()}
        />
      ) : null}
      {!detected && detecting ? <Spinner size="small" label={t("readingWorkbook")} /> : null}
      {detected ? (
        <ul className={styles.list}>
          {rows.map((row) => (
            <InputRowView
              key={row.kind}
              row={row}
              options={options}
              onChoose={(name) => choose(row, name)}
            />
          ))}
        </ul>
      ) : null}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          data-testid="check"
          onClick={onCheck}
          disabled={running || !workbook.setupReady}
        >
          {t("check")}
        </Button>
        {running ? <Spinner size="tiny" label={t("checking")} /> : null}
      </div>
      <Text className={styles.status} data-testid="problem-count" role="status">
        {count}
      </Text>
      {workbook.readReport && workbook.readReport.large.length > 0 ? (
        <div className={styles.notice} data-testid="read-large">
          <Notice
            intent="info"
            message={t("readLarge", {
              names: workbook.readReport.large.map((l) => l.name).join(t("listSeparator")),
              requests: workbook.readReport.requests,
            })}
          />
        </div>
      ) : null}
      {check.status === "failed" ? (
        <ErrorPanel
          message={t(check.load ? "loadFailed" : "readFailed", { message: check.message })}
          actionLabel={t("retry")}
          onAction={onCheck}
        />
      ) : null}
      {check.status === "ok" ? (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            {t("checkOk", { members: check.members, periods: check.periods })}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={onGoToPlan}>{t("goToPlan")}</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {check.status === "problems" ? (
        <ProblemList
          problems={check.problems}
          host={host}
          autoFocus={focusProblems}
          onAutoFocused={onProblemsFocused}
          headingId="inputs-problems"
          heading={t("problemsHeading")}
        />
      ) : null}
    </section>
  );
}
