/**
 * Competition ranking (CONTRACT §4.8): highest first, ties share a rank and the next rank skips
 * (1, 2, 2, 4) — the "standard competition" ranking a sales floor expects on its leaderboard.
 */

/** Ranks of `values` (same order as given), highest value = rank 1. */
export function competitionRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const ranks = new Array<number>(values.length);
  order.forEach((i, pos) => {
    const prev = order[pos - 1];
    ranks[i] = pos > 0 && values[prev] === values[i] ? ranks[prev] : pos + 1;
  });
  return ranks;
}
