/**
 * Whether the workbook's plan has a funnel (docs/funnel-and-drivers.md): a channel column and an
 * Orders column in History. Decides whether the pane shows the Funnel step; loaded on demand
 * (`loadFunnelDetect`), so the first screen does not carry the contract.
 */
import { parseWorkbook, type ParseOptions } from "../../contract";
import { readDriverInputs } from "../../contract/funnel";
import type { RawTable } from "../../hosts/host";

/** True or false when the workbook can be read; undefined when its inputs have problems. */
export function workbookHasFunnel(
  tables: RawTable[],
  choices: ParseOptions["choices"]
): boolean | undefined {
  const parsed = parseWorkbook(tables, { choices });
  if (!parsed.ok) return undefined;
  const inputs = readDriverInputs(parsed.workbook, tables);
  if (inputs.problems.length > 0) return undefined;
  return inputs.spec?.funnel !== undefined;
}
