// The watch benchmark's web server: appends a combined-format access log at a steady rate (20,000
// lines/s by default) for a fixed time, as nginx would, with anomalies injected at known moments,
// and reports to its parent (IPC) exactly when each anomaly's triggering line was written.
//
//   node bench/access-log-watch-writer.mjs FILE RATE SECONDS ROTATE_AT_SECONDS
//
// Every 10 ms it writes the lines due by then in one write() (as a busy server's buffered log does).
// Traffic (deterministic, fixed seed):
//   - 60% from 2,000 regular clients (shoppers on pages and the Store API, integrations on
//     /wp-json/wc/v3/ with OAuth 1.0a keys in the query); 0.3% of their API answers are 401;
//   - 40% from a new address each line (crawlers, scanners, a botnet), most of them probing the REST
//     API (one refused request each, never a burst): 8,000 new clients a second, 480,000 over a
//     minute, far beyond the 100,000 clients the monitor tracks at once;
// Injected, each from an address of its own, each to be raised exactly once:
//   - every 2 s an auth-burst: 20 x 401 (the 20th line triggers it);
//   - every 5 s credentials-over-http: a consumer secret in the query (its first line triggers it);
//   - every 7 s many-consumer-keys: 5 different keys (the 5th triggers it).
// At ROTATE_AT_SECONDS the file is renamed to FILE.1 and a new FILE is started (logrotate + reopen).
//
// Reported: { kind: 'writer', lines, bytes, seconds, injected: [{ kind, client, triggerMs }] } where
// triggerMs is Date.now() right after the write() that held the triggering line returned.

import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { mulberry32, randomPicks } from './prng.mjs';

const [file, rateText = '20000', secondsText = '60', rotateText = '30'] = process.argv.slice(2);
const RATE = Number(rateText);
const SECONDS = Number(secondsText);
const ROTATE_AT = Number(rotateText);
const TICK_MS = 10;

const rnd = mulberry32(20261202);
const { pick, hex } = randomPicks(rnd);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => (n < 10 ? '0' + n : String(n));
let clfSecond = -1;
let clfText = '';
function clf(t) {
  const s = Math.floor(t / 1000);
  if (s !== clfSecond) {
    const d = new Date(s * 1000);
    clfSecond = s;
    clfText = `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
  }
  return clfText;
}
const line = (ip, t, target, status, agent) => `${ip} - - [${clf(t)}] "GET ${target} HTTP/1.1" ${status} 512 "-" "${agent}"\n`;

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const PAGES = ['/', '/shop/', '/product/blue-hoodie/', '/cart/', '/wp-json/wc/store/v1/cart', '/wp-content/themes/storefront/style.css'];
const RESOURCES = ['products', 'orders', 'customers', 'products/categories', 'coupons'];
const regular = Array.from({ length: 2000 }, (_, i) => ({
  ip: `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
  integration: i % 10 === 0,
  key: `ck_${hex(40)}`,
}));
let fresh = 0;
const freshIp = () => {
  fresh++;
  return `10.${(fresh >> 16) & 255}.${(fresh >> 8) & 255}.${fresh & 255}`;
};
let injectedNo = 0;
const injectedIp = () => {
  injectedNo++;
  return `198.51.${100 + (injectedNo >> 8)}.${injectedNo & 255}`;
};

const PROBES = ['/wp-json/wp/v2/users', '/wp-json/wc/store/v1/products', '/wp-json/', '/wp-json/wc/v3/system_status'];

function normalLine(t) {
  // New addresses probe the REST API (each becomes a client the monitor tracks), a few read pages.
  if (rnd() < 0.4) {
    const target = rnd() < 0.9 ? pick(PROBES) : pick(PAGES);
    return line(freshIp(), t, target, target.includes('/wc/v3/') ? 401 : 200, BROWSER);
  }
  const c = pick(regular);
  if (!c.integration) return line(c.ip, t, pick(PAGES), 200, BROWSER);
  const q = `oauth_consumer_key=${c.key}&oauth_nonce=${hex(11)}&oauth_signature_method=HMAC-SHA256&oauth_timestamp=${Math.floor(t / 1000)}&oauth_signature=${hex(20)}%3D`;
  return line(c.ip, t, `/wp-json/wc/v3/${pick(RESOURCES)}?${q}`, rnd() < 0.003 ? 401 : 200, 'WooCommerce API Client-PHP/3.1.0');
}

/** Lines of an injected anomaly; `trigger` is the index of the line that makes it pass its threshold. */
function anomaly(kind, t) {
  const ip = injectedIp();
  if (kind === 'auth-burst') return { kind, client: ip, trigger: 19, lines: Array.from({ length: 20 }, () => line(ip, t, '/wp-json/wc/v3/orders', 401, 'python-requests/2.32.3')) };
  if (kind === 'credentials-over-http') return { kind, client: ip, trigger: 0, lines: [line(ip, t, `/wp-json/wc/v3/products?consumer_key=ck_${hex(40)}&consumer_secret=cs_bench_not_a_real_secret_${hex(12)}`, 200, 'LegacyShopSync/0.9')] };
  return { kind, client: ip, trigger: 4, lines: Array.from({ length: 5 }, () => line(ip, t, `/wp-json/wc/v3/customers?consumer_key=ck_${hex(40)}`, 401, 'curl/8.5.0')) };
}

let fd = openSync(file, 'a');
const injected = [];
let lines = 0;
let bytes = 0;
let rotated = false;
const start = Date.now();
const schedule = [
  ['auth-burst', 2000],
  ['credentials-over-http', 5000],
  ['many-consumer-keys', 7000],
].map(([kind, every]) => ({ kind, every, next: every }));

function tick() {
  const now = Date.now();
  const elapsed = now - start;
  if (!rotated && elapsed >= ROTATE_AT * 1000) {
    closeSync(fd);
    renameSync(file, `${file}.1`);
    fd = openSync(file, 'a');
    rotated = true;
  }
  const due = Math.min(Math.floor((Math.min(elapsed, SECONDS * 1000) / 1000) * RATE), RATE * SECONDS) - lines;
  let chunk = '';
  let n = 0;
  const pendingTriggers = [];
  for (let i = 0; i < due; i++) {
    chunk += normalLine(now);
    n++;
  }
  for (const s of schedule) {
    if (elapsed < s.next || elapsed >= SECONDS * 1000 - 1000) continue;
    s.next += s.every;
    const a = anomaly(s.kind, now);
    // Spread among the normal lines of this write, in order.
    chunk += a.lines.join('');
    n += a.lines.length;
    pendingTriggers.push(a);
  }
  if (n > 0) {
    writeSync(fd, chunk);
    const written = Date.now();
    for (const a of pendingTriggers) injected.push({ kind: a.kind, client: a.client, triggerMs: written });
    lines += n;
    bytes += Buffer.byteLength(chunk);
  }
  if (elapsed >= SECONDS * 1000 && lines >= RATE * SECONDS) {
    closeSync(fd);
    process.send?.({ kind: 'writer', lines, bytes, seconds: (Date.now() - start) / 1000, injected }, () => process.exit(0));
    return;
  }
  setTimeout(tick, TICK_MS);
}
tick();
