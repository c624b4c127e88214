// A plain log file analysed on two threads (src/core/access-log/split.ts) gives the very report one
// thread gives: the benchmark's generated log, and small logs cut into many tiny segments so that
// bursts, streaks, key guessing, unusual hours, table caps, CRLF, blank, malformed and non-ASCII lines
// fall on both sides of the cuts. Each case checks that the worker did read part of the file (else
// the comparison would prove nothing), and the fallbacks: a worker that fails, a cancelled analysis.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, type AccessLogReport, type StreamOptions } from '../../src/core/access-log/analyze';
import { clfTime, testKey, T0 } from './helpers/access-log-lines';
import { mulberry32 } from './helpers/prng';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HOUR = 3_600_000, DAY = 86_400_000;

interface Used { threads: 1 | 2; segments: number; byWorker: number }

async function both(file: string, options: StreamOptions, split: NonNullable<StreamOptions['split']>): Promise<{ one: AccessLogReport; two: AccessLogReport; used: Used }> {
  let used: Used | undefined;
  const one = await analyzeFile(file, { ...options, threads: 1 });
  const two = await analyzeFile(file, { ...options, split: { ...split, used: (u) => (used = u) } });
  assert.ok(used, 'the split path was taken');
  return { one, two, used };
}

/**
 * A log where every detector fires over a long span, written line by line in time order: ordinary
 * clients, a client that works for days then gets 401s, bursts, a key guesser, an office-hours
 * client that shows up at night, Basic users over HTTP, secrets in queries, plus blank, malformed,
 * CRLF-ended and non-ASCII lines.
 */
function trickyLog(seed: number, lines: number): string {
  const rnd = mulberry32(seed);
  const out: string[] = [];
  const ua = ['curl/8.0', 'WooCommerce-REST-API-Node/1.0.2', 'Zapier', 'Agent \\"quoted\\"', 'Mozilla/5.0 (Ünïcødé; 日本語)'];
  const targets = ['/wp-json/wc/v3/orders', '/wp-json/wc/v3/products/123', '/?rest_route=/wc/v3/customers', '/wc-api/v3/orders', '/shop/', '/wp-json/wp/v2/users/me'];
  let t = T0;
  for (let i = 0; i < lines; i++) {
    t += Math.floor(rnd() * 60_000);
    const r = rnd();
    const ip = `198.51.100.${Math.floor(rnd() * 30)}`;
    const end = rnd() < 0.1 ? '\r' : '';
    if (r < 0.02) out.push('');
    else if (r < 0.04) out.push(`${ip} - - [${clfTime(t)}] "GET /cut-short`);
    else if (r < 0.10) {
      // bursts of 401s from a few addresses, a few seconds apart
      const who = `203.0.113.${Math.floor(rnd() * 3)}`;
      for (let k = 0; k < 25; k++) out.push(`${who} - - [${clfTime(t + k * 1000)}] "GET /wp-json/wc/v3/orders?consumer_key=${testKey(k % 3)} HTTP/1.1" 401 10 "-" "${ua[k % ua.length]}"${end}`);
    } else if (r < 0.13) {
      // a key guesser: a new key each time
      out.push(`2001:db8:bad::${Math.floor(rnd() * 2)} - - [${clfTime(t)}] "GET /wp-json/wc/v3/products?consumer_key=${testKey(Math.floor(rnd() * 40))} HTTP/1.1" 401 10 "-" "python-requests/2.32"`);
    } else if (r < 0.16) {
      // works for a while, then fails
      const status = t - T0 > lines * 15_000 ? 401 : 200;
      out.push(`192.0.2.30 - ck_${'a'.repeat(38)}01 [${clfTime(t)}] "GET /wp-json/wc/v3/orders HTTP/1.1" ${status} 10 "-" "Integration/1.0"`);
    } else if (r < 0.18) {
      // office hours, then one night
      const day = Math.floor((t - T0) / DAY);
      const at = T0 + day * DAY + (rnd() < 0.9 ? 9 : 3) * HOUR;
      out.push(`192.0.2.40 - - [${clfTime(Math.max(at, t - HOUR))}] "GET /wp-json/wc/v3/orders?oauth_consumer_key=${testKey(7)} HTTP/1.1" 200 10 "-" "Office/2.0"`);
    } else if (r < 0.19) {
      out.push(`192.0.2.20 - - [${clfTime(t)}] "GET /wp-json/wc/v3/orders?consumer_key=${testKey(9)}&consumer_secret=cs_not_a_real_secret HTTP/1.1" 200 10 "-" "leaky"`);
    } else {
      const target = targets[Math.floor(rnd() * targets.length)];
      const status = rnd() < 0.05 ? 401 : rnd() < 0.05 ? 403 : 200;
      const user = rnd() < 0.02 ? 'shopmanager' : '-';
      out.push(`${ip} - ${user} [${clfTime(t, rnd() < 0.1 ? 60 : 0)}] "GET ${target} HTTP/1.1" ${status} 100 "-" "${ua[Math.floor(rnd() * ua.length)]}"${end}`);
    }
  }
  return out.join('\n'); // no line break after the last line
}

