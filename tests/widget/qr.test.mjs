// The widget's QR encoder (pkg/widget/qr.js) against an independent decoder
// (jsQR): random texts of every length that fits versions 1–10 at level M,
// including multi-byte UTF-8, decode to the text encoded.
import { test } from "node:test";
import assert from "node:assert/strict";
import jsQR from "jsqr";
import { encodeQr } from "../../pkg/widget/qr.js";

function pixels({ size, modules }, scale = 3) {
  const n = (size + 8) * scale;
  const px = new Uint8ClampedArray(n * n * 4).fill(255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!modules[y][x]) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const i = (((y + 4) * scale + dy) * n + (x + 4) * scale + dx) * 4;
          px[i] = px[i + 1] = px[i + 2] = 0;
        }
      }
    }
  }
  return { px, n };
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz234567:/?&=%.-_ ";
const random = (len) => Array.from({ length: len }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join("");

test("qr: every length 1..213 bytes decodes with jsQR; the version grows with the text", () => {
  let lastSize = 0;
  for (let len = 1; len <= 213; len += 4) {
    const text = random(len);
    const qr = encodeQr(text);
    assert.ok(qr.size >= lastSize);
    lastSize = qr.size;
    const { px, n } = pixels(qr);
    assert.equal(jsQR(px, n, n)?.data, text, `length ${len}`);
  }
  assert.equal(lastSize, 57, "213 bytes need version 10");
});

test("qr: an otpauth URI with UTF-8 in the label", () => {
  const text = "otpauth://totp/Caf%C3%A9:j%C3%BCrgen?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Café";
  const { px, n } = pixels(encodeQr(text));
  assert.equal(jsQR(px, n, n)?.data, text);
});

test("qr: text over version 10's capacity is refused", () => {
  assert.throws(() => encodeQr("x".repeat(214)), RangeError);
});
