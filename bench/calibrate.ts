// The calibration loop: a fixed piece of single-threaded JavaScript of the same kind as our parsers
// (a scan over text with charCodeAt, line slices, small objects, a Map), timed on its own. Under
// load, or on a slower machine, it slows down with the code we measure, so
//   - run.mjs scales every time limit by (this loop's time now) / (its time on the reference machine),
//   - the code-lens and first-paint goals are judged as a ratio to it: a budget in "calibration loops"
//     holds on a busy 2-core machine where an absolute budget in milliseconds does not.
// calibrate-process.ts runs it as a child of run.mjs.
import { performance } from 'node:perf_hooks';

const LINE = 'GET https://shop.example/wp-json/wc/v3/products?per_page=5&search=hoodie HTTP/1.1\nAuthorization: Bearer {{token}}\n';
const TEXT = LINE.repeat(Math.ceil((2 * 1024 * 1024) / LINE.length));

/** One pass of the loop; returns what it computed, so nothing is optimised away. */
export function calibrationPass(): number {
  const seen = new Map<string, number>();
  let lines = 0;
  let start = 0;
  let sum = 0;
  for (let i = 0; i < TEXT.length; i++) {
    const c = TEXT.charCodeAt(i);
    sum = (sum * 31 + c) | 0;
    if (c === 10) {
      const line = TEXT.slice(start, i);
      const item = { at: start, length: line.length, method: line.charCodeAt(0) === 71 };
      seen.set(line, (seen.get(line) ?? 0) + (item.method ? 1 : 2));
      lines++;
      start = i + 1;
    }
  }
  return sum + lines + seen.size;
}

/** Milliseconds for one pass. */
export function calibrationMs(): number {
  const t0 = performance.now();
  const r = calibrationPass();
  const ms = performance.now() - t0;
  if (r === 0.5) console.log(r); // never true: keeps the result alive
  return ms;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Microseconds the kernel takes to supply one fresh 4 KiB page, the median of three 16 MiB pieces of
 * a new allocation, each written once per page. The calibration loop never meets this cost (it keeps
 * nothing), while a parse or an analysis that keeps tens of MB pays it for every page: on one build
 * of the benchmark VM a page took 12-14 µs, which made up a third of a parse (bench/README.md, the
 * fifth access-log pass), so each phase's conditions carry it.
 */
export function freshPageUs(): number {
  const PAGE = 4096, PIECE = 16 * 1024 * 1024;
  // One allocation outside V8's heap (allocUnsafeSlow: no pool, no zero fill), kept until the last
  // piece is timed, so no piece reuses pages another gave back.
  const buf = Buffer.allocUnsafeSlow(3 * PIECE);
  const times: number[] = [];
  for (let p = 0; p < 3; p++) {
    const t0 = performance.now();
    for (let i = p * PIECE; i < (p + 1) * PIECE; i += PAGE) buf[i] = 1;
    times.push(((performance.now() - t0) * 1000) / (PIECE / PAGE));
  }
  return median(times);
}

/** Warm-up passes, then `runs` timed ones: the median and every run. */
export function calibrate(runs = 9): { medianMs: number; runs: number[] } {
  for (let i = 0; i < 3; i++) calibrationMs();
  const times = Array.from({ length: runs }, () => calibrationMs());
  return { medianMs: median(times), runs: times };
}
