/**
 * A small workbook whose funnel is full of floating-point traps, for the command-line tests:
 *
 *   Referral  Target 11,000 at 1,000 an order → 11 orders; 22 orders from 30 visits → 15 visits (11 ÷ (22/30) = 15.000000000000002)
 *   Walk-in   Target  1,100 at 2,200 for 30 orders → 15 orders (1,100 ÷ (2,200/30) = 15.000000000000002)
 *   Online    Target  2,200 at 4,400 for 48 orders → 24 orders
 *   Filter    attached to 14% of the 50 orders → 7 (50 × 0.14 = 7.000000000000001)
 *
 * Grain Week over 2027-Q2, Unit 100, Target 14,300 (History shares 10 : 1 : 2).
 */
import type { Rows, WorkbookSpec } from "./fixtures";

export const TRAP_HISTORY_HEADERS = ["Date", "Rep", "Channel", "Product", "Amount", "Orders", "Visits", "Invitations"];

/** History rows per channel: two months, halves of the yearly sums. */
const CHANNELS: [string, string, number, number, number, number][] = [
  // channel, product, amount, orders, visits, invitations (per half)
  ["Referral", "Hood", 11_000, 11, 15, 37],
  ["Walk-in", "Filter", 1_100, 15, 22, 45],
  ["Online", "Hood", 2_200, 24, 30, 75],
];

export function trapHistory(change: (row: (string | number)[], channel: string, half: number) => void = () => undefined): Rows {
  const rows: Rows = [TRAP_HISTORY_HEADERS];
  for (const [channel, product, amount, orders, visits, invitations] of CHANNELS) {
    [0, 1].forEach((half) => {
      // The second half takes what the first leaves of odd sums: Referral 38 invitations, Walk-in 45 visits and 90 invitations.
      const row: (string | number)[] = [half ? "2026-09" : "2026-03", `${channel} rep`, channel, product, amount, orders, visits + (half && channel === "Walk-in" ? 1 : 0), invitations + (half && channel === "Referral" ? 1 : 0)];
      change(row, channel, half);
      rows.push(row);
    });
  }
  return rows;
}

export function trapBook(over: { history?: Rows; settings?: Rows } = {}): WorkbookSpec {
  const sheets: Record<string, Rows> = {
    Targets: [
      ["Period", "Target"],
      ["2027-Q2", 14_300],
    ],
    "History data": over.history ?? trapHistory(),
    Settings: over.settings ?? trapSettings(),
  };
  return { sheets, tables: { "History data": "History" } };
}

export function trapSettings(extra: Rows = [["Attach.Filter", "14%"]], funnel = "Invitations > Visits > Orders"): Rows {
  return [
    ["Key", "Value"],
    ["Levels", "Rep"],
    ["Grain", "Week"],
    ["Unit", 100],
    ["Funnel", funnel],
    ...extra,
  ];
}
