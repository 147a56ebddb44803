/**
 * Writes the sample workbooks into sample/ (npm run sample, or npx tsx scripts/make-sample.ts):
 *
 *   sample/厨电门店-2027.xlsx          the kitchen-appliance chain's 2027 plan (Chinese)
 *   sample/kitchen-appliances-2027.xlsx  the same workbook in English
 *   sample/五一活动-2027.xlsx          the May Day campaign, a stage-grain plan (Chinese)
 *   sample/may-day-campaign-2027.xlsx    the same campaign in English
 *   sample/门店季节-2027.xlsx          own seasons, new hires and a leaver, holds (Chinese)
 *   sample/store-seasons-2027.xlsx       the same workbook in English
 *
 * The data come from a seeded generator, and the files carry fixed timestamps, so running the
 * script again rewrites byte-identical files. An optional argument writes elsewhere.
 */
import * as path from "path";
import { generateKitchenChain } from "./lib/kitchen";
import { buildMainSample, buildMayDaySample, SAMPLE_FILES, type Lang, type SampleCounts } from "./lib/sample";
import { buildSeasonsSample, generateSeasonsChain, SEASONS_FILES } from "./lib/seasons";
import { writeWorkbookStable } from "./lib/xlsx";

const LANGS: readonly Lang[] = ["zh", "en"];

const formatNumber = (value: number) => value.toLocaleString("en-US");

async function main(outDir: string): Promise<void> {
  const started = performance.now();
  const data = generateKitchenChain();
  console.log(`generated data in ${Math.round(performance.now() - started)} ms`);
  console.log(
    `revenue 2025 ${formatNumber(data.revenue[2025])}, 2026 ${formatNumber(data.revenue[2026])} ` +
      `(growth ${((data.revenue[2026] / data.revenue[2025] - 1) * 100).toFixed(1)}%)`,
  );
  console.log(
    `targets 2027: floor ${formatNumber(data.targets.floor)}, target ${formatNumber(data.targets.target)}, ` +
      `stretch ${formatNumber(data.targets.stretch)}; lock ${data.lock.rep.zh} ${formatNumber(data.lock.amount)}`,
  );
  console.log(
    `May Day (${data.mayDay.region.zh}): target ${formatNumber(data.mayDay.targets.target)} ` +
      `vs. same days of 2026 ≈ ${formatNumber(data.mayDay.lastYearEstimate)}`,
  );

  for (const [kind, build] of [
    ["main", buildMainSample],
    ["mayDay", buildMayDaySample],
  ] as const) {
    for (const lang of LANGS) {
      const t0 = performance.now();
      const { workbook, counts } = build(data, lang);
      const file = path.join(outDir, SAMPLE_FILES[kind][lang]);
      const bytes = await writeWorkbookStable(workbook, file);
      console.log(
        `${path.relative(process.cwd(), file)}: ${(bytes / 1024).toFixed(0)} KB, ${describe(counts)}, ` +
          `${Math.round(performance.now() - t0)} ms`,
      );
    }
  }
  const seasons = generateSeasonsChain(data);
  console.log(
    `store seasons: ${seasons.reps.length} reps with History and ${seasons.newHires.length} new hires, ` +
      `target ${formatNumber(seasons.targets.target)}, ${seasons.holds.length} holds`,
  );
  for (const lang of LANGS) {
    const t0 = performance.now();
    const { workbook, counts } = buildSeasonsSample(seasons, lang);
    const file = path.join(outDir, SEASONS_FILES[lang]);
    const bytes = await writeWorkbookStable(workbook, file);
    console.log(
      `${path.relative(process.cwd(), file)}: ${(bytes / 1024).toFixed(0)} KB, ${describe(counts)}, ` +
        `${Math.round(performance.now() - t0)} ms`,
    );
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function describe(counts: SampleCounts | Record<string, number>): string {
  return Object.entries(counts)
    .map(([sheet, rows]) => `${sheet} ${rows}`)
    .join(", ");
}

main(process.argv[2] ?? path.join(__dirname, "..", "sample")).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
