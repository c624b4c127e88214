// Copy as cURL must never run code: 10,000 generated requests (seeded), each copied command run by a
// real POSIX shell (sh, and bash when there is one) in which `curl` is a shell function that prints
// the arguments it was given, NUL-separated. Each argument must come back byte for byte, the command
// with the credential placeholders set must be the very request that was copied, and a marker file
// that any injected `$(touch …)`, backtick or `; touch …` would create must not exist.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyStoreAuth, type AppliedAuth, type PlainRequest } from '../../src/core/auth/apply';
import { withBasicShorthands } from '../../src/core/auth/basic';
import { curlArguments, toCurl, type CurlSource } from '../../src/core/runner-request';
import type { AuthMethod, Store, StoreSecrets } from '../../src/core/store';
import { mulberry32 } from './helpers/prng';

const CASES = 10_000;
const POOL = 20;

interface Case { command: string; sent: CurlSource; expected: string[]; assignments: string; hidden: string[] }

function cases(marker: string): { all: Case[]; poolEnv: Record<string, string> } {
  const rnd = mulberry32(0x12c0ffee);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const alnum = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[int(62)]).join('');
  // What a hostile request carries: every character a shell gives a meaning to, and ways to run code.
  const hostile = [
    `$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; '`, `"; touch ${marker}; "`, `\\'$(touch ${marker})\\'`,
    `'$(touch ${marker})'`, `"$(touch ${marker})"`, `$((1+1))`, '${IFS}', '$HOME', '$1', '$@', '$$', '\\', '\\\\', "'", "''", '"', '`',
    '!', '!!', '!$', '*', '?', '~', '#', '&', '&&', '|', ';', '<', '>', '>>', '(', ')', '{a,b}', '[1-2]', '%', '%zz', '%24(x)',
    '\n', '\r\n', '\t', ' ', '  ', '\\n', "$'x'", '\u001b[2J', '\u001b]52;c;aGk=\u0007', '\u007f', '\u0001', '\u009b', 'é', '日本', '😀',
    '\u00a0', '\u2028', '\ufeff', '-', '--', '-o', '@/etc/passwd', '=', ':', '',
  ];
  const noSpace = hostile.filter((h) => !/[\s\u00a0\u2028\ufeff\u0085]/u.test(h) && h !== '');
  const noColon = noSpace.filter((h) => !h.includes(':'));
  const text = (max: number, pieces = hostile) => {
    let s = '';
    for (let n = int(max + 1); n > 0; n--) s += rnd() < 0.5 ? pick(pieces) : alnum(1 + int(4));
    return s;
  };
  const keys = Array.from({ length: POOL }, () => `ck_${hex(40)}`);
  const consumerSecrets = Array.from({ length: POOL }, () => `cs_${hex(40)}`);
  const appPasswords = Array.from({ length: POOL }, () => Array.from({ length: 6 }, () => alnum(4)).join(' '));
  const tokens = Array.from({ length: POOL }, () => `eyJ${alnum(20)}.${alnum(30)}.${alnum(20)}`);
  // A typed password: anything without whitespace (REST Client's `Basic user:pass`), tagged so it is unique.
  const typed = Array.from({ length: POOL }, (_, i) => `${text(4, noSpace)}pw${i}x${hex(6)}${text(2, noSpace)}`);
  const poolEnv: Record<string, string> = {};
  for (let i = 0; i < POOL; i++) Object.assign(poolEnv, { [`K${i}`]: keys[i], [`C${i}`]: consumerSecrets[i], [`A${i}`]: appPasswords[i], [`T${i}`]: tokens[i], [`P${i}`]: typed[i] });

  const methods: AuthMethod[] = ['wc-basic', 'wc-query', 'wc-oauth1', 'app-password', 'bearer', 'none'];
  const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
  const all: Case[] = [];
  for (let n = 0; n < CASES; n++) {
    const [k, c, a, t, p, x] = [int(POOL), int(POOL), int(POOL), int(POOL), int(POOL), int(POOL)];
    const env = { WOO_CONSUMER_KEY: keys[k], WOO_CONSUMER_SECRET: consumerSecrets[c], WOO_APP_PASSWORD: appPasswords[a], WOO_TOKEN: tokens[t], WOO_PASSWORD: typed[p], WOO_X_API_KEY: typed[x] };
    const assignments = `WOO_CONSUMER_KEY=$K${k}; WOO_CONSUMER_SECRET=$C${c}; WOO_APP_PASSWORD=$A${a}; WOO_TOKEN=$T${t}; WOO_PASSWORD=$P${p}; WOO_X_API_KEY=$P${x}`;
    const authMethod = pick(methods);
    const user = text(3, noColon) || 'admin';
    const store: Store = { id: 'shop', name: 'shop', baseUrl: 'https://shop.example', authMethod, username: user };
    const secrets: StoreSecrets = { consumerKey: keys[k], consumerSecret: consumerSecrets[c], applicationPassword: appPasswords[a], bearerToken: tokens[t] };
    // Half the URLs as a URL parser leaves them, half raw (toCurl takes any text).
    const rawPath = `/wp-json/wc/v3/${text(3)}`;
    const query = rnd() < 0.6 ? `?${text(2)}=${text(3)}&search=${text(3)}` : '';
    const url = rnd() < 0.5 ? new URL(`https://shop.example${rawPath}${query}`).href : `https://shop.example${rawPath}${query}`;
    const headers: [string, string][] = [];
    for (let h = int(4); h > 0; h--) headers.push([rnd() < 0.8 ? `X-${alnum(1 + int(8))}` : text(2, noColon) || 'X', text(5)]);
    // A credential typed in a header of its own: it becomes $WOO_X_API_KEY.
    if (rnd() < 0.1) headers.push(['X-Api-Key', typed[x]]);
    const typedSecrets: string[] = [];
    if (rnd() < 0.2) headers.push(...withBasicShorthands([['Authorization', `Basic ${user}:${typed[p]}`]], typedSecrets));
    const method = rnd() < 0.95 ? pick(httpMethods) : text(2) || 'GET';
    let body: string | undefined = rnd() < 0.5 ? undefined : text(12);
    if (body !== undefined && rnd() < 0.2) body += pick([keys[k], consumerSecrets[c], tokens[t], encodeURIComponent(consumerSecrets[c])]);
    const plain: PlainRequest = { method, url, headers, body };
    let applied: AppliedAuth;
    try {
      applied = applyStoreAuth(plain, store, secrets, { timestamp: 1700000000, nonce: `n${n}` });
    } catch {
      applied = { request: plain, secrets: [], added: [] };
    }
    if (typedSecrets.length) applied = { ...applied, secrets: [...applied.secrets, ...typedSecrets] };
    const r = applied.request;
    const sent: CurlSource = { method: r.method, url: r.url, headers: r.headers, body: typeof r.body === 'string' ? r.body : undefined };
    const options = { includeSecrets: rnd() < 0.1, store, typedSecrets };
    const command = toCurl(sent, applied, options);
    const expected = curlArguments(sent, applied, options).map((parts) => parts.map((part) => {
      if (typeof part === 'string') return part;
      if (!(part.env in env)) throw new Error(`case ${n}: unexpected placeholder $${part.env} in ${command}`);
      return env[part.env as keyof typeof env];
    }).join(''));
    all.push({ command, sent, expected, assignments, hidden: options.includeSecrets ? [] : applied.secrets.filter((s) => s.length >= 4) });
  }
  return { all, poolEnv };
}

