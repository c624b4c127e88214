// Draws the Marketplace icon, media/icon.png (128×128 RGBA): WooCommerce purple rounded square with
// a white shopping-cart "W" (the activity-bar glyph of media/woo.svg, drawn thick) and a green check.
// A PNG is a signature plus IHDR, IDAT (zlib of filtered rows) and IEND chunks, each with a CRC-32:
// small enough to write here rather than add an image library. Run: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const px = new Float64Array(SIZE * SIZE * 4); // premultiplied-free RGBA in 0..1

/** Paints colour `c` ([r,g,b] 0..255) with coverage `a` (0..1) over pixel (x, y). */
function blend(x, y, c, a) {
  if (a <= 0) return;
  const i = (y * SIZE + x) * 4;
  const oa = px[i + 3];
  const na = a + oa * (1 - a);
  for (let k = 0; k < 3; k++) px[i + k] = (c[k] / 255 * a + px[i + k] * oa * (1 - a)) / (na || 1);
  px[i + 3] = na;
}
/** Fills every pixel whose signed distance `d(x, y)` (negative inside) is below 0, anti-aliased over a pixel. */
function fill(d, c) {
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) blend(x, y, c, Math.max(0, Math.min(1, 0.5 - d(x + 0.5, y + 0.5))));
  }
}
const roundedSquare = (x0, y0, x1, y1, r) => (x, y) => {
  const qx = Math.max(x0 + r - x, 0, x - (x1 - r)), qy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return Math.hypot(qx, qy) - r + Math.min(0, Math.max(x0 + r - x, x - (x1 - r), y0 + r - y, y - (y1 - r)));
};
const segment = (ax, ay, bx, by) => (x, y) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};
const polyline = (points, width) => (x, y) => {
  let d = Infinity;
  for (let i = 1; i < points.length; i++) d = Math.min(d, segment(...points[i - 1], ...points[i])(x, y));
  return d - width / 2;
};
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;

const purple = [127, 84, 179], white = [255, 255, 255], green = [76, 175, 80];
fill(roundedSquare(4, 4, 124, 124, 24), purple);
fill(polyline([[22, 34], [106, 34], [97, 86], [31, 86], [22, 34]], 7), white); // the cart
fill(polyline([[38, 48], [47, 74], [58, 50], [69, 74], [80, 48]], 8), white); // the W in it
fill(circle(42, 102, 7), white);
fill(circle(86, 102, 7), white);
fill(circle(104, 104, 16), white);
fill(polyline([[96, 104], [102, 110], [112, 98]], 5), green);

// PNG encoding: filter byte 0 per row, 8-bit RGBA.
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE * 4; x++) raw[y * (SIZE * 4 + 1) + 1 + x] = Math.round(px[y * SIZE * 4 + x] * 255);
}
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4), crc = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, no interlace
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
