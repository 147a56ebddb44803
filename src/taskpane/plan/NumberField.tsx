/**
 * A number the pane sets (取整单位, 保底系数, 冲刺系数): typed as text (`1,000`, `80%`), set as
 * soon as it is valid, cleared on leaving the field empty (the workbook's value applies again),
 * and explained right under the field when it is not valid.
 */
import * as React from "react";
import { Field, Input } from "@fluentui/react-components";
import { useLocale } from "../locale";
import { INVALID_MESSAGE, readTyped, typedText, type NumberSetting } from "../model/plan";

export interface NumberFieldProps {
  setting: NumberSetting;
  label: string;
  hint?: string;
  /** The value in force (the pane's, else the workbook's). */
  value: number | undefined;
  onCommit: (value: number | undefined) => void;
  testId?: string;
}

export function NumberField({ setting, label, hint, value, onCommit, testId }: NumberFieldProps) {
  const { t } = useLocale();
  const [text, setText] = React.useState(() => typedText(value));

  React.useEffect(() => {
    setText((current) => {
      const typed = readTyped(setting, current);
      return typed.kind === "set" && typed.value === value ? current : typedText(value);
    });
  }, [setting, value]);

  const invalid = readTyped(setting, text).kind === "invalid";

  return (
    <Field
      label={label}
      hint={hint}
      validationState={invalid ? "error" : "none"}
      validationMessage={invalid ? t(INVALID_MESSAGE[setting]) : undefined}
    >
      <Input
        data-testid={testId}
        value={text}
        inputMode="decimal"
        autoComplete="off"
        onChange={(_, data) => {
          setText(data.value);
          const typed = readTyped(setting, data.value);
          if (typed.kind === "set" && typed.value !== value) onCommit(typed.value);
        }}
        onBlur={() => {
          if (readTyped(setting, text).kind === "clear") onCommit(undefined);
        }}
      />
    </Field>
  );
}
