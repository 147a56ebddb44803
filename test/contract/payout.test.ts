/**
 * The incentive rules (contract/payout.ts): the Payout / 激励 table and its Settings, in English and
 * Chinese, and every bad-input class as a problem that names the cell.
 */
import { parseWorkbook } from "../../src/contract";
import { readPayoutInputs } from "../../src/contract/payout";
import type { RawCell, RawTable } from "../../src/hosts/host";
import { englishWorkbook, ok, settings, sheet, table } from "./build";

function read(payout: RawTable | undefined, entries: [string, RawCell][] = []) {
  const [targets, history] = englishWorkbook();
  const tables = [targets, history, settings([["Levels", "Region > Rep"], ["Unit", 100], ...entries]), ...(payout ? [payout] : [])];
  return readPayoutInputs(ok(parseWorkbook(tables)), tables);
}

const bands = (rows: RawCell[][], headers: RawCell[] = ["From", "Rate", "Bonus"]): RawTable => sheet("Payout", headers, rows);
const refs = (r: ReturnType<typeof read>): string[] => r.problems.map((p) => `${p.ref} ${p.code}`);

describe("the Payout table", () => {
  it("reads tiers and completions, rates as fractions or percentages, bonuses and the settings", () => {
    const r = read(
      bands([
        ["Floor", "1%", null],
        ["Target", 0.02, 1000],
        ["Stretch", "3%", "2,000"],
        ["150%", null, 5000],
      ]),
      [["PayoutMode", "Marginal"], ["PayoutCap", "100,000"], ["RankAward", "3,000, 2,000; 1000"]],
    );
    expect(r.problems).toEqual([]);
    expect(r.rules).toMatchObject({ mode: "Marginal", cap: 100_000, rankAward: [3000, 2000, 1000], refs: { table: "Payout!A1", mode: "Settings!B4", cap: "Settings!B5" } });
    expect(r.rules!.bands.map((b) => [b.from, b.rate, b.bonus, b.label, b.refs.from])).toEqual([
      [{ tier: "floor" }, 0.01, 0, "Floor", "Payout!A2"],
      [{ tier: "target" }, 0.02, 1000, "Target", "Payout!A3"],
      [{ tier: "stretch" }, 0.03, 2000, "Stretch", "Payout!A4"],
      // An empty Rate carries the band before's.
      [{ completion: 1.5 }, 0.03, 5000, "150%", "Payout!A5"],
    ]);
  });

  it("reads the Chinese table (激励: 起点, 提成比例, 奖金) and settings (激励方式, 激励封顶, 排名奖, 排名奖名额)", () => {
    const r = read(table("激励", "激励规则", ["起点", "提成比例", "奖金"], [["保底", "1%", 500], ["力争目标", "2%", 1000], ["冲刺", "3%", 2000]]), [
      ["激励方式", "整额"],
      ["激励封顶", "12万"],
      ["排名奖", 1000],
      ["排名奖名额", 3],
    ]);
    expect(r.problems).toEqual([]);
    expect(r.rules).toMatchObject({ mode: "Whole", cap: 120_000, rankAward: [1000, 1000, 1000] });
    expect(r.rules!.bands.map((b) => b.from)).toEqual([{ tier: "floor" }, { tier: "target" }, { tier: "stretch" }]);
  });

  it("is absent without a Payout table or a ranking award; a ranking award may stand alone", () => {
    expect(read(undefined)).toEqual({ problems: [] });
    const alone = read(undefined, [["RankAward", "500"]]);
    expect(alone.problems).toEqual([]);
    expect(alone.rules).toMatchObject({ bands: [], rankAward: [500], mode: "Whole" });
  });
});

describe("bad Payout tables: the cell named", () => {
  it("a rate below zero", () => {
    expect(refs(read(bands([["Floor", "-1%", 0]])))).toEqual(["Payout!B2 payoutRateNegative"]);
  });

  it("a rate above 100 % (3 typed for 3 %), or not a number", () => {
    expect(refs(read(bands([["Floor", 3, 0], ["Target", "two", 0]])))).toEqual(["Payout!B2 badPayoutRate", "Payout!B3 badPayoutRate"]);
  });

  it("a bonus below zero, or not an amount", () => {
    expect(refs(read(bands([["Floor", "1%", -5], ["Target", "2%", "lots"]])))).toEqual(["Payout!C2 badPayoutBonus", "Payout!C3 badPayoutBonus"]);
  });

  it("a From that is neither a tier nor a completion, or empty", () => {
    expect(refs(read(bands([["Gold", "1%", 0], [null, "2%", 0], ["1200", "3%", 0]])))).toEqual(["Payout!A2 badPayoutFrom", "Payout!A3 missingValue", "Payout!A4 badPayoutFrom"]);
  });

  it("bands out of order: tiers, completions, and a completion against Target (100 %)", () => {
    expect(refs(read(bands([["Stretch", "3%", 0], ["Target", "2%", 0]])))).toEqual(["Payout!A3 payoutBandsOutOfOrder"]);
    expect(refs(read(bands([["120%", "3%", 0], ["110%", "2%", 0]])))).toEqual(["Payout!A3 payoutBandsOutOfOrder"]);
    expect(refs(read(bands([["Target", "2%", 0], ["90%", "1%", 0]])))).toEqual(["Payout!A3 payoutBandsOutOfOrder"]);
  });

  it("overlapping bands: one tier twice, one completion twice, Target and 100 %", () => {
    expect(refs(read(bands([["Target", "2%", 0], ["力争", "3%", 0]])))).toEqual(["Payout!A3 payoutBandsOverlap"]);
    expect(refs(read(bands([["120%", "2%", 0], [1.2, "3%", 0]])))).toEqual(["Payout!A3 payoutBandsOverlap"]);
    expect(refs(read(bands([["100%", "2%", 0], ["Target", "3%", 0]])))).toEqual(["Payout!A3 payoutBandsOverlap"]);
  });

  it("a table without From, or without Rate and Bonus, or without bands", () => {
    expect(refs(read(bands([["1%", 0]], ["Rate", "Bonus"])))).toEqual(["Payout!A1 missingColumn"]);
    expect(refs(read(bands([["Floor"]], ["From"])))).toEqual(["Payout!A1 missingColumn"]);
    expect(refs(read(bands([])))).toEqual(["Payout!A1 payoutEmpty"]);
  });

  it("settings: a mode, cap or award that cannot be read, and mode or cap without a table", () => {
    const table = bands([["Floor", "1%", 0]]);
    expect(refs(read(table, [["PayoutMode", "Generous"]]))).toEqual(["Settings!B4 badPayoutMode"]);
    expect(refs(read(table, [["PayoutCap", "-10"]]))).toEqual(["Settings!B4 badPayoutCap"]);
    expect(refs(read(table, [["RankAward", "3000, -1"]]))).toEqual(["Settings!B4 badRankAward"]);
    expect(refs(read(table, [["RankAward", "3000, 2000"], ["RankAwardTop", 3]]))).toEqual(["Settings!B5 rankAwardTopWithList"]);
    expect(refs(read(table, [["RankAward", "3000"], ["RankAwardTop", "2.5"]]))).toEqual(["Settings!B5 badRankAwardTop"]);
    expect(refs(read(table, [["RankAwardTop", 3]]))).toEqual(["Settings!B4 rankAwardTopAlone"]);
    expect(refs(read(undefined, [["PayoutMode", "Whole"], ["PayoutCap", 100]]))).toEqual(["Settings!B4 payoutTableMissing", "Settings!B5 payoutTableMissing"]);
  });
});
