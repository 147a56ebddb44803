/**
 * Request sizes. Excel on the web rejects a request or a response over 5 MB
 * (RequestPayloadSizeLimitExceeded / ResponsePayloadSizeLimitExceeded: "Resource limits and
 * performance optimization for Office Add-ins"). The host estimates each batch by the UTF-8 length
 * of the JSON it sends, and starts a new `context.sync()` only when the next piece would take the
 * batch past its budget, so a write is one request unless it is really that large.
 */

/** Excel on the web's limit, read conservatively as 5,000,000 bytes rather than 5 MiB. */
export const PAYLOAD_LIMIT_BYTES = 5_000_000;

/**
 * What one write request may carry by the host's estimate: the limit less 2 %. The estimate is the
 * UTF-8 JSON of every value sent — exact, CJK text included — plus ACTION_BYTES per action and
 * object path, more than Office.js's envelope takes: the stand-in measures each request as
 * Office.js builds it (test/e2e/stand-in/api.ts officeRequestBytes), and the host's tests check
 * that the estimate is never below it ("estimates each write request at or above what it is").
 */
export const DEFAULT_BATCH_BUDGET = 4_900_000;

/**
 * What one read response is sized to. A read's size is known only after it: blocks are sized by
 * the bytes their cells took so far (5 % more, for the rows still to come) or, before any were
 * read, by READ_BYTES_PER_CELL, so a response lands near 4.5–4.75 MB and below the limit.
 */
export const READ_BUDGET = 4_750_000;

/**
 * Envelope bytes per action or object path of an Office.js request, estimated generously. Office.js
 * sends a body of Actions and ObjectPaths (office.js: buildRequestMessageBodyAndRequestFlags); an
 * assignment `{"Id","ActionType":4,"Name","ObjectPathId","ArgumentInfo":{"Arguments":[…]}}` takes
 * ~90 bytes besides its value, an object path such as getRange ~105 and its Instantiate action ~55,
 * so a range's number format is ~250: ~85 a unit, with ids of five or six digits. The host counts
 * each command in those units (a style on a range also goes through the range's format, font and
 * fill paths) at 120 bytes each: ~1.3 times what the stand-in, measuring as Office.js builds a
 * request, finds for a request of formats, and 1.01 for one of values.
 */
export const ACTION_BYTES = 120;

/**
 * The bytes a cell of an input takes in a response's JSON, before any of it was read. Measured on
 * the stand-in's JSON: the large inputs of the samples and bench workbooks take 7.4–10.2
 * (kitchen-appliances History 9.9, Actuals 10.2; 厨电门店 历史 8.0, 实际业绩 8.4 — CJK text is 3
 * bytes a character, but its names are short; bench History 7.4). Later reads of the session use
 * what the input's cells really took.
 */
export const READ_BYTES_PER_CELL = 12;

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
