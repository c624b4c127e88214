// The linear-scan benchmark: each scan of text others control that replaced a backtracking regular
// expression (issue 12), on the input that made that expression quadratic.
//
//   node --expose-gc out/bench/linear-text-bench.js
//
// For each case:
//  - ours on 1 MiB and on 4 MiB of the worst input (fastest of the timed runs after warm-up): the
//    throughput at 1 MiB, and the ratio t(4 MiB) / t(1 MiB), which is 4 for linear time and 16
//    for quadratic (the goal: at most 8; both sizes are past the CPU caches);
//  - the old regular expression, the baseline, once on 8 KiB and once on 16 KiB (it is quadratic:
//    1 MiB would take minutes to hours), and ours on the same 16 KiB: how many times faster.

import { performance } from 'node:perf_hooks';
import { normaliseFormatSpec } from '../src/core/access-log/parse';
import { restApiClosed } from '../src/core/explain/explain';
import { parseLinkHeader } from '../src/core/pagination';
import { tokenize } from '../src/core/pretty-json';
import { redactText } from '../src/core/redact';
import { trimTrailingSlashes, withoutQueryOrFragment } from '../src/core/url-text';
import { trimEnd, withoutEntities, withoutTags } from '../src/sandbox/text';
import { collectGarbage, report } from './measure';

const KiB = 1024;

interface Case {
  name: string;
  /** The worst input for the old pattern, about `bytes` long. */
  input: (bytes: number) => string;
  ours: (s: string) => unknown;
  old: (s: string) => unknown;
}

const CASES: Case[] = [
  {
    name: 'URL user-info in redaction',
    input: (n) => '://@ ' + 'a-'.repeat(n / 2),
    ours: (s) => redactText(s),
    old: (s) => s.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):([^\s/?#@]+)@/gi, '$1:••••••••@'),
  },
  {
    name: 'trailing slashes',
    input: (n) => '/'.repeat(n) + 'x',
    ours: (s) => trimTrailingSlashes(s),
    old: (s) => s.replace(/\/+$/, ''),
  },
  {
    name: 'query and fragment cut',
    input: (n) => '?'.repeat(n) + '\n',
    ours: (s) => withoutQueryOrFragment(s),
    old: (s) => s.replace(/[?#].*$/, ''),
  },
  {
    name: 'nginx log_format quoted strings',
    input: (n) => `log_format x '${"\\'".repeat(n / 2)}`,
    ours: (s) => { try { return normaliseFormatSpec(s); } catch { return undefined; } },
    old: (s) => [...s.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)],
  },
  {
    name: 'Link header',
    input: (n) => '<'.repeat(n),
    ours: (s) => parseLinkHeader(s),
    old: (s) => [...s.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)],
  },
  {
    name: 'runner JSON colouring',
    input: (n) => '"' + '\\"'.repeat(n / 2),
    ours: (s) => tokenize(s),
    old: (s) => [...s.matchAll(/("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)|([^\s"{}[\],:]+)/g)],
  },
  {
    name: '"REST API disabled" message',
    input: (n) => 'rest api '.repeat(n / 9),
    ours: (s) => restApiClosed(s),
    old: (s) => /only authenticated users|rest api.*(disabled|restricted)/i.test(s),
  },
  {
    name: 'sandbox: route trailing / and \\',
    input: (n) => '/'.repeat(n) + 'x',
    ours: (s) => trimEnd(s, '/\\'),
    old: (s) => s.replace(/[/\\]+$/, ''),
  },
  {
    name: 'sandbox: login tags',
    input: (n) => '<'.repeat(n),
    ours: (s) => withoutTags(s),
    old: (s) => s.replace(/<[^>]*>/g, ''),
  },
  {
    name: 'sandbox: login entities',
    input: (n) => '&'.repeat(n),
    ours: (s) => withoutEntities(s),
    old: (s) => s.replace(/&.+?;/g, ''),
  },
];

/**
 * The fastest of enough calls to fill about 300 ms (at least 7), after warm-up: the fastest, not the
 * median, because other processes on the machine only ever add time, and the scaling ratio is what
 * is judged here.
 */
function timeOne(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  const until = performance.now() + 300;
  while (times.length < 7 || (performance.now() < until && times.length < 200)) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return Math.min(...times);
}

/** One timed call (the old patterns: too slow to repeat). */
function timeOnce(fn: () => unknown): number {
  collectGarbage();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export interface LinearTextResult {
  kind: 'linear-text';
  cases: {
    name: string;
    ours1MiBMs: number;
    ours4MiBMs: number;
    /** t(4 MiB) / t(1 MiB): 4 when linear, 16 when quadratic. */
    scaling: number;
    mbPerSecond: number;
    old8KiBMs: number;
    old16KiBMs: number;
    ours16KiBMs: number;
  }[];
}

async function main(): Promise<void> {
  const out: LinearTextResult = { kind: 'linear-text', cases: [] };
  for (const c of CASES) {
    const mib = c.input(1024 * KiB);
    const mib4 = c.input(4096 * KiB);
    collectGarbage();
    const ours1MiBMs = timeOne(() => c.ours(mib));
    collectGarbage();
    const ours4MiBMs = timeOne(() => c.ours(mib4));
    const at8 = c.input(8 * KiB);
    const at16 = c.input(16 * KiB);
    const old8KiBMs = timeOnce(() => c.old(at8));
    const old16KiBMs = timeOnce(() => c.old(at16));
    const ours16KiBMs = timeOne(() => c.ours(at16));
    out.cases.push({
      name: c.name, ours1MiBMs, ours4MiBMs, scaling: ours4MiBMs / ours1MiBMs,
      mbPerSecond: mib.length / 1e6 / (ours1MiBMs / 1000), old8KiBMs, old16KiBMs, ours16KiBMs,
    });
  }
  await report(out);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
