import type { WriteProgress } from "../../hosts/addin";
import type { WriteSummary } from "../../hosts/host";
import type { WriteFailure } from "../model/write";

/** Where a write stands; kept above the steps so a write in progress survives a change of tab. */
export type WriteState =
  | { status: "idle" }
  | { status: "writing"; progress?: WriteProgress }
  | { status: "done"; summary: WriteSummary }
  | { status: "changed" }
  | { status: "failed"; failure: WriteFailure; sheets: string[] };
