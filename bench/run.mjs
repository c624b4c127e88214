// `npm run bench`: the performance benchmarks of WooCommerce API Studio.
//
// Every goal is a ratio against a baseline measured in the same run on the same machine (the code
// lens goal is a time budget), so verdicts carry over between machines; absolute times are printed
// for context. See bench/README.md for what each benchmark does and why it is built that way.
//
//   node bench/run.mjs [--only parse|send|paint|linear|access-log|watch]
//
// Steps: bundle bench/*.ts (and the src/ code they import) with esbuild into out/bench/, write the
// corpus, run each measurement in a child process of its own, print a table, write
// bench/results.json. Exits 0 whether goals are met or not (each is marked MET / NOT MET); exits 1
// only when a measurement is not valid (a parser missed requests, a request was not answered 200,
// a child failed), because such numbers would mean nothing.

import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBench, OUT } from './build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// OUT: where bench/build.mjs bundles to.
const RESULTS = path.join(ROOT, 'bench', 'results.json');
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
const CHILD_TIMEOUT_MS = 180_000;

const GOALS = {
  parseRatio: 5, //          httpYac time / our time, at least
  codeLensMs: 50, //         code lenses for the 10,000-request file, under
  vsOfficial: 1.5, //        our requests/s / the official library's, at least
  vsUndici: 0.9, //          our requests/s / bare undici's, at least (within 10%)
  linearScaling: 8, //       t(4 MiB) / t(1 MiB) of each linear scan, at most (4 = linear, 16 = quadratic)
};

const only = (() => {
  const i = process.argv.indexOf('--only');
  const v = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  if (v !== undefined && !['parse', 'send', 'paint', 'linear', 'access-log', 'watch'].includes(v)) throw new Error('--only takes parse, send, paint, linear, access-log or watch');
  return v;
})();

// ---------------------------------------------------------------------------------------------
// Children

/**
 * Runs out/bench/NAME.js in a child process with an IPC channel and resolves to the messages it
 * reported once it exits with 0. Killed after CHILD_TIMEOUT_MS, so a hung run cannot hang `npm run bench`.
 */
