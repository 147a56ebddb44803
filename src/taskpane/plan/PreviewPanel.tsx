/**
 * 预览: what a write would put in the workbook, before anything is written — the top-level split,
 * the periods and the totals check (✓ when every sibling, row and column adds up).
 */
import * as React from "react";
import { makeStyles, Spinner, Text, tokens } from "@fluentui/react-components";
import type { AddinHost } from "../../hosts/addin";
import { useLocale } from "../locale";
import { GRAIN_LABEL, TIER_LABEL } from "../model/plan";
import { buildPreview, formatAmount, formatShare, type Preview } from "../model/preview";
import { ErrorPanel } from "../panels";
import { ProblemList } from "../ProblemList";
import type { PreviewState } from "./usePreview";

const useStyles = makeStyles({
  panel: {
    marginTop: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  head: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
  },
  ok: {
    display: "block",
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorPaletteGreenForeground1,
  },
  bad: {
    display: "block",
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorPaletteRedForeground1,
  },
  totals: {
    display: "block",
    marginTop: tokens.spacingVerticalXS,
  },
  table: {
    width: "100%",
    borderCollapse: "collapse",
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
    "& th, & td": {
      padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
      textAlign: "right",
      whiteSpace: "nowrap",
    },
    "& th:first-child": {
      textAlign: "left",
      whiteSpace: "normal",
      overflowWrap: "break-word",
    },
    "& thead th": {
      fontWeight: tokens.fontWeightSemibold,
      color: tokens.colorNeutralForeground2,
    },
    "& tbody th": {
      fontWeight: tokens.fontWeightRegular,
    },
  },
  barCell: {
    display: "flex",
    alignItems: "center",
    justifyContent: "flex-end",
    gap: tokens.spacingHorizontalXS,
  },
  barTrack: {
    flexGrow: 1,
    minWidth: "32px",
    height: "8px",
    backgroundColor: tokens.colorNeutralBackground4,
    borderRadius: tokens.borderRadiusSmall,
    overflow: "hidden",
  },
  bar: {
    display: "block",
    height: "100%",
    backgroundColor: tokens.colorBrandBackground,
  },
  more: {
    display: "block",
    color: tokens.colorNeutralForeground2,
    marginTop: tokens.spacingVerticalXXS,
  },
});

function PreviewBody({ preview }: { preview: Preview }) {
  const { t } = useLocale();
  const styles = useStyles();
  const totals = preview.tiers
    .map((tier) => `${t(TIER_LABEL[tier])} ${formatAmount(preview.totals[tier] ?? 0)}`)
    .join(" · ");

  return (
    <>
      <Text
        data-testid="totals-check"
        data-ok={preview.totalsOk ? "true" : "false"}
        className={preview.totalsOk ? styles.ok : styles.bad}
      >
        {preview.totalsOk
          ? t("totalsOk")
          : t("totalsBad", { detail: preview.mismatches.slice(0, 3).join("; ") })}
      </Text>
      <Text className={styles.totals}>{t("planTotals", { totals })}</Text>

      {preview.levelLabel ? (
        <>
          <h4 id="preview-split">{t("splitHeading", { level: preview.levelLabel })}</h4>
          <table className={styles.table} aria-labelledby="preview-split">
            <thead>
              <tr>
                <th scope="col">{preview.levelLabel}</th>
                <th scope="col">{t("shareColumn")}</th>
                {preview.tiers.map((tier) => (
                  <th scope="col" key={tier}>
                    {t(TIER_LABEL[tier])}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.split.map((row, i) => (
                <tr key={`${i}:${row.label}`}>
                  <th scope="row">{row.label}</th>
                  <td>{formatShare(row.share)}</td>
                  {preview.tiers.map((tier) => (
                    <td key={tier}>{formatAmount(row.amounts[tier] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {preview.splitMore > 0 ? (
            <Text size={200} className={styles.more}>
              {t("moreRows", { count: preview.splitMore })}
            </Text>
          ) : null}
        </>
      ) : (
        <Text className={styles.more}>{t("timeOnly")}</Text>
      )}

      <h4 id="preview-periods">{t("periodsHeading", { grain: t(GRAIN_LABEL[preview.grain]) })}</h4>
      <table className={styles.table} aria-labelledby="preview-periods">
        <thead>
          <tr>
            <th scope="col">{t("periodColumn")}</th>
            <th scope="col">{t("tierTarget")}</th>
            <th scope="col">{t("shareColumn")}</th>
          </tr>
        </thead>
        <tbody>
          {preview.periods.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>{formatAmount(row.amounts.target ?? 0)}</td>
              <td>
                <span className={styles.barCell}>
                  <span className={styles.barTrack} aria-hidden="true">
                    <span
                      className={styles.bar}
                      style={{ width: `${(row.bar * 100).toFixed(1)}%` }}
                    />
                  </span>
                  {formatShare(row.share)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.periodsMore > 0 ? (
        <Text size={200} className={styles.more}>
          {t("moreRows", { count: preview.periodsMore })}
        </Text>
      ) : null}
    </>
  );
}

export function PreviewPanel({ state, host }: { state: PreviewState; host: AddinHost }) {
  const { t } = useLocale();
  const styles = useStyles();
  const { outcome, pending, error } = state;
  const preview = React.useMemo(
    () => (outcome?.ok ? buildPreview(outcome.result) : undefined),
    [outcome]
  );

  return (
    <section
      className={styles.panel}
      aria-labelledby="preview-heading"
      aria-busy={pending}
      data-testid="preview"
    >
      <div className={styles.head}>
        <h3 id="preview-heading">{t("previewHeading")}</h3>
        {pending && outcome ? <Spinner size="extra-tiny" label={t("previewUpdating")} /> : null}
      </div>
      {error ? (
        <ErrorPanel
          title={t("crashed", { message: error })}
          message={t("crashedHelp")}
          actionLabel={t("reload")}
          onAction={() => window.location.reload()}
        />
      ) : null}
      {!outcome && !error ? <Spinner size="small" label={t("previewUpdating")} /> : null}
      {outcome && !outcome.ok ? (
        <>
          <Text>{t("previewProblems")}</Text>
          <ProblemList
            problems={outcome.problems}
            host={host}
            headingId="preview-problems"
            heading={t("problemsHeading")}
          />
        </>
      ) : null}
      {preview ? <PreviewBody preview={preview} /> : null}
    </section>
  );
}
