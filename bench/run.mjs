// `npm run bench`: the performance benchmarks of WooCommerce API Studio.
//
// Every goal is a ratio: against a baseline measured in the same run on the same machine, or (for
// the time budgets: parse speed, code lenses, first paint) against the calibration loop of
// bench/calibrate.ts, timed beside the code measured, so verdicts hold on a busy 2-core machine;
// absolute times are printed for context. See bench/README.md for what each benchmark does.
//
//   node bench/run.mjs [--only sizes|parse|send|paint|linear|access-log|watch] [--record]
//
// Each phase runs in child processes of its own and prints and writes its figures as soon as it
// finishes, each with the load average, CPU model, kernel, calibration time and the cost of a fresh
// page of memory it was measured under (calibrate.ts: our parsers wait on that, the loop does not); a
// phase that fails (a time limit, a crash) is reported and the next one runs. Time limits scale with
// the calibration loop's time now against the reference machine's. Results go to
// out/bench-results.json (untracked); `--record` writes bench/results.json, the figures quoted in
// the READMEs. "Total" comes last. Exits 1 when a check failed or a phase did not finish (such
// numbers mean nothing), 0 otherwise, goals met or not (each is marked MET / NOT MET / SKIPPED).

import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBench, OUT } from './build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// OUT: where bench/build.mjs bundles to.
const RECORD = process.argv.includes('--record');
const RESULTS = RECORD ? path.join(ROOT, 'bench', 'results.json') : path.join(ROOT, 'out', 'bench-results.json');
const SEED = path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json');

// The sizes of the benchmarks. The whole run stays well under 5 minutes on 2 cores.
const PARSE = {
  requests: 10_000, // must match REQUEST_COUNT in http-corpus.ts (checked below)
  ours: { warmups: 3, runs: 9 },
  httpyac: { warmups: 1, runs: 3 }, // several seconds per parse: fewer runs
};
const SEND = {
  requests: 2000, //        timed, per client, scenario and concurrency
  turn: 250, //             in turns of this many: ABC CBA ABC CBA ..., 8 turns per client
  warmup: 4000, //          untimed, per client before its first turn in a scenario (V8 needs ~3,500)
  rewarm: 1000, //          untimed, per client before its first turn at each later concurrency
  concurrencies: [1, 8],
};
/** A child's time limit on the reference machine, quiet; scaled by the calibration loop (see scale()). */
const CHILD_TIMEOUT_MS = 180_000;
/**
 * The calibration loop's fastest pass on the reference machine (2-core AMD EPYC, Node 20): time
 * budgets are judged as (figure / calibration pass) x this, "the figure at reference speed".
 */
const CALIBRATION_REFERENCE_MS = 15;

const GOALS = {
  parseRatio: 50, //         httpYac time / our time, at least
  parseMBs: 50, //           our parse speed at reference speed, MB/s, at least (<= 100 ms for the 4.7 MiB file)
  codeLensMs: 20, //         code lenses for the 10,000-request file at reference speed, under
  vsOfficial: 1.5, //        our requests/s / the official library's, 8 in flight, at least
  vsUndici: 0.9, //          our requests/s / bare undici's, 8 in flight, at least (within 10%)
  linearScaling: 8, //       t(4 MiB) / t(1 MiB) of each linear scan, at most (4 = linear, 16 = quadratic)
  extensionBytes: 500_000, // dist/extension.js, minified, at most
};
const PHASES = ['sizes', 'parse', 'send', 'linear', 'access-log', 'watch', 'paint'];

const only = (() => {
  const i = process.argv.indexOf('--only');
  const v = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  if (v !== undefined && !PHASES.includes(v)) throw new Error(`--only takes one of ${PHASES.join(', ')}`);
  return v;
})();

// ---------------------------------------------------------------------------------------------
// Children

/**
 * Runs out/bench/NAME.js in a child process with an IPC channel and resolves to the messages it
 * reported once it exits with 0. Killed after CHILD_TIMEOUT_MS, so a hung run cannot hang `npm run bench`.
 */
