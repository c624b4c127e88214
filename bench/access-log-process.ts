// One run of our access-log analysis, in a process of its own so its peak memory is its own:
//
//   node out/bench/access-log-process.js FILE.log [1|2]
//
// Streams FILE through analyzeFile (what `woo-api logs analyze` and the editor command call) with
// assumeScheme 'http' (the generated log is a combined log of a store without TLS, see
// access-log-corpus.mjs), on 2 threads (the default: a worker thread reads part of the file, see
// src/core/access-log/split.ts) or 1 (`threads: 1`), and reports to the runner: the time analyzeFile
// took (Node's own start-up of ~40 ms not included), the CPU time it used (all threads), the threads
// it used, RSS before, peak RSS after (getrusage ru_maxrss, the worker's memory included), and what
// was found.

import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { analyzeFile } from '../src/core/access-log';
import { peakRss, report } from './measure';

export interface AccessLogRunResult {
  kind: 'access-log';
  bytes: number;
  ms: number;
  cpuMs: number;
  threads: number;
  rssBeforeBytes: number;
  peakRssBytes: number;
  lines: { total: number; parsed: number; malformed: number; rest: number };
  findings: Array<{ kind: string; client: string; severity: string; lineCount: number }>;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: access-log-process FILE');
  const threads = process.argv[3] === '1' ? 1 : 2;
  const bytes = statSync(file).size;
  const rssBeforeBytes = process.memoryUsage().rss;
  let used = 1;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const r = await analyzeFile(file, { assumeScheme: 'http', threads, split: { used: (u) => (used = u.threads) } });
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const result: AccessLogRunResult = {
    kind: 'access-log',
    bytes,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    threads: used,
    rssBeforeBytes,
    peakRssBytes: peakRss(),
    lines: { total: r.lines.total, parsed: r.lines.parsed, malformed: r.lines.malformed, rest: r.lines.rest },
    findings: r.findings.map((f) => ({ kind: f.kind, client: f.client, severity: f.severity, lineCount: f.lineCount })),
  };
  await report(result);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
