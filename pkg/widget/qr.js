// A compact QR code encoder (ISO/IEC 18004) for the TOTP set-up screen of
// <cognito-login>: byte mode, error correction level M, versions 1–10 (up to
// 213 bytes, plenty for an otpauth:// URI), the mask with the lowest penalty.
// Loaded with a dynamic import() only when that screen is shown.

// Level M, versions 1..10: [EC codewords per block, blocks in group 1, data
// codewords per block in group 1, blocks in group 2 (one more data codeword)].
const BLOCKS = [
  [10, 1, 16, 0], [16, 1, 28, 0], [26, 1, 44, 0], [18, 2, 32, 0], [24, 2, 43, 0],
  [16, 4, 27, 0], [18, 4, 31, 0], [22, 2, 38, 2], [22, 3, 36, 2], [26, 4, 43, 1],
];

// GF(256) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d).
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = EXP[i + 255] = x;
  LOG[x] = i;
  x = (x << 1) ^ (x & 0x80 ? 0x11d : 0);
}
const mul = (a, b) => (a && b ? EXP[LOG[a] + LOG[b]] : 0);

/** Reed–Solomon EC codewords of `data` (degree `n`). */
function rsEcc(data, n) {
  // Generator ∏ (x − α^i), i < n, coefficients highest first without the leading 1.
  let gen = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array(gen.length + 1).fill(0);
    gen.forEach((c, j) => {
      next[j] ^= c;
      next[j + 1] ^= mul(c, EXP[i]);
    });
    gen = next;
  }
  const rem = new Array(n).fill(0);
  for (const d of data) {
    const f = d ^ rem.shift();
    rem.push(0);
    for (let j = 0; j < n; j++) rem[j] ^= mul(gen[j + 1], f);
  }
  return rem;
}

/** BCH code: `value` followed by the remainder modulo `poly` (of degree `deg`). */
function bch(value, poly, deg) {
  let r = value << deg;
  for (let i = 31 - Math.clz32(poly); 31 - Math.clz32(r) >= deg; ) r ^= poly << (31 - Math.clz32(r) - i);
  return (value << deg) | r;
}