function runChild(name, args, { execArgv = [] } = {}) {
  const timeoutMs = Math.round(CHILD_TIMEOUT_MS * timeScale);
  return new Promise((resolve, reject) => {
    const child = fork(path.join(OUT, `${name}.js`), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const messages = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} took longer than ${timeoutMs / 1000} s (the ${CHILD_TIMEOUT_MS / 1000} s limit x ${timeScale.toFixed(1)}, the calibration loop's slow-down) and was stopped`));
    }, timeoutMs);
    child.on('message', (m) => messages.push(m));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(messages);
      else reject(new Error(`${name} ${args[0] ?? ''} exited with ${signal ?? code}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

async function benchParse() {
  // The corpus goes to a directory of its own: httpYac looks for a config and a package.json from
  // the file's directory up, and should find neither (this repository's would be read otherwise).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'woo-bench-'));
  try {
    const file = path.join(dir, 'bench-10k.http');
    await runChild('make-corpus', [file]);
    const results = {};
    for (const parser of ['ours', 'httpyac']) {
      const { warmups, runs } = PARSE[parser];
      process.stdout.write(`  parse: ${parser} (${warmups} warm-up, ${runs} timed)...\n`);
      [results[parser]] = await runChild('parse-bench', [parser, file, String(warmups), String(runs)], { execArgv: ['--expose-gc'] });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchLinear() {
  process.stdout.write('  linear scans: ours on 1 and 4 MiB of each worst input, the old patterns on 8 and 16 KiB...\n');
  const [r] = await runChild('linear-text-bench', [], { execArgv: ['--expose-gc'] });
  return r;
}

async function benchSend() {
  process.stdout.write(`  send: 3 clients x 2 scenarios x concurrency ${SEND.concurrencies.join(', ')}, ${SEND.requests} timed requests each...\n`);
  return runChild('send-bench', [JSON.stringify({ ...SEND, seedFile: SEED })]);
}

// ---------------------------------------------------------------------------------------------
// Report

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch { /* not Linux */ }
  return {
    cpu,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Calibration

/** The calibration loop's slow-down now against the reference machine (at least 1): time limits scale by it. */
let timeScale = 1;

/** The calibration loop in a child of its own: its median pass now, in ms (what the phases scale by). */
async function calibrationNow() {
  const [r] = await runChild('calibrate-process', ['9']);
  return r.medianMs;
}

/**
 * What every figure of a phase was measured under, the calibration child run for it (once before
 * the phase, once after), which also times fresh pages: only here, not in the phases' own
 * calibrations, as touching 48 MiB takes a good part of a second on a VM where pages are dear.
 */
async function conditionsNow() {
  const [r] = await runChild('calibrate-process', ['9', '--fresh-pages']);
  const [one, five, fifteen] = os.loadavg();
  return {
    cpu: machine().cpu, kernel: os.release(), load: [one, five, fifteen].map((x) => Math.round(x * 100) / 100),
    calibrationMs: Math.round(r.medianMs * 100) / 100, freshPageUs: Math.round(r.freshPageUs * 100) / 100,
  };
}
const conditionsText = (c) => `load ${c.load.join(' / ')}, ${c.cpu}, kernel ${c.kernel}, calibration pass ${num(c.calibrationMs)} ms (${(c.calibrationMs / CALIBRATION_REFERENCE_MS).toFixed(1)}x the reference), a fresh page ${num(c.freshPageUs)} µs`;

const num = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ms = (x) => `${num(x)} ms`;
const spread = (xs) => `${num(Math.min(...xs))}-${num(Math.max(...xs))} ms`;
const mib = (b) => (b / 2 ** 20).toFixed(1) + ' MiB';
const ratio = (x) => x.toFixed(2) + 'x';
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

/** met: true, false, or null when the goal could not be judged (a baseline is missing). */
function verdict(met) {
  return met === null ? 'SKIPPED' : met ? 'MET' : 'NOT MET';
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------------------------------------
// Phases: each adds its lines, checks and goals through say / check / goal.

async function phaseSizes({ say, goal, check, results }) {
  process.stdout.write('  sizes: node esbuild.mjs (the bundles as shipped)...\n');
  const { spawnSync } = await import('node:child_process');
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  check('sizes: the build succeeded', build.status === 0, build.stderr.slice(-500));
  if (build.status !== 0) return;
  const sizes = JSON.parse(readFileSync(path.join(ROOT, 'out', 'bundle-sizes.json'), 'utf8'));
  results.sizes = sizes;
  say(`SIZES  the bundles of dist/, minified (esbuild metafiles; out/meta-*.json for https://esbuild.github.io/analyze/)`);
  for (const [file, bytes] of Object.entries(sizes)) say(`  ${pad(file, 30)}${lpad(`${(bytes / 1024).toFixed(1)} KiB`, 12)}${file === 'dist/extension.js' ? '   read at activation' : file === 'dist/cli.js' ? '   woo-api, one file' : file.startsWith('dist/media/') ? '   a webview' : '   read on first use'}`);
  const ext = sizes['dist/extension.js'];
  goal('size: dist/extension.js', ext, `${(ext / 1000).toFixed(0)} KB`, `<= ${GOALS.extensionBytes / 1000} KB`, ext <= GOALS.extensionBytes);
}

async function phaseParse({ say, goal, check, results }) {
  const r = (results.parse = await benchParse());
  const { ours, httpyac } = r;
  say(`PARSE  ${PARSE.requests.toLocaleString('en')} requests, ${mib(ours.bytes)} (bench/http-corpus.ts); median of timed runs after warm-up, full GC before each`);
  say(`  ${pad('', 34)}${lpad('ours', 14)}${lpad(`httpYac ${packageVersion('httpyac')}`, 18)}`);
  const row = (label, a, b) => say(`  ${pad(label, 34)}${lpad(a, 14)}${lpad(b, 18)}`);
  row('requests found', ours.requestsFound, httpyac.requestsFound);
  row('median parse time', ms(ours.medianMs), ms(httpyac.medianMs));
  row('  timed runs', ours.runs.length, httpyac.runs.length);
  row('  fastest-slowest', spread(ours.runs), spread(httpyac.runs));
  row('one-request file (fixed cost)', ms(ours.tinyFileMedianMs), ms(httpyac.tinyFileMedianMs));
  row('RSS before the first parse', mib(ours.rssBeforeBytes), mib(httpyac.rssBeforeBytes));
  row('peak RSS (first parse)', mib(ours.peakRssBytes), mib(httpyac.peakRssBytes));
  row('  added by the parse at peak', mib(ours.peakRssBytes - ours.rssBeforeBytes), mib(httpyac.peakRssBytes - httpyac.rssBeforeBytes));
  row('heap held by the result', mib(ours.retainedHeapBytes), mib(httpyac.retainedHeapBytes));
  say('  Memory: one child process per parser; RSS from process.memoryUsage() before and getrusage ru_maxrss');
  say('  (the kernel\'s high-water mark) after the cold first parse; heap after gc() with the result alive.');
  const atReference = (x) => x * CALIBRATION_REFERENCE_MS;
  const parseRef = atReference(ours.medianMs / ours.calibrationMedianMs);
  const mbs = ours.bytes / 1e6 / (parseRef / 1000);
  say(`  Ours at reference speed: ${ms(parseRef)} = ${num(mbs)} MB/s (median parse / median calibration pass run after each parse, x ${CALIBRATION_REFERENCE_MS} ms).`);
  const lens = ours.codeLens;
  const lensRef = atReference(lens.ratio);
  say(`  Code lenses for that file: ${ms(lens.medianMs)} median (${lens.lenses.toLocaleString('en')} lenses), ${lens.ratio.toFixed(2)} calibration passes = ${ms(lensRef)} at reference speed:`);
  say('  our request-line index + two lens objects per request (indexHttpDocument, as src/codelens.ts uses through HttpDocuments);');
  say('  plain objects stand in for vscode.CodeLens/Range (no VS Code here), so their constructors are not counted.');
  for (const [name, x] of [['ours', ours], ['httpYac', httpyac]]) check(`parse: ${name} found ${PARSE.requests} requests`, x.requestsFound === PARSE.requests, `${x.requestsFound} found`);
  const pr = httpyac.medianMs / ours.medianMs;
  goal('parse: httpYac time / our time', pr, ratio(pr), `>= ${GOALS.parseRatio}x`, pr >= GOALS.parseRatio);
  goal('parse: our speed at reference speed', mbs, `${num(mbs)} MB/s`, `>= ${GOALS.parseMBs} MB/s`, mbs >= GOALS.parseMBs);
  goal(`code lenses, ${PARSE.requests.toLocaleString('en')} requests, at reference speed`, lensRef, ms(lensRef), `< ${GOALS.codeLensMs} ms`, lensRef < GOALS.codeLensMs);
}

async function phaseSend({ say, goal, check, results }) {
  const rows = (results.send = await benchSend());
  const find = (s, c, cl) => rows.find((r) => r.scenario === s && r.concurrency === c && r.client === cl);
  say(`SEND  GET /wp-json/wc/v3/products?per_page=1 to the sandbox store (own process, loopback); each client in its own process.`);
  say(`  ${SEND.requests} timed requests per client, after ${SEND.warmup} untimed (${SEND.rewarm} at the next concurrency); turns of ${SEND.turn}, ABC CBA order.`);
  say(`  official = @woocommerce/woocommerce-rest-api ${packageVersion('@woocommerce/woocommerce-rest-api')} (axios ${packageVersion('axios')}); undici = bare undici ${packageVersion('undici')} request(), same headers.`);
  say('  req/s over all turns [slowest-fastest turn]; CPU = the client process\'s CPU time per request.');
  say(`  ${pad('scenario', 12)}${lpad('conc', 4)}  ${pad('client', 9)}${lpad('req/s', 7)}${lpad('[turns]', 13)}${lpad('CPU/req', 10)}${lpad('ours/this req/s', 17)}${lpad('by CPU', 8)}${lpad('non-200', 9)}`);
  for (const s of ['oauth-http', 'basic-https']) {
    for (const c of SEND.concurrencies) {
      const [o, off, u] = ['ours', 'official', 'undici'].map((cl) => find(s, c, cl));
      for (const r of [o, off, u]) {
        const vs = r === o ? '' : ratio(o.requestsPerSecond / r.requestsPerSecond);
        const vsCpu = r === o ? '' : ratio(r.cpuMicrosPerRequest / o.cpuMicrosPerRequest);
        const turns = `[${Math.min(...r.turns).toFixed(0)}-${Math.max(...r.turns).toFixed(0)}]`;
        say(`  ${pad(r === o ? s : '', 12)}${lpad(r === o ? c : '', 4)}  ${pad(r.client, 9)}${lpad(r.requestsPerSecond.toFixed(0), 7)}${lpad(turns, 13)}${lpad(r.cpuMicrosPerRequest.toFixed(0) + ' us', 10)}${lpad(vs, 17)}${lpad(vsCpu, 8)}${lpad(r.failures, 9)}`);
        check(`send ${s} c${c} ${r.client}: every response 200`, r.failures === 0, r.failures === 0 ? 'all 200' : `${r.failures} not 200: ${r.failureSamples.join(' | ')}`);
      }
      // Judged with 8 in flight; one at a time is information (with the CPU per request beside it).
      if (c === 1) continue;
      const vsOff = o.requestsPerSecond / off.requestsPerSecond;
      const vsU = o.requestsPerSecond / u.requestsPerSecond;
      goal(`send ${s} ${c} in flight: ours / official`, vsOff, ratio(vsOff), `>= ${GOALS.vsOfficial}x`, vsOff >= GOALS.vsOfficial);
      goal(`send ${s} ${c} in flight: ours / bare undici`, vsU, ratio(vsU), `>= ${GOALS.vsUndici}x`, vsU >= GOALS.vsUndici);
    }
  }
  say('  Ratios above 1 favour ours ("by CPU" = this client\'s CPU per request / ours). Goals: 8 in flight, on req/s;');
  say('  one at a time is shown for information. OAuth: every request signed anew with a fresh nonce (the sandbox rejects');
  say('  a reused one); bare undici signs with bench/minimal-oauth1.ts (plain RFC 5849 HMAC-SHA256, none of the PHP rules ours follows).');
}

async function phaseLinear({ say, goal, results }) {
  const r = (results.linear = await benchLinear());
  say('LINEAR SCANS  text others control, on the input that made the regular expression each replaced quadratic (bench/linear-text-bench.ts)');
  say(`  ${pad('case', 34)}${lpad('1 MiB', 10)}${lpad('MB/s', 8)}${lpad('4M/1M', 9)}${lpad('old 8K', 10)}${lpad('old 16K', 10)}${lpad('ours 16K', 10)}${lpad('old/ours', 10)}`);
  for (const c of r.cases) {
    say(`  ${pad(c.name, 34)}${lpad(ms(c.ours1MiBMs), 10)}${lpad(num(c.mbPerSecond), 8)}${lpad(ratio(c.scaling), 9)}${lpad(ms(c.old8KiBMs), 10)}${lpad(ms(c.old16KiBMs), 10)}${lpad(ms(c.ours16KiBMs), 10)}${lpad(ratio(c.old16KiBMs / c.ours16KiBMs), 10)}`);
  }
  say('  4M/1M: time for 4 MiB over time for 1 MiB (4 when linear, 16 when quadratic; below 4 when the scan stops early).');
  say('  old: the replaced regular expression, once per size (16 KiB takes it about 4x as long as 8 KiB: quadratic).');
  const worst = Math.max(...r.cases.map((c) => c.scaling));
  goal('linear scans: worst t(4 MiB) / t(1 MiB)', worst, ratio(worst), `<= ${GOALS.linearScaling}x`, worst <= GOALS.linearScaling);
}

const PHASE_RUNNERS = {
  sizes: phaseSizes,
  parse: phaseParse,
  send: phaseSend,
  linear: phaseLinear,
  'access-log': async (ctx) => (await import('./access-log-bench.mjs')).accessLogBench(ctx),
  watch: async (ctx) => (await import('./access-log-watch-bench.mjs')).accessLogWatchBench(ctx),
  paint: async (ctx) => (await import('./runner-paint-bench.mjs')).runnerPaintBench(ctx),
};

// ---------------------------------------------------------------------------------------------
// The run

function writeResults(results) {
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
}

async function main() {
  const started = Date.now();
  const m = machine();
  console.log(`WooCommerce API Studio benchmarks, ${m.date}`);
  console.log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`);
  console.log(`Results go to ${path.relative(ROOT, RESULTS)}${RECORD ? ' (--record)' : ' (untracked; --record writes bench/results.json)'}, after each phase.`);
  process.stdout.write(`Bundling bench/*.ts into ${path.relative(ROOT, OUT)}/ ...\n`);
  // The product's code (src/) and undici are bundled as in dist/; the two libraries we compare
  // against run as published.
  await bundleBench(['parse-bench', 'send-bench', 'send-client-process', 'sandbox-process', 'make-corpus', 'linear-text-bench', 'calibrate-process'], { external: ['httpyac', '@woocommerce/woocommerce-rest-api'] });

  const results = {
    machine: m,
    calibrationReferenceMs: CALIBRATION_REFERENCE_MS,
    versions: { httpyac: packageVersion('httpyac'), '@woocommerce/woocommerce-rest-api': packageVersion('@woocommerce/woocommerce-rest-api'), axios: packageVersion('axios'), undici: packageVersion('undici') },
    phases: {},
    goals: [],
    checks: [],
    failures: [],
  };

  for (const name of PHASES) {
    if (only && only !== name) continue;
    const before = await conditionsNow();
    timeScale = Math.max(1, before.calibrationMs / CALIBRATION_REFERENCE_MS);
    const phaseStarted = Date.now();
    const lines = [];
    const say = (line = '') => lines.push(line);
    const goal = (goalName, value, shown, target, met) => results.goals.push({ phase: name, name: goalName, value, shown, target, status: verdict(met), measuredUnder: before });
    const check = (checkName, ok, detail) => results.checks.push({ phase: name, name: checkName, ok, detail, measuredUnder: before });
    try {
      await PHASE_RUNNERS[name]({ say, goal, check, results, timeScale, calibrate: calibrationNow, referenceMs: CALIBRATION_REFERENCE_MS });
    } catch (err) {
      results.failures.push({ phase: name, error: err instanceof Error ? err.message : String(err) });
      say(`${name.toUpperCase()}  did not finish: ${err instanceof Error ? err.message : String(err)}`);
    }
    const after = await conditionsNow();
    results.phases[name] = { seconds: Math.round((Date.now() - phaseStarted) / 1000), before, after };
    console.log(`\n== ${name}: ${results.phases[name].seconds} s; measured under ${conditionsText(before)}; after: load ${after.load.join(' / ')}, calibration ${num(after.calibrationMs)} ms, a fresh page ${num(after.freshPageUs)} µs`);
    console.log(lines.join('\n').replace(/^\n+/, ''));
    for (const g of results.goals.filter((x) => x.phase === name)) console.log(`  ${pad(g.status, 8)} ${pad(g.name, 52)} ${lpad(g.shown, 10)}   goal ${g.target}`);
    writeResults(results);
  }

  results.seconds = Math.round((Date.now() - started) / 1000);
  writeResults(results);
  const out = [];
  const say = (line = '') => out.push(line);
  say();
  say('CHECKS (a failed check makes the numbers meaningless)');
  for (const c of results.checks) say(`  ${c.ok ? 'ok    ' : 'FAILED'}  ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
  for (const f of results.failures) say(`  FAILED  phase ${f.phase} did not finish: ${f.error}`);
  say();
  say('GOALS (each measured under the load and calibration its phase header shows)');
  for (const g of results.goals) say(`  ${pad(g.status, 8)} ${pad(g.name, 52)} ${lpad(g.shown, 10)}   goal ${g.target}   [load ${g.measuredUnder.load[0]}]`);
  say();
  say(`Total ${results.seconds} s. Results written to ${path.relative(ROOT, RESULTS)}.`);
  console.log(out.join('\n'));
  const invalid = results.checks.filter((c) => !c.ok).length + results.failures.length;
  if (invalid > 0) {
    console.error(`\n${invalid} check(s) failed or phase(s) did not finish: those results are not valid.`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
