#!/usr/bin/env node
/*
 * Draws the Target Cascade icons into assets/ (icon-16/32/64/80/128.png).
 *
 *   node scripts/make-icons.js          write the PNGs
 *   node scripts/make-icons.js --check  exit 1 if a committed PNG differs from what this draws
 *
 * Pure Node: a hand-written PNG encoder (IHDR / IDAT / IEND, CRC-32, zlib from node:zlib).
 * The motif is a three-column waterfall ("cascade"): the whole target on the left, then the
 * two parts it is split into, each stepping down from where the last one ended, in the
 * Fluent brand blue family. Geometry is snapped to whole pixels per size so the small icons
 * stay crisp; only the rounded corners are anti-aliased (4x4 supersampling).
 * The output is deterministic (no timestamps or text chunks), so --check can compare bytes.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const SIZES = [16, 32, 64, 80, 128];
const OUT_DIR = path.resolve(__dirname, "..", "assets");

/** Colours as [r, g, b]. */
const WHOLE = [0x0f, 0x6c, 0xbd]; // #0F6CBD: Fluent UI brand blue, the whole target
const PART_1 = [0x28, 0x86, 0xde]; // #2886DE: first part
const PART_2 = [0x47, 0x9e, 0xf5]; // #479EF5: second part

// ---------------------------------------------------------------- PNG encoder

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buffers) {
  let c = 0xffffffff;
  for (const buf of buffers) {
    for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeBuf = Buffer.from(type, "ascii");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length, 0);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([typeBuf, data]), 0);
  return Buffer.concat([len, typeBuf, data, crc]);
}

/** Encodes an RGBA image (Uint8Array, row-major, 4 bytes a pixel) as an 8-bit RGBA PNG. */
function encodePng(width, height, rgba) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None for every scanline
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  const idat = zlib.deflateSync(raw, { level: 9 });
  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- drawing

/** Is point (px, py) inside the rectangle [x0, x1) x [y0, y1) with corner radius r? */
function insideRoundedRect(px, py, rect) {
  const { x0, y0, x1, y1, r } = rect;
  if (px < x0 || px >= x1 || py < y0 || py >= y1) return false;
  if (r <= 0) return true;
  const cx = px < x0 + r ? x0 + r : px > x1 - r ? x1 - r : px;
  const cy = py < y0 + r ? y0 + r : py > y1 - r ? y1 - r : py;
  const dx = px - cx;
  const dy = py - cy;
  return dx * dx + dy * dy <= r * r;
}

/** Whole-pixel layout of the three columns for one icon size. */
function layout(size) {
  const pad = Math.max(1, Math.round(size / 16));
  const inner = size - 2 * pad;
  const gap = Math.max(1, Math.round(inner / 14));
  const width = Math.floor((inner - 2 * gap) / 3);
  const left = pad + Math.floor((inner - (3 * width + 2 * gap)) / 2);
  const top = pad;
  const bottom = size - pad;
  const height = bottom - top;
  // The whole splits 55 / 45: the first part hangs from the top, the second stands on the base.
  const split = top + Math.round(height * 0.55);
  const r = size >= 32 ? size * 0.045 : 0;
  const col = (i) => left + i * (width + gap);
  return [
    { x0: col(0), x1: col(0) + width, y0: top, y1: bottom, r, rgb: WHOLE },
    { x0: col(1), x1: col(1) + width, y0: top, y1: split, r, rgb: PART_1 },
    { x0: col(2), x1: col(2) + width, y0: split, y1: bottom, r, rgb: PART_2 },
  ];
}

function drawIcon(size) {
  const rects = layout(size);
  const rgba = new Uint8Array(size * size * 4);
  const SS = 4; // supersamples per axis
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let a = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const px = x + (sx + 0.5) / SS;
          const py = y + (sy + 0.5) / SS;
          const hit = rects.find((rect) => insideRoundedRect(px, py, rect));
          if (hit) {
            a += 1;
            r += hit.rgb[0];
            g += hit.rgb[1];
            b += hit.rgb[2];
          }
        }
      }
      const i = (y * size + x) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
        rgba[i + 3] = Math.round((255 * a) / (SS * SS));
      }
    }
  }
  return encodePng(size, size, rgba);
}

// ---------------------------------------------------------------- main

function main() {
  const check = process.argv.includes("--check");
  let stale = 0;
  if (!check) fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const size of SIZES) {
    const file = path.join(OUT_DIR, `icon-${size}.png`);
    const png = drawIcon(size);
    if (check) {
      const same = fs.existsSync(file) && fs.readFileSync(file).equals(png);
      if (!same) {
        stale++;
        console.error(`stale: ${path.relative(process.cwd(), file)}`);
      }
    } else {
      fs.writeFileSync(file, png);
      console.log(`wrote ${path.relative(process.cwd(), file)} (${png.length} bytes)`);
    }
  }
  if (check) {
    if (stale > 0) {
      console.error("run: node scripts/make-icons.js");
      process.exitCode = 1;
    } else {
      console.log(`icons up to date (${SIZES.length})`);
    }
  }
}

if (require.main === module) main();

module.exports = { SIZES, drawIcon, encodePng, crc32 };
