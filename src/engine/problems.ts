/**
 * A problem with the workbook, named by its cell. The engine and the contract layer both
 * report problems as codes with arguments; src/i18n turns them into the workbook's language.
 */
export interface Problem {
  /** `Sheet!A1` (or `Settings!B4`); the first cell of the table when no single cell is to blame. */
  ref: string;
  /** Message key in src/i18n/messages.ts. */
  code: string;
  args?: Record<string, string | number>;
}

/** Thrown by the engine when the input cannot be planned; carries every problem found. */
export class PlanProblemsError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map((p) => `${p.ref}: ${p.code}`).join("\n"));
    this.name = "PlanProblemsError";
  }
}

/** An argument value that stands for the whole plan; i18n writes it as "the plan" / "总目标". */
export const PLAN_TOKEN = "@plan";