const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (((y / 2) | 0) + ((x / 3) | 0)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/**
 * Encodes `text` (UTF-8) as a QR code. Returns `{ size, modules }`, where
 * `modules[y][x]` is true for a dark module. Throws a RangeError when the
 * text does not fit version 10.
 */
export function encodeQr(text) {
  const bytes = new TextEncoder().encode(text);
  let version = 0;
  let spec;
  let dataLen;
  do {
    if (++version > 10) throw new RangeError("QR: text too long");
    spec = BLOCKS[version - 1];
    dataLen = spec[1] * spec[2] + spec[3] * (spec[2] + 1);
  } while (4 + (version < 10 ? 8 : 16) + bytes.length * 8 > dataLen * 8);

  // The bit stream: mode 0100, count, bytes, terminator, padding.
  const bits = [];
  const put = (v, n) => {
    for (let i = n - 1; i >= 0; i--) bits.push((v >>> i) & 1);
  };
  put(4, 4);
  put(bytes.length, version < 10 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, dataLen * 8 - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(parseInt(bits.slice(i, i + 8).join(""), 2));
  for (let pad = 0xec; data.length < dataLen; pad ^= 0xec ^ 0x11) data.push(pad);

  // Blocks, EC, interleaving.
  const [ecLen, g1, g1Len, g2] = spec;
  const blocks = [];
  for (let b = 0, at = 0; b < g1 + g2; b++) {
    const len = g1Len + (b < g1 ? 0 : 1);
    const d = data.slice(at, (at += len));
    blocks.push([d, rsEcc(d, ecLen)]);
  }
  const codewords = [];
  for (let i = 0; i <= g1Len; i++) for (const [d] of blocks) if (i < d.length) codewords.push(d[i]);
  for (let i = 0; i < ecLen; i++) for (const [, e] of blocks) codewords.push(e[i]);

  // Function patterns.
  const size = version * 4 + 17;
  const grid = Array.from({ length: size }, () => new Array(size).fill(false));
  const fixed = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (x, y, dark) => {
    grid[y][x] = dark;
    fixed[y][x] = true;
  };
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && y >= 0 && x < size && y < size) set(x, y, d !== 2 && d !== 4);
      }
    }
  }
  if (version > 1) {
    const last = size - 7;
    const pos = version < 7 ? [6, last] : [6, (6 + last) / 2, last];
    for (const ax of pos) {
      for (const ay of pos) {
        if ((ax === 6 && ay === 6) || (ax === 6 && ay === last) || (ax === last && ay === 6)) continue;
        for (let dy = -2; dy <= 2; dy++) {
          for (let dx = -2; dx <= 2; dx++) set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
        }
      }
    }
  }
  if (version >= 7) {
    const v = bch(version, 0x1f25, 12);
    for (let i = 0; i < 18; i++) {
      const dark = ((v >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = (i / 3) | 0;
      set(a, b, dark);
      set(b, a, dark);
    }
  }
  const drawFormat = (mask) => {
    // Level M is 00.
    const f = bch(mask, 0x537, 10) ^ 0x5412;
    const bit = (i) => ((f >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) set(8, i, bit(i));
    set(8, 7, bit(6));
    set(8, 8, bit(7));
    set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(i));
    set(8, size - 8, true);
  };
  drawFormat(0); // reserves the format areas

  // Data, in the zigzag order.
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const y = ((right + 1) & 2) === 0 ? size - 1 - vert : vert;
        if (fixed[y][x]) continue;
        grid[y][x] = i < codewords.length * 8 && ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
        i++;
      }
    }
  }

  // The mask with the lowest penalty.
  let best = null;
  for (let m = 0; m < 8; m++) {
    const g = grid.map((row, y) => row.map((dark, x) => (fixed[y][x] ? dark : dark !== MASKS[m](x, y))));
    const saved = grid.map((r) => r.slice());
    for (let y = 0; y < size; y++) grid[y] = g[y];
    drawFormat(m);
    const score = penalty(grid, size);
    if (!best || score < best.score) best = { score, modules: grid.map((r) => r.slice()) };
    for (let y = 0; y < size; y++) grid[y] = saved[y];
  }
  return { size, modules: best.modules };
}

function penalty(g, size) {
  const lines = [];
  for (let y = 0; y < size; y++) lines.push(g[y].map(Number).join(""));
  for (let x = 0; x < size; x++) lines.push(g.map((r) => +r[x]).join(""));
  let score = 0;
  let dark = 0;
  for (const line of lines) {
    for (const run of line.match(/0{5,}|1{5,}/g) ?? []) score += run.length - 2;
    score += 40 * (line.match(/(?=10111010000|00001011101)/g) ?? []).length;
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      dark += g[y][x] ? 1 : 0;
      if (x && y && g[y][x] === g[y - 1][x] && g[y][x] === g[y][x - 1] && g[y][x] === g[y - 1][x - 1]) score += 3;
    }
  }
  return score + 10 * Math.floor(Math.abs((dark * 100) / (size * size) - 50) / 5);
}

/**
 * Draws `text` as a QR code on a new canvas: dark on white, a 4-module quiet
 * zone, `scale` pixels per module.
 */
export function qrCanvas(text, scale = 4) {
  const { size, modules } = encodeQr(text);
  const canvas = document.createElement("canvas");
  const n = (size + 8) * scale;
  canvas.width = canvas.height = n;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, n, n);
  ctx.fillStyle = "#000";
  modules.forEach((row, y) => row.forEach((d, x) => d && ctx.fillRect((x + 4) * scale, (y + 4) * scale, scale, scale)));
  return canvas;
}
