// The access-log benchmark's input: a combined-format log of a busy WooCommerce store over 7 days,
// generated from a fixed seed, with a known set of anomalies injected among normal traffic.
//
// Normal traffic (what must NOT be flagged):
//   - shoppers (20,000 addresses, 10% IPv6, browser user agents): pages, assets, the Store API
//     (/wp-json/wc/store/...) and some public /wp-json/wp/v2/ reads, an occasional 401 on /users/me;
//   - 200 integrations with fixed addresses and API-client user agents on /wp-json/wc/v3/...:
//     half of them only during office hours (08:00-18:59 in the log's zone), half around the clock;
//     HTTP Basic (nothing of it in the log) or OAuth 1.0a (oauth_* in the query, the consumer key
//     included). A random 1% of their answers are 401 and 1% are 404.
// Injected (each must be found, and nothing else of its kind):
//   auth-burst            198.51.100.10   80 x 401 within 2 minutes
//   many-consumer-keys    2001:db8:bad::7 12 different consumer keys over 30 minutes, all refused
//   credentials-over-http 198.51.100.20   6 requests with consumer_key + consumer_secret in the query
//   success-then-failure  198.51.100.30   300 answers 200 over 5 days, then 40 x 401 every 5 minutes
//   unusual-hour          198.51.100.40   office hours for 5 days, then 5 requests at 03:15
// plus 100 malformed lines (cut short) spread through the file.
//
// The combined format has no scheme, so the benchmark runs the analysis with assumeScheme 'http'
// (a store without TLS): then a consumer secret in the query is exposure, and normal clients send
// none (their query-string keys are OAuth 1.0a, which never sends the secret).
//
// Secrets: every key is `ck_` + 40 hex from the PRNG; consumer secrets are deliberately NOT
// `cs_` + 40 hex (`cs_bench_not_a_real_secret_…`), so nothing here looks like a real secret.

import { openSync, writeSync, closeSync } from 'node:fs';
import { mulberry32, randomPicks } from './prng.mjs';

const ZONE = '+0100';
const ZONE_MIN = 60;
const START = Date.UTC(2026, 10, 20, 0, 0, 0) - ZONE_MIN * 60_000; // 2026-11-20 00:00:00 +0100
const DAY = 86_400_000;
const SPAN = 7 * DAY;