/** What curl would send given these arguments (the options toCurl uses), to compare with the request copied. */
function asCurlWouldSend(argv: string[]): CurlSource {
  const out: CurlSource = { method: '', url: '', headers: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-g') continue;
    if (a === '-X') out.method = argv[++i];
    else if (a === '--url') out.url = argv[++i];
    else if (a === '-u') out.headers.push(['Authorization', `Basic ${Buffer.from(argv[++i], 'utf8').toString('base64')}`]);
    else if (a === '-H') {
      const h = argv[++i];
      const colon = h.indexOf(': ');
      out.headers.push([h.slice(0, colon), h.slice(colon + 2)]);
    } else if (a === '--data-raw') out.body = argv[++i];
    else if (!out.url) out.url = a;
    else throw new Error(`unexpected argument ${JSON.stringify(a)}`);
  }
  return out;
}

const sorted = (hs: readonly [string, string][]) => hs.map(([n, v]) => `${n}: ${v}`).sort();

function shells(): string[] {
  return ['sh', 'bash'].filter((s) => spawnSync(s, ['-c', 'exit 0']).status === 0);
}

describe('Copy as cURL runs curl and nothing else (10,000 generated requests through a real shell)', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-curl-shell-'));
  const marker = path.join(dir, 'pwned');
  const { all, poolEnv } = cases(marker);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const shell of shells()) {
    it(`${shell}: every argument arrives byte for byte, the placeholders expand to the request copied, nothing is executed`, () => {
      // `curl` is a function that prints its argument count and arguments; CASE separates the commands.
      const script = [`curl() { printf '%s\\0' "$#" "$@"; }`];
      for (const c of all) script.push(`printf 'CASE\\0'; ${c.assignments}`, c.command);
      const file = path.join(dir, `script-${shell}.sh`);
      fs.writeFileSync(file, script.join('\n') + '\n');
      const started = Date.now();
      const run = spawnSync(shell, [file], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...poolEnv }, maxBuffer: 1 << 30 });
      const ms = Date.now() - started;
      assert.strictEqual(run.status, 0, `${shell} failed: ${run.stderr}`);
      assert.strictEqual(run.stderr.length, 0, `${shell} complained: ${run.stderr}`);
      const tokens = run.stdout.toString('utf8').split('\0');
      let at = 0;
      for (const [n, c] of all.entries()) {
        assert.strictEqual(tokens[at++], 'CASE', `case ${n} is not where it should be: ${c.command}`);
        const argc = Number(tokens[at++]);
        const argv = tokens.slice(at, at + argc);
        at += argc;
        assert.deepStrictEqual(argv, c.expected, `case ${n}: ${c.command}`);
        const got = asCurlWouldSend(argv);
        const want = c.sent;
        assert.deepStrictEqual([got.method, got.url, sorted(got.headers), got.body], [want.method, want.url, sorted(want.headers), want.body === '' ? undefined : want.body], `case ${n}: ${c.command}`);
      }
      assert.strictEqual(at, tokens.length - 1, 'nothing printed after the last command');
      assert.ok(!fs.existsSync(marker), `an injected command ran: ${marker} exists`);
      // The count and time, for the record.
      console.log(`      ${all.length} commands through ${shell} in ${ms} ms`);
    });
  }

  it('hides the secrets unless asked', () => {
    let hidden = 0;
    for (const c of all) {
      if (c.hidden.length) hidden++;
      for (const s of c.hidden) assert.ok(!c.command.includes(s), `${s} in ${c.command}`);
    }
    assert.ok(hidden > CASES / 3, `only ${hidden} commands had secrets to hide`);
  });
});