describe('access-log analysis on two threads', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-access-log-split-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the benchmark\'s generated log (100,000 lines, default rounds): the same report, the worker reading most of it', async () => {
    const file = path.join(dir, 'corpus.log');
    const gen = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const { writeAccessLogCorpus } = await import(${JSON.stringify(path.join(ROOT, 'bench', 'access-log-corpus.mjs'))}); writeAccessLogCorpus(${JSON.stringify(file)}, 100000);`], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    assert.ok(fs.statSync(file).size > 16 * 1024 * 1024, 'big enough to be shared by default');
    // Patient: on a busy machine the main thread could otherwise take every segment itself.
    const { one, two, used } = await both(file, { assumeScheme: 'http' }, { patient: true });
    assert.equal(used.threads, 2);
    assert.ok(used.byWorker >= 1, JSON.stringify(used));
    assert.ok(one.findings.length >= 5, 'the injected anomalies are found');
    assert.deepStrictEqual(two, one);
  });

  // maxIds: the worker's string ids go on from segment to segment (default), or its table starts
  // again at every segment (1) or every few segments (40): the main thread must follow either way.
  for (const [roundBytes, mainShare, lines, maxIds] of [[3000, 0.3, 4000, undefined], [7777, 0.5, 4000, 1], [1500, 0.9, 3000, 40], [20000, 0.1, 6000, undefined]] as const) {
    it(`a tricky log cut every ${roundBytes} bytes (${mainShare * 100}% to the main thread${maxIds ? `, worker's ids started again past ${maxIds}` : ''}): the same report, every detector firing`, async () => {
      const file = path.join(dir, `tricky-${roundBytes}.log`);
      fs.writeFileSync(file, trickyLog(roundBytes, lines));
      const options: StreamOptions = { format: 'combined', assumeScheme: 'http', burstCount: 20, unusualHourMinHistory: 20, unusualHourMinDays: 2 };
      const { one, two, used } = await both(file, options, { minBytes: 0, roundBytes, mainShare, patient: true, maxIds });
      assert.equal(used.threads, 2);
      assert.ok(used.byWorker >= 10, JSON.stringify(used));
      const kinds = new Set(one.findings.map((f) => f.kind));
      for (const k of ['auth-burst', 'many-consumer-keys', 'success-then-failure', 'credentials-over-http', 'unusual-hour'] as const) assert.ok(kinds.has(k), `${k} in ${[...kinds].join(', ')}`);
      assert.ok(one.lines.malformed > 10 && one.lines.blank > 10, JSON.stringify(one.lines));
      assert.deepStrictEqual(two, one);
    });
  }

  it('table caps, --since and a detected format: the same report', async () => {
    const file = path.join(dir, 'caps.log');
    fs.writeFileSync(file, trickyLog(42, 5000) + '\n');
    const options: StreamOptions = { assumeScheme: 'https', maxTrackedClients: 12, maxTrackedGroups: 4, topN: 3, maxLinesPerFinding: 7, sinceMs: T0 + 2 * HOUR };
    const { one, two, used } = await both(file, options, { minBytes: 0, roundBytes: 60_000, mainShare: 0.5, patient: true });
    assert.equal(used.threads, 2);
    assert.ok(one.lines.beforeSince! > 0 && one.notes.some((n) => n.includes('(other clients)')), JSON.stringify(one.notes));
    assert.equal(one.format.detected, true);
    assert.deepStrictEqual(two, one);
  });

  it('a worker that fails: the main thread reads its share, same report', async () => {
    const file = path.join(dir, 'fails.log');
    fs.writeFileSync(file, trickyLog(7, 3000));
    const bad = path.join(dir, 'bad-worker.js');
    fs.writeFileSync(bad, 'require("node:worker_threads").parentPort.postMessage({ type: "batch", segment: 0, count: 1, ints: new Int32Array(10), floats: new Float64Array(2), strings: [] }); throw new Error("broken worker");');
    const { one, two, used } = await both(file, { format: 'combined' }, { minBytes: 0, roundBytes: 5000, mainShare: 0.5, script: bad });
    assert.equal(used.threads, 1);
    assert.equal(used.byWorker, 0);
    assert.deepStrictEqual(two, one);
  });

  it('a worker slow to start: the main thread takes the segments it has not started, same report', async () => {
    const file = path.join(dir, 'slow.log');
    fs.writeFileSync(file, trickyLog(11, 3000));
    const slow = path.join(dir, 'slow-worker.js');
    const real = path.join(ROOT, 'out', 'src', 'core', 'access-log', 'access-log-worker.js');
    assert.ok(fs.existsSync(real), real);
    fs.writeFileSync(slow, `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500); require(${JSON.stringify(real)});`);
    const { one, two, used } = await both(file, { format: 'combined' }, { minBytes: 0, roundBytes: 5000, mainShare: 0.5, script: slow });
    assert.equal(used.byWorker, 0, 'the main thread got to every segment first');
    assert.ok(used.segments > 10);
    assert.deepStrictEqual(two, one);
  });

  it('small files, and threads: 1, stay on one thread; cancelling stops the worker', async () => {
    const file = path.join(dir, 'small.log');
    fs.writeFileSync(file, trickyLog(3, 2000));
    let used: Used | undefined;
    await analyzeFile(file, { split: { used: (u) => (used = u) } });
    assert.deepStrictEqual(used, { threads: 1, segments: 1, byWorker: 0 });
    await analyzeFile(file, { threads: 1, split: { minBytes: 0, roundBytes: 5000, used: (u) => (used = u) } });
    assert.deepStrictEqual(used, { threads: 1, segments: 1, byWorker: 0 });

    const abort = new AbortController();
    await assert.rejects(
      analyzeFile(file, { format: 'combined', signal: abort.signal, split: { minBytes: 0, roundBytes: 5000 }, onProgress: () => abort.abort() }),
      (err: Error) => err.name === 'AbortError',
    );
  });
});
