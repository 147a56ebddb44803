/**
 * Step 2, Plan (分解): the level order, grain, methods, unit and tiers, over a live preview,
 * and Write plan (生成分解表). Loaded on demand with the planning pipeline; the workbook is read
 * once and every change is recomputed from memory.
 */
import * as React from "react";
import {
  Button,
  Dropdown,
  Field,
  makeStyles,
  Option,
  Spinner,
  Text,
  tokens,
} from "@fluentui/react-components";
import { GRAINS, type Grain, type Tier } from "../../engine/types";
import type { AddinHost, PlanOverrides } from "../../hosts/addin";
import { useLocale } from "../locale";
import { inputRows } from "../model/inputs";
import {
  baselineOf,
  GRAIN_LABEL,
  planView,
  setGrain,
  setNumber,
  TIER_LABEL,
  type PlanBaseline,
  type PlanView,
} from "../model/plan";
import { formatAmount, methodsUsed } from "../model/preview";
import { compactOverrides } from "../model/setup";
import { errorMessage } from "../model/write";
import { ErrorPanel, Notice } from "../panels";
import { levelChoices, workbookBaseline } from "../pipeline";
import type { WorkbookState } from "../useWorkbook";
import { LevelList } from "./LevelList";
import { NumberField } from "./NumberField";
import { PreviewPanel } from "./PreviewPanel";
import type { WriteState } from "./types";
import { usePreview } from "./usePreview";
import { WritePanel } from "./WritePanel";
import { LettersPanel } from "./LettersPanel";
import RebalancePanel from "./RebalancePanel";

const useStyles = makeStyles({
  note: {
    display: "block",
    color: tokens.colorNeutralForeground2,
    marginBottom: tokens.spacingVerticalM,
  },
  fields: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    marginTop: tokens.spacingVerticalM,
  },
  tiers: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  tierName: {
    fontWeight: tokens.fontWeightSemibold,
    marginRight: tokens.spacingHorizontalS,
  },
  reset: {
    marginTop: tokens.spacingVerticalM,
  },
});

function TiersSection(props: {
  view: PlanView;
  onRatio: (key: "floorRatio" | "stretchRatio", value: number | undefined) => void;
}) {
  const { view, onRatio } = props;
  const { t } = useLocale();
  const styles = useStyles();

  const tier = (name: Tier) => {
    const source = view.tiers[name];
    if (source.kind === "given") {
      return (
        <Text>
          <span className={styles.tierName}>{t(TIER_LABEL[name])}</span>
          {t("tierGiven", { amount: formatAmount(source.amount) })}
        </Text>
      );
    }
    if (source.kind === "growth") {
      return (
        <Text>
          <span className={styles.tierName}>{t(TIER_LABEL[name])}</span>
          {t("tierFromGrowth")}
        </Text>
      );
    }
    if (name === "target") {
      return (
        <Text>
          <span className={styles.tierName}>{t(TIER_LABEL[name])}</span>
          {t("tierNone")}
        </Text>
      );
    }
    const floor = name === "floor";
    return (
      <NumberField
        setting={floor ? "floorRatio" : "stretchRatio"}
        label={t(floor ? "floorRatioLabel" : "stretchRatioLabel")}
        hint={t(floor ? "floorRatioHint" : "stretchRatioHint")}
        value={source.ratio}
        testId={floor ? "floor-ratio-input" : "stretch-ratio-input"}
        onCommit={(value) => onRatio(floor ? "floorRatio" : "stretchRatio", value)}
      />
    );
  };

  return (
    <section aria-labelledby="tiers-heading">
      <h3 id="tiers-heading">{t("tiersHeading")}</h3>
      <ul className={styles.tiers}>
        {(["floor", "target", "stretch"] as const).map((name) => (
          <li key={name}>{tier(name)}</li>
        ))}
      </ul>
    </section>
  );
}

export interface PlanStepProps {
  host: AddinHost;
  workbook: WorkbookState;
  write: WriteState;
  onWrite: (state: WriteState) => void;
}

