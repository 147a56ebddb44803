/**
 * 分解层级: the levels in cascade order. Each row moves up or down (buttons, so the keyboard
 * does it as well as the mouse; the focus stays on the moved level), takes a method, or goes;
 * any other column of History can be added as the lowest level.
 */
import * as React from "react";
import {
  Button,
  Dropdown,
  Field,
  makeStyles,
  Option,
  Text,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownRegular, ArrowUpRegular, DismissRegular } from "@fluentui/react-icons";
import type { Method } from "../../engine/types";
import type { PlanOverrides } from "../../hosts/addin";
import { useLocale } from "../locale";
import {
  addLevel,
  METHOD_LABEL,
  METHODS,
  moveLevel,
  removeLevel,
  setLevelMethod,
  type PlanView,
} from "../model/plan";

const AUTO = "auto";

const useStyles = makeStyles({
  hint: {
    display: "block",
    color: tokens.colorNeutralForeground2,
    marginBottom: tokens.spacingVerticalS,
  },
  list: {
    listStyleType: "none",
    margin: `0 0 ${tokens.spacingVerticalM}`,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  row: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) auto",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  name: {
    fontWeight: tokens.fontWeightSemibold,
    overflowWrap: "anywhere",
  },
  buttons: {
    display: "flex",
    gap: tokens.spacingHorizontalXXS,
  },
  method: {
    gridColumn: "1 / span 2",
    minWidth: "0",
  },
});

export interface LevelListProps {
  view: PlanView;
  overrides: PlanOverrides;
  onChange: (overrides: PlanOverrides) => void;
}

export function LevelList({ view, overrides, onChange }: LevelListProps) {
  const { t } = useLocale();
  const styles = useStyles();
  const buttons = React.useRef(new Map<string, HTMLElement | null>());
  const pendingFocus = React.useRef<string | undefined>(undefined);

  React.useEffect(() => {
    if (pendingFocus.current === undefined) return;
    buttons.current.get(pendingFocus.current)?.focus();
    pendingFocus.current = undefined;
  });

  const refFor = (key: string) => (el: HTMLElement | null) => {
    buttons.current.set(key, el);
  };

  const move = (index: number, delta: -1 | 1) => {
    pendingFocus.current = `${view.levels[index].name}:${delta < 0 ? "up" : "down"}`;
    onChange(moveLevel(overrides, view, index, delta));
  };

  const remove = (index: number) => {
    const rest = view.levels.filter((_, i) => i !== index);
    const next = rest[Math.min(index, rest.length - 1)];
    pendingFocus.current = next ? `${next.name}:remove` : undefined;
    onChange(removeLevel(overrides, view, index));
  };

  const methodText = (method: Method | undefined, workbook: Method | undefined): string => {
    if (method) return t(METHOD_LABEL[method]);
    return workbook ? t("methodAutoWith", { method: t(METHOD_LABEL[workbook]) }) : t("methodAuto");
  };

  const last = view.levels.length - 1;

  return (
    <section aria-labelledby="levels-heading">
      <h3 id="levels-heading">{t("levelsHeading")}</h3>
      {view.levels.length > 0 || view.known ? (
        <Text size={200} className={styles.hint}>
          {view.levels.length > 0 ? t("levelsHint") : t("noLevels")}
        </Text>
      ) : null}
      <ol className={styles.list}>
        {view.levels.map((level, i) => (
          <li key={level.name} className={styles.row} data-testid="level-row">
            <Text className={styles.name}>
              {t("levelPosition", { position: i + 1 })} {level.label}
            </Text>
            <span className={styles.buttons}>
              <Button
                size="small"
                appearance="subtle"
                icon={<ArrowUpRegular />}
                aria-label={t("moveUp", { level: level.label })}
                title={t("moveUp", { level: level.label })}
                data-testid="level-up"
                disabledFocusable={i === 0}
                ref={refFor(`${level.name}:up`)}
                onClick={() => move(i, -1)}
              />
              <Button
                size="small"
                appearance="subtle"
                icon={<ArrowDownRegular />}
                aria-label={t("moveDown", { level: level.label })}
                title={t("moveDown", { level: level.label })}
                data-testid="level-down"
                disabledFocusable={i === last}
                ref={refFor(`${level.name}:down`)}
                onClick={() => move(i, 1)}
              />
              <Button
                size="small"
                appearance="subtle"
                icon={<DismissRegular />}
                aria-label={t("removeLevel", { level: level.label })}
                title={t("removeLevel", { level: level.label })}
                disabledFocusable={view.levels.length === 1}
                ref={refFor(`${level.name}:remove`)}
                onClick={() => remove(i)}
              />
            </span>
            <Dropdown
              className={styles.method}
              size="small"
              aria-label={t("methodLabel", { level: level.label })}
              value={methodText(level.method, level.workbookMethod ?? level.usedMethod)}
              selectedOptions={[level.method ?? AUTO]}
              onOptionSelect={(_, data) => {
                const value = data.optionValue;
                const method = METHODS.find((m) => m === value);
                onChange(setLevelMethod(overrides, view, i, method));
              }}
            >
              <Option
                value={AUTO}
                text={methodText(undefined, level.workbookMethod ?? level.usedMethod)}
              >
                {methodText(undefined, level.workbookMethod ?? level.usedMethod)}
              </Option>
              {METHODS.map((m) => (
                <Option key={m} value={m}>
                  {t(METHOD_LABEL[m])}
                </Option>
              ))}
            </Dropdown>
          </li>
        ))}
      </ol>
      {view.addable.length > 0 ? (
        <Field label={t("addLevel")} size="small">
          <Dropdown
            size="small"
            placeholder={t("addLevelPlaceholder")}
            selectedOptions={[]}
            value=""
            onOptionSelect={(_, data) => {
              const level = view.addable.find((c) => c.label === data.optionValue);
              if (level) onChange(addLevel(overrides, view, level));
            }}
          >
            {view.addable.map((c) => (
              <Option key={c.label} value={c.label}>
                {c.label}
              </Option>
            ))}
          </Dropdown>
        </Field>
      ) : null}
    </section>
  );
}
