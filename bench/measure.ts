// Small measuring helpers shared by the benchmark entries. Nothing here knows what is measured.

import { performance } from 'node:perf_hooks';

/** The median of a list of numbers (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `gc()` when the process runs with --expose-gc (the runner always passes it), else nothing. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/**
 * Runs `fn` `warmups` times untimed, then `runs` times timed, with a full GC before each run so one
 * run's garbage is not collected on the next one's clock. Returns each timed run in milliseconds.
 * `after`, when given, runs (untimed) after each timed run: a calibration pass, say.
 */
export async function timeRuns(fn: () => unknown | Promise<unknown>, warmups: number, runs: number, after?: () => void): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
    after?.();
  }
  return times;
}

/** Peak resident set size of this process so far, in bytes (getrusage's ru_maxrss, a kernel high-water mark). */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Sends one result object to the runner (child processes are started with an IPC channel); resolves
 * once it is handed over, so a process may exit right after. Without a channel, prints it.
 */
export function report(result: unknown): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) {
    console.log(JSON.stringify(result, null, 2));
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => send(result, undefined, undefined, (err) => (err ? reject(err) : resolve())));
}