const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => (n < 10 ? '0' + n : String(n));
/** [27/Nov/2026:10:00:00 +0100] for UTC ms t. */
function clf(t) {
  const d = new Date(t + ZONE_MIN * 60_000);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${ZONE}`;
}
const localHour = (t) => new Date(t + ZONE_MIN * 60_000).getUTCHours();

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];
const API_AGENTS = ['WooCommerce API Client-PHP/3.1.0', 'WooCommerce-REST-API-Node/1.0.2', 'Zapier', 'n8n', 'python-requests/2.32.3', 'Make/production', 'ShipStation/2.0'];
const PAGES = ['/', '/shop/', '/product/blue-hoodie/', '/product/red-cap/', '/cart/', '/checkout/', '/my-account/', '/category/clothing/?orderby=price', '/?s=hoodie&post_type=product'];
const ASSETS = ['/wp-content/themes/storefront/style.css', '/wp-content/plugins/woocommerce/assets/js/frontend/cart-fragments.min.js', '/wp-includes/js/jquery/jquery.min.js', '/wp-content/uploads/2026/10/hoodie-blue-600x600.jpg', '/favicon.ico'];
const RESOURCES = ['products', 'orders', 'customers', 'products/categories', 'coupons', 'reports/sales', 'system_status'];

export const INJECTED = [
  { kind: 'auth-burst', client: '198.51.100.10' },
  { kind: 'many-consumer-keys', client: '2001:db8:bad::7' },
  { kind: 'credentials-over-http', client: '198.51.100.20' },
  { kind: 'success-then-failure', client: '198.51.100.30' },
  { kind: 'unusual-hour', client: '198.51.100.40' },
];
export const MALFORMED = 100;

/**
 * Writes `total` lines to `file`; returns { bytes, lines, injected, malformed }.
 * Deterministic for a given total.
 */
export function writeAccessLogCorpus(file, total = 1_000_000) {
  const rnd = mulberry32(20261127);
  const { pick, hex } = randomPicks(rnd);
  const key = () => `ck_${hex(40)}`;
  const fakeSecret = () => `cs_bench_not_a_real_secret_${hex(12)}`;

  const shoppers = Array.from({ length: 20_000 }, (_, i) =>
    i % 10 === 0 ? `2001:db8:${(i >> 8).toString(16)}:${(i & 255).toString(16)}::${(1 + (i % 97)).toString(16)}` : `10.${1 + ((i >> 16) & 255)}.${(i >> 8) & 255}.${i & 255}`,
  );
  const shopperAgent = shoppers.map(() => pick(BROWSERS));
  const integrations = Array.from({ length: 200 }, (_, i) => ({
    ip: `172.16.${i >> 8}.${(i & 255) + 1}`,
    agent: pick(API_AGENTS),
    office: i % 2 === 0,
    auth: i % 3, // 0 Basic (invisible), 1 OAuth 1.0a in the query, 2 Basic too
    key: key(),
  }));
  const allDayIntegrations = integrations.filter((c) => !c.office);

  const line = (ip, t, method, target, status, bytes, referer, agent) =>
    `${ip} - - [${clf(t)}] "${method} ${target} HTTP/1.1" ${status} ${bytes} "${referer}" "${agent}"\n`;
  const oauthQuery = (c, t) =>
    `oauth_consumer_key=${c.key}&oauth_nonce=${hex(11)}&oauth_signature_method=HMAC-SHA256&oauth_timestamp=${Math.floor(t / 1000)}&oauth_signature=${hex(20)}%3D`;

  // ---- injected events, each (t, text), merged into the stream in time order
  const events = [];
  const at = (day, h, m, s = 0) => START + day * DAY + ((h * 60 + m) * 60 + s) * 1000;
  for (let i = 0; i < 80; i++) {
    events.push([at(2, 10, 0, Math.floor(i * 1.5)), line('198.51.100.10', at(2, 10, 0, Math.floor(i * 1.5)), 'GET', '/wp-json/wc/v3/orders?per_page=100', 401, 154, '-', 'python-requests/2.32.3')]);
  }
  for (let i = 0; i < 12; i++) {
    const t = at(3, 22, 0) + i * 150_000;
    events.push([t, line('2001:db8:bad::7', t, 'GET', `/wp-json/wc/v3/customers?consumer_key=${key()}`, 401, 148, '-', 'curl/8.5.0')]);
  }
  const exposedKey = key();
  for (let i = 0; i < 6; i++) {
    const t = at(4, 9, 10 * i);
    events.push([t, line('198.51.100.20', t, 'GET', `/wp-json/wc/v3/products?consumer_key=${exposedKey}&consumer_secret=${fakeSecret()}&per_page=20`, 200, 18_344, '-', 'LegacyShopSync/0.9')]);
  }
  for (let i = 0; i < 300; i++) {
    const day = Math.floor(i / 60), slot = i % 60; // 60 a day for 5 days, 09:00-17:51
    const t = at(day, 9, slot * 9);
    events.push([t, line('198.51.100.30', t, 'GET', `/wp-json/wc/v3/orders/${1000 + i}`, 200, 2_811, '-', 'ERP-Connector/4.2')]);
  }
  for (let i = 0; i < 40; i++) {
    const t = at(5, 14, 0) + i * 300_000;
    events.push([t, line('198.51.100.30', t, 'GET', `/wp-json/wc/v3/orders/${2000 + i}`, 401, 154, '-', 'ERP-Connector/4.2')]);
  }
  for (let d = 0; d < 5; d++) {
    for (let k = 0; k < 24; k++) {
      const t = at(d, 9, k * 20 + 3); // 09:03 ... 16:43
      events.push([t, line('198.51.100.40', t, 'GET', '/wp-json/wc/v3/products?per_page=50&page=' + (k + 1), 200, 40_112, '-', 'InventorySync/1.3')]);
    }
  }
  for (let k = 0; k < 5; k++) {
    const t = at(5, 3, 15 + k);
    events.push([t, line('198.51.100.40', t, 'GET', '/wp-json/wc/v3/products?per_page=50&page=' + (k + 1), 200, 40_112, '-', 'InventorySync/1.3')]);
  }
  events.sort((a, b) => a[0] - b[0]);

  const malformedEvery = Math.floor(total / MALFORMED);
  const base = total - events.length;
  const fd = openSync(file, 'w');
  let buf = '';
  let bytes = 0;
  let lines = 0;
  let ev = 0;
  let malformed = 0;
  const flush = () => {
    if (buf.length) {
      bytes += writeSync(fd, buf);
      buf = '';
    }
  };
  const emit = (text) => {
    lines++;
    if (lines % malformedEvery === 0 && malformed < MALFORMED) {
      malformed++;
      text = text.slice(0, 40) + '\n'; // a line cut short, as a full disk or a crash leaves it
    }
    buf += text;
    if (buf.length > 1 << 22) flush();
  };
  for (let i = 0; i < base; i++) {
    const t = START + Math.floor((i / base) * SPAN);
    while (ev < events.length && events[ev][0] <= t) emit(events[ev++][1]);
    const r = rnd();
    if (r < 0.62) {
      const s = Math.floor(rnd() * shoppers.length);
      const asset = rnd() < 0.55;
      emit(line(shoppers[s], t, 'GET', asset ? pick(ASSETS) : pick(PAGES), rnd() < 0.97 ? 200 : 304, asset ? 4_000 + Math.floor(rnd() * 90_000) : 30_000 + Math.floor(rnd() * 20_000), 'https://shop.example.com/', shopperAgent[s]));
    } else if (r < 0.67) {
      const s = Math.floor(rnd() * shoppers.length);
      const me = rnd() < 0.2;
      emit(line(shoppers[s], t, 'GET', me ? '/wp-json/wp/v2/users/me' : `/wp-json/wp/v2/posts?per_page=${5 + Math.floor(rnd() * 10)}`, me ? 401 : 200, me ? 160 : 9_000, 'https://shop.example.com/', shopperAgent[s]));
    } else if (r < 0.72) {
      const s = Math.floor(rnd() * shoppers.length);
      emit(line(shoppers[s], t, rnd() < 0.5 ? 'GET' : 'POST', rnd() < 0.5 ? '/wp-json/wc/store/v1/cart' : '/wp-json/wc/store/v1/cart/add-item', 200, 3_400, 'https://shop.example.com/product/blue-hoodie/', shopperAgent[s]));
    } else {
      const h = localHour(t);
      const c = pick(h >= 8 && h <= 18 ? integrations : allDayIntegrations);
      const res = pick(RESOURCES);
      const id = res === 'products' || res === 'orders' || res === 'customers' ? (rnd() < 0.5 ? `/${100 + Math.floor(rnd() * 9000)}` : '') : '';
      const u = rnd();
      const status = u < 0.01 ? 401 : u < 0.02 ? 404 : 200;
      const method = id && rnd() < 0.2 ? 'PUT' : 'GET';
      const q = c.auth === 1 ? `?${oauthQuery(c, t)}` : id ? '' : '?per_page=100';
      emit(line(c.ip, t, method, `/wp-json/wc/v3/${res}${id}${q}`, status, status === 200 ? 1_000 + Math.floor(rnd() * 30_000) : 150, '-', c.agent));
    }
  }
  while (ev < events.length) emit(events[ev++][1]);
  flush();
  closeSync(fd);
  return { bytes, lines, injected: INJECTED, malformed };
}
