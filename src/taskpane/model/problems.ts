/**
 * Problems as the pane lists them (UX.md "Every problem has an address"): `Sheet!A1: message`
 * in the Office display language, a page at a time, then how many are left.
 */
import type { Problem } from "../../engine/problems";
import { formatProblem, type Lang } from "../../i18n";

/** Problems shown before the "N more" button, and how many more each press shows. */
export const PROBLEM_PAGE = 5;

export interface ProblemLine {
  /** Stable React key. */
  key: string;
  /** The cell to select, `Sheet!A1`. */
  ref: string;
  /** `Sheet!A1: what is wrong`. */
  text: string;
}

export function problemLines(problems: readonly Problem[], lang: Lang): ProblemLine[] {
  return problems.map((p, i) => ({
    key: `${i}:${p.ref}:${p.code}`,
    ref: p.ref,
    text: formatProblem(p, lang),
  }));
}

export interface ProblemPage {
  visible: ProblemLine[];
  /** How many are not shown yet. */
  remaining: number;
}

/** The first `shown` lines (at least one page), and the count left. */
export function problemPage(lines: readonly ProblemLine[], shown: number): ProblemPage {
  const count = Math.min(lines.length, Math.max(PROBLEM_PAGE, shown));
  return { visible: lines.slice(0, count), remaining: lines.length - count };
}

/** How many to show after pressing "N more". */
export function showMore(shown: number, total: number): number {
  return Math.min(total, Math.max(PROBLEM_PAGE, shown) + PROBLEM_PAGE);
}