function runChild(name, args, { execArgv = [] } = {}) {
  const timeoutMs = CHILD_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = fork(path.join(OUT, `${name}.js`), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const messages = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} took longer than ${timeoutMs / 1000} s and was stopped`));
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
    loadBefore: os.loadavg()[0],
  };
}

const num = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ms = (x) => `${num(x)} ms`;
const spread = (xs) => `${num(Math.min(...xs))}-${num(Math.max(...xs))} ms`;
const mib = (b) => (b / 2 ** 20).toFixed(1) + ' MiB';
const ratio = (x) => x.toFixed(2) + 'x';
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function verdict(met) {
  return met ? 'MET' : 'NOT MET';
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

async function main() {
  const started = Date.now();
  const m = machine();
  process.stdout.write(`Bundling bench/*.ts into ${path.relative(ROOT, OUT)}/ ...\n`);
  // The product's code (src/) and undici are bundled as in dist/; the two libraries we compare
  // against run as published.
  await bundleBench(['parse-bench', 'send-bench', 'send-client-process', 'sandbox-process', 'make-corpus', 'linear-text-bench'], { external: ['httpyac', '@woocommerce/woocommerce-rest-api'] });

  const results = { machine: m, versions: { httpyac: packageVersion('httpyac'), '@woocommerce/woocommerce-rest-api': packageVersion('@woocommerce/woocommerce-rest-api'), axios: packageVersion('axios'), undici: packageVersion('undici') }, goals: [], checks: [] };
  const goal = (name, value, shown, target, met) => results.goals.push({ name, value, shown, target, status: verdict(met) });
  const check = (name, ok, detail) => results.checks.push({ name, ok, detail });

  if (!only || only === 'parse') results.parse = await benchParse();
  if (!only || only === 'send') results.send = await benchSend();
  if (!only || only === 'linear') results.linear = await benchLinear();
  results.seconds = Math.round((Date.now() - started) / 1000);
  results.loadAfter = os.loadavg()[0];

  // ---- print
  const lines = [];
  const say = (s = '') => lines.push(s);
  say();
  say(`WooCommerce API Studio benchmarks, ${m.date}`);
  say(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`);
  say(`Load average (1 min) before / after: ${m.loadBefore.toFixed(2)} / ${results.loadAfter.toFixed(2)}${Math.max(m.loadBefore, results.loadAfter) > 0.5 ? '  (other programs were running: expect noise)' : ''}`);

  if (results.parse) {
    const { ours, httpyac } = results.parse;
    say();
    say(`PARSE  ${PARSE.requests.toLocaleString('en')} requests, ${mib(ours.bytes)} (bench/http-corpus.ts); median of timed runs after warm-up, full GC before each`);
    say(`  ${pad('', 34)}${lpad('ours', 14)}${lpad(`httpYac ${results.versions.httpyac}`, 18)}`);
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
    say(`  Code lenses for that file: ${ms(ours.codeLens.medianMs)} median (${ours.codeLens.lenses.toLocaleString('en')} lenses) = our request-line index + two lens`);
    say('  objects per request (indexHttpDocument, as src/codelens.ts uses through HttpDocuments); plain objects stand in for');
    say('  vscode.CodeLens/Range (no VS Code here), so their constructors are not counted.');

    for (const [name, r] of [['ours', ours], ['httpYac', httpyac]]) {
      const ok = r.requestsFound === PARSE.requests;
      check(`parse: ${name} found ${PARSE.requests} requests`, ok, `${r.requestsFound} found`);
    }
    const pr = httpyac.medianMs / ours.medianMs;
    goal('parse: httpYac time / our time', pr, ratio(pr), `>= ${GOALS.parseRatio}x`, pr >= GOALS.parseRatio);
    goal(`code lenses for the ${PARSE.requests.toLocaleString('en')}-request file`, ours.codeLens.medianMs, ms(ours.codeLens.medianMs), `< ${GOALS.codeLensMs} ms`, ours.codeLens.medianMs < GOALS.codeLensMs);
  }

  if (results.send) {
    const rows = results.send;
    const find = (s, c, cl) => rows.find((r) => r.scenario === s && r.concurrency === c && r.client === cl);
    say();
    say(`SEND  GET /wp-json/wc/v3/products?per_page=1 to the sandbox store (own process, loopback); each client in its own process.`);
    say(`  ${SEND.requests} timed requests per client, after ${SEND.warmup} untimed (${SEND.rewarm} at the next concurrency); turns of ${SEND.turn}, ABC CBA order.`);
    say(`  official = @woocommerce/woocommerce-rest-api ${results.versions['@woocommerce/woocommerce-rest-api']} (axios ${results.versions.axios}); undici = bare undici ${results.versions.undici} request(), same headers.`);
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
        const vsOff = o.requestsPerSecond / off.requestsPerSecond;
        const vsU = o.requestsPerSecond / u.requestsPerSecond;
        goal(`send ${s} concurrency ${c}: ours / official`, vsOff, ratio(vsOff), `>= ${GOALS.vsOfficial}x`, vsOff >= GOALS.vsOfficial);
        goal(`send ${s} concurrency ${c}: ours / bare undici`, vsU, ratio(vsU), `>= ${GOALS.vsUndici}x`, vsU >= GOALS.vsUndici);
      }
    }
    say('  Ratios above 1 favour ours ("by CPU" = this client\'s CPU per request / ours). Goals are judged on req/s.');
    say('  OAuth: every request signed anew with a fresh nonce (the sandbox rejects a reused one); bare undici');
    say('  signs with bench/minimal-oauth1.ts (plain RFC 5849 HMAC-SHA256, none of the PHP rules ours follows).');
  }

  if (results.linear) {
    say();
    say('LINEAR SCANS  text others control, on the input that made the regular expression each replaced quadratic (bench/linear-text-bench.ts)');
    say(`  ${pad('case', 34)}${lpad('1 MiB', 10)}${lpad('MB/s', 8)}${lpad('4M/1M', 9)}${lpad('old 8K', 10)}${lpad('old 16K', 10)}${lpad('ours 16K', 10)}${lpad('old/ours', 10)}`);
    for (const c of results.linear.cases) {
      say(`  ${pad(c.name, 34)}${lpad(ms(c.ours1MiBMs), 10)}${lpad(num(c.mbPerSecond), 8)}${lpad(ratio(c.scaling), 9)}${lpad(ms(c.old8KiBMs), 10)}${lpad(ms(c.old16KiBMs), 10)}${lpad(ms(c.ours16KiBMs), 10)}${lpad(ratio(c.old16KiBMs / c.ours16KiBMs), 10)}`);
    }
    say('  4M/1M: time for 4 MiB over time for 1 MiB (4 when linear, 16 when quadratic; below 4 when the scan stops early).');
    say('  old: the replaced regular expression, once per size (16 KiB takes it about 4x as long as 8 KiB: quadratic).');
    const worst = Math.max(...results.linear.cases.map((c) => c.scaling));
    goal('linear scans: worst t(4 MiB) / t(1 MiB)', worst, ratio(worst), `<= ${GOALS.linearScaling}x`, worst <= GOALS.linearScaling);
  }

  if (!only || only === 'access-log') await (await import('./access-log-bench.mjs')).accessLogBench({ say, goal, check, results });
  if (!only || only === 'watch') await (await import('./access-log-watch-bench.mjs')).accessLogWatchBench({ say, goal, check, results });
  if (!only || only === 'paint') await (await import('./runner-paint-bench.mjs')).runnerPaintBench({ say, goal, check, results });
  // The whole run, the benchmarks after parse and send included (the header's figures were taken before them).
  results.seconds = Math.round((Date.now() - started) / 1000);
  results.loadAtEnd = os.loadavg()[0];

  say();
  say('CHECKS (a failed check makes the numbers meaningless)');
  for (const c of results.checks) say(`  ${c.ok ? 'ok    ' : 'FAILED'}  ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
  say();
  say('GOALS');
  for (const g of results.goals) say(`  ${pad(g.status, 8)} ${pad(g.name, 48)} ${lpad(g.shown, 10)}   goal ${g.target}`);
  say();
  say(`Total ${results.seconds} s. Results written to ${path.relative(ROOT, RESULTS)}.`);
  console.log(lines.join('\n'));

  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
  const invalid = results.checks.filter((c) => !c.ok);
  if (invalid.length > 0) {
    console.error(`\n${invalid.length} check(s) failed: these results are not valid.`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