export default function PlanStep({ host, workbook, write, onWrite }: PlanStepProps) {
  const { t } = useLocale();
  const styles = useStyles();
  const { tables, setup, setupReady, updateSetup, detected, readTables } = workbook;
  const { choices, plan: overrides } = setup;
  const [readError, setReadError] = React.useState<string>();

  const read = React.useCallback(() => {
    setReadError(undefined);
    readTables().catch((e: unknown) => setReadError(errorMessage(e)));
  }, [readTables]);

  React.useEffect(() => {
    if (!tables) read();
  }, []); // once, when the step opens without tables; later reads come from Check and Write

  const options = React.useMemo(
    () => (tables ? levelChoices(tables, choices) : []),
    [tables, choices]
  );
  const baseline = React.useMemo(
    () => (tables ? workbookBaseline(tables, choices) : undefined),
    [tables, choices]
  );
  const preview = usePreview(tables, setup, setupReady);
  const outcome = preview.outcome;
  // The last plan that worked keeps the form filled while the workbook's own settings do not
  // parse and the preview shows problems.
  const lastGood = React.useRef<PlanBaseline | undefined>(undefined);
  const good = React.useMemo(
    () => (outcome?.ok ? baselineOf(outcome.workbook.input) : undefined),
    [outcome]
  );
  if (good) lastGood.current = good;
  const used = React.useMemo(() => (outcome?.ok ? methodsUsed(outcome.result) : {}), [outcome]);
  const view = planView(overrides, baseline ?? lastGood.current, options, used);

  const stagesRow = detected
    ? inputRows(detected, choices).find((r) => r.kind === "stages")
    : undefined;
  const hasStages = !detected || stagesRow?.table !== undefined;

  const change = (next: PlanOverrides) => updateSetup((s) => ({ ...s, plan: next }));
  const hasOverrides = Object.keys(compactOverrides(overrides)).length > 0;

  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">{t("planHeading")}</h2>
      <Text size={200} className={styles.note}>
        {t("paneSettingsNote")}
      </Text>
      {readError ? (
        <ErrorPanel
          message={t("readFailed", { message: readError })}
          actionLabel={t("retry")}
          onAction={read}
        />
      ) : null}
      {!tables && !readError ? <Spinner size="small" label={t("readingWorkbook")} /> : null}
      {tables ? (
        <>
          {!view.known && outcome ? <Notice intent="info" message={t("settingsUnknown")} /> : null}
          <LevelList view={view} overrides={overrides} onChange={change} />
          <div className={styles.fields}>
            <Field label={t("grainLabel")} hint={hasStages ? undefined : t("stageNeedsTable")}>
              <Dropdown
                data-testid="grain-select"
                value={t(GRAIN_LABEL[view.grain])}
                selectedOptions={[view.grain]}
                onOptionSelect={(_, data) => {
                  const grain = GRAINS.find((g) => g === data.optionValue);
                  if (grain) change(setGrain(overrides, grain as Grain));
                }}
              >
                {GRAINS.map((g) => (
                  <Option key={g} value={g} disabled={g === "Stage" && !hasStages}>
                    {t(GRAIN_LABEL[g])}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <NumberField
              setting="unit"
              label={t("unitLabel")}
              hint={t("unitHint")}
              value={view.unit}
              testId="unit-input"
              onCommit={(value) => change(setNumber(overrides, "unit", value))}
            />
            {view.known ? (
              <TiersSection
                view={view}
                onRatio={(key, value) => change(setNumber(overrides, key, value))}
              />
            ) : null}
          </div>
          {hasOverrides ? (
            <Button className={styles.reset} appearance="secondary" onClick={() => change({})}>
              {t("resetSettings")}
            </Button>
          ) : null}
          <PreviewPanel state={preview} host={host} />
          <WritePanel
            host={host}
            sheets={preview.outcome?.ok ? preview.outcome.sheets : undefined}
            previewTables={preview.tables}
            previewChoices={preview.choices}
            tables={tables}
            pending={preview.pending}
            workbook={workbook}
            write={write}
            onWrite={onWrite}
          />
          <RebalancePanel host={host} workbook={workbook} />
          <LettersPanel
            host={host}
            previewTables={preview.outcome?.ok ? preview.tables : undefined}
            previewChoices={preview.choices}
            overrides={overrides}
            pending={preview.pending}
            workbook={workbook}
          />
        </>
      ) : null}
    </section>
  );
}
