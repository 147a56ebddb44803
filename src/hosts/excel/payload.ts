/**
 * Request sizes. Excel on the web rejects a request or a response over 5 MB
 * (RequestPayloadSizeLimitExceeded / ResponsePayloadSizeLimitExceeded: "Resource limits and
 * performance optimization for Office Add-ins"). The host estimates each batch by the UTF-8 length
 * of the JSON it sends, and starts a new `context.sync()` only when the next piece would take the
 * batch past its budget, so a write is one request unless it is really that large.
 */

/** Excel on the web's limit, read conservatively as 5,000,000 bytes rather than 5 MiB. */
export const PAYLOAD_LIMIT_BYTES = 5_000_000;

/** What one batch may carry: the limit less a margin for the request's own envelope. */
export const DEFAULT_BATCH_BUDGET = 4_000_000;

/** Envelope bytes per queued action (object path, method or property name, ids), estimated generously. */
export const ACTION_BYTES = 160;

/**
 * When a single read comes back over the limit, the first row blocks assume this many bytes per
 * cell (the samples and bench workbooks take 8–10 in JSON: numbers 2–12, names 10–40); a block
 * that is still refused is halved, and later reads use what the cells really took.
 */
export const READ_BYTES_PER_CELL = 16;

/** The number of bytes `text` takes as UTF-8. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The UTF-8 size of a value's JSON. */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? "");
}

/** Something to send: atomic (one action, or a few that must travel together) or a run of rows that may be split. */
export type Piece = { kind: "atomic"; bytes: number } | { kind: "rows"; rowBytes: number[]; overhead: number };

/** A piece's share of one batch: all of an atomic piece, or rows [from, to) of a run. */
export interface Slice {
  piece: number;
  from: number;
  to: number;
}

/**
 * Packs pieces, in order, into as few batches as the budget allows. A run of rows fills what is
 * left of the current batch before a new one starts, so the number of batches is about
 * total bytes ÷ budget; an atomic piece larger than the budget goes alone.
 */
export function packBatches(pieces: Piece[], budget: number): Slice[][] {
  const batches: Slice[][] = [];
  let current: Slice[] = [];
  let used = 0;
  const close = () => {
    if (current.length > 0) batches.push(current);
    current = [];
    used = 0;
  };
  pieces.forEach((piece, index) => {
    if (piece.kind === "atomic") {
      if (used > 0 && used + piece.bytes > budget) close();
      current.push({ piece: index, from: 0, to: 0 });
      used += piece.bytes;
      return;
    }
    const n = piece.rowBytes.length;
    let from = 0;
    while (from < n) {
      if (used > 0 && used + piece.overhead + piece.rowBytes[from] > budget) close();
      let to = from;
      let bytes = used + piece.overhead;
      // Always take at least one row, so a row larger than the budget still goes (alone).
      do {
        bytes += piece.rowBytes[to];
        to++;
      } while (to < n && bytes + piece.rowBytes[to] <= budget);
      current.push({ piece: index, from, to });
      used = bytes;
      from = to;
      if (from < n) close();
    }
  });
  close();
  return batches;
}
