/**
 * The worksheet writer's chunks: every chunk but the last is exactly CHUNK bytes, whatever pieces
 * the XML was written in, so a part's compressed bytes depend only on its XML. And what it writes
 * is exactly the pieces, in order: bytes, a prefix of bytes, text (UTF-8) and whole numbers.
 */
import fc from "fast-check";
import { CHUNK, SheetWriter } from "../../src/hosts/xlsx/ooxml/sheet";

type Piece = { kind: "bytes"; data: Uint8Array; n: number } | { kind: "text"; text: string } | { kind: "uint"; n: number };

function writeAll(pieces: Piece[]): { chunks: Buffer[]; expected: Buffer } {
  const chunks: Buffer[] = [];
  const w = new SheetWriter({ write: (chunk) => chunks.push(Buffer.from(chunk)) });
  const parts: Buffer[] = [];
  for (const p of pieces) {
    if (p.kind === "bytes") {
      w.bytes(p.data, p.n);
      parts.push(Buffer.from(p.data.subarray(0, p.n)));
    } else if (p.kind === "text") {
      w.text(p.text);
      parts.push(Buffer.from(p.text, "utf8"));
    } else {
      w.uint(p.n);
      parts.push(Buffer.from(String(p.n)));
    }
  }
  w.flush();
  return { chunks, expected: Buffer.concat(parts) };
}

const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 40 }).chain((data) => fc.integer({ min: 0, max: data.length }).map((n) => ({ kind: "bytes" as const, data, n }))),
  fc.integer({ min: 1, max: 3 * CHUNK }).map((size) => {
    const data = new Uint8Array(size).fill(97);
    return { kind: "bytes" as const, data, n: size };
  }),
  fc.string({ unit: fc.constantFrom("a", "<", "中", "é", "😀"), maxLength: 30 }).map((text) => ({ kind: "text" as const, text })),
  fc.constantFrom("中".repeat(CHUNK / 2), "x".repeat(CHUNK + 7)).map((text) => ({ kind: "text" as const, text })),
  fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(0, 9, 10, 2 ** 31, Number.MAX_SAFE_INTEGER)).map((n) => ({ kind: "uint" as const, n })),
);

describe("SheetWriter", () => {
  test("writes exactly its pieces, in chunks of CHUNK bytes but the last, however the pieces fall", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const { chunks, expected } = writeAll(pieces);
        expect(Buffer.concat(chunks).equals(expected)).toBe(true);
        chunks.slice(0, -1).forEach((c) => expect(c.length).toBe(CHUNK));
        if (chunks.length) expect(chunks[chunks.length - 1].length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  test("the same XML in different pieces gives the same chunks", () => {
    const text = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>".repeat(60_000);
    const whole = writeAll([{ kind: "text", text }]).chunks;
    const bytes = Buffer.from(text, "utf8");
    const pieces: Piece[] = [];
    for (let at = 0; at < bytes.length; at += 37) pieces.push({ kind: "bytes", data: bytes.subarray(at, at + 37), n: Math.min(37, bytes.length - at) });
    const split = writeAll(pieces).chunks;
    expect(split.length).toBe(whole.length);
    split.forEach((c, i) => expect(c.equals(whole[i])).toBe(true));
  });
});
