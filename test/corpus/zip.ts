/**
 * The zip layer of the corpus builders: read an archive's entries as stored (compressed bytes
 * untouched), and write archives the way other producers do — deflated or stored, in any order,
 * with data descriptors (general-purpose bit 3: crc and sizes after the data), UTF-8 names and an
 * archive comment. No zip64 and no encryption: no .xlsx in the corpus needs them.
 */
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";

export interface StoredEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc: number;
  size: number;
  /** The bytes as they sit in the archive (compressed when method is 8). */
  raw: Buffer;
  /** As read: the general-purpose flags of the local header, and its crc and compressed size. */
  local?: { flags: number; crc: number; compressed: number; descriptorFollows: boolean };
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DESCRIPTOR = 0x08074b50;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;

/** The entries in central-directory order (folders included, as the archive lists them). */
export function readEntries(zip: Buffer): StoredEntry[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a zip archive");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: StoredEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`central directory entry ${i} is malformed`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    if (zip.readUInt32LE(local) !== LOCAL) throw new Error(`${name} has no local header`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const flags = zip.readUInt16LE(local + 6);
    const after = start + compressed;
    const descriptorFollows = (flags & FLAG_DESCRIPTOR) !== 0 && after + 4 <= zip.length && zip.readUInt32LE(after) === DESCRIPTOR;
    entries.push({ name, method, crc, size, raw: zip.subarray(start, after), local: { flags, crc: zip.readUInt32LE(local + 14), compressed: zip.readUInt32LE(local + 18), descriptorFollows } });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The archive comment. */
export function commentOf(zip: Buffer): string {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END) return zip.toString("utf8", i + 22, i + 22 + zip.readUInt16LE(i + 20));
  }
  throw new Error("not a zip archive");
}

export const UTF8_NAMES = FLAG_UTF8;
export const DATA_DESCRIPTOR = FLAG_DESCRIPTOR;

/** An entry's uncompressed bytes. */
export function contentOf(entry: StoredEntry): Buffer {
  if (entry.method === 0) return entry.raw;
  if (entry.method === 8) return inflateRawSync(entry.raw);
  throw new Error(`${entry.name}: compression method ${entry.method}`);
}

/** A new entry holding `content`, deflated (method 8) or stored (method 0). */
export function entryOf(name: string, content: Buffer | string, method: 0 | 8 = 8): StoredEntry {
  const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return { name, method, crc: crc32(data) >>> 0, size: data.length, raw: method === 8 ? deflateRawSync(data) : data };
}

export interface WriteOptions {
  /** Write crc and sizes in a data descriptor after each entry's data (bit 3), zero in the local header. */
  dataDescriptors?: boolean;
  /** The archive comment. */
  comment?: string;
}

/** The archive of `entries`, in the given order, each copied as stored. */
export function writeEntries(entries: readonly StoredEntry[], options: WriteOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  // 2027-01-01 00:00 in DOS time: a fixed stamp, so the same entries give the same bytes.
  const time = 0;
  const date = ((2027 - 1980) << 9) | (1 << 5) | 1;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const flags = (options.dataDescriptors ? FLAG_DESCRIPTOR : 0) | (/[^\x20-\x7e]/.test(e.name) ? FLAG_UTF8 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    if (!options.dataDescriptors) {
      local.writeUInt32LE(e.crc, 14);
      local.writeUInt32LE(e.raw.length, 18);
      local.writeUInt32LE(e.size, 22);
    }
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, e.raw);
    let length = local.length + name.length + e.raw.length;
    if (options.dataDescriptors) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(DESCRIPTOR, 0);
      descriptor.writeUInt32LE(e.crc, 4);
      descriptor.writeUInt32LE(e.raw.length, 8);
      descriptor.writeUInt32LE(e.size, 12);
      parts.push(descriptor);
      length += descriptor.length;
    }

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(e.method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(e.crc, 16);
    header.writeUInt32LE(e.raw.length, 20);
    header.writeUInt32LE(e.size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += length;
  }
  const directory = Buffer.concat(central);
  const comment = Buffer.from(options.comment ?? "", "utf8");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...parts, directory, end, comment]);
}
