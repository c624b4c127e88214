// explainExchange and the auth doctor against real exchanges with the sandbox store, in each of
// its misconfigured modes (stripped header, plain permalinks, wrong Home URL, clock offset) and
// with each credential mistake (read-only key, customer role, wrong secret, unknown key, Basic over
// plain HTTP, no credentials). For every mode:
//   1. a request is sent the way the editor sends it (runRequest: parse, store auth, send) and
//      explainExchange must name the cause (or, where one answer fits several, the set, with the
//      doctor offered);
//   2. where the preferred fix can be applied without a person (switch the auth method, sign for
//      the Home URL, re-sign with the server's clock, re-enter the right keys), applying it and
//      sending again must give 200;
//   3. diagnoseStore must name the cause, with no secret anywhere in its report.
// The mode → cause table the doctor produced is printed at the end.
import * as assert from 'node:assert/strict';
import { applyStoreAuth } from '../../src/core/auth/apply';
import type { CauseId, Fix } from '../../src/core/explain/causes';
import { explainExchange, type Finding } from '../../src/core/explain/explain';
import { diagnoseStore, type DoctorReport, type ProbeResult } from '../../src/core/explain/probes';
import { parseHttpDocument, requestAt } from '../../src/core/http';
import { runRequest, type RunResult } from '../../src/core/run-request';
import { closeConnections, send, type Exchange } from '../../src/core/send';
import type { Store, StoreSecrets } from '../../src/core/store';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox';
import { credentials, fixtureSeed } from './helpers/sandbox-http';

const seed = fixtureSeed();
const { readKey, rwKey, admin, customer, adminAppPassword, customerAppPassword } = credentials(seed);
const PRODUCTS = '/wp-json/wc/v3/products';
const UNKNOWN_KEY = `ck_${'0123456789abcdef'.repeat(3).slice(0, 40)}`;
const WRONG_SECRET = `cs_${'fedcba9876543210'.repeat(3).slice(0, 40)}`;
const ALL_SECRETS = [readKey.consumer_key, readKey.consumer_secret, rwKey.consumer_key, rwKey.consumer_secret, adminAppPassword, customerAppPassword, UNKNOWN_KEY, WRONG_SECRET];

type Kind = 'normal' | 'strip' | 'plain' | 'home' | 'clock';
const SANDBOX_OPTIONS: Record<Kind, SandboxOptions> = {
  normal: {},
  strip: { stripAuthorization: true },
  plain: { plainPermalinks: true },
  home: { homeUrl: 'http://www.localhost' },
  clock: { clockOffsetSeconds: 1200 },
};

interface Mode {
  name: string;
  sandbox: Kind;
  scheme: 'http' | 'https';
  store: Omit<Store, 'id' | 'name' | 'baseUrl'>;
  secrets: StoreSecrets;
  method?: string;
  path?: string;
  body?: string;
  /** explainExchange: the top cause, or the set when the answer is ambiguous. */
  explains: CauseId | CauseId[];
  /** The doctor's cause. */
  doctor: CauseId | undefined;
  /** How to apply the preferred fix without a person (returns the exchange of the re-send). */
  repair?: (ctx: RepairContext) => Promise<Exchange | undefined>;
}

interface RepairContext {
  sb: RunningSandbox;
  store: Store;
  secrets: StoreSecrets;
  fix: Fix;
  mode: Mode;
}

const keys = (k: { consumer_key: string; consumer_secret: string }): StoreSecrets => ({ consumerKey: k.consumer_key, consumerSecret: k.consumer_secret });

const MODES: Mode[] = [
  {
    name: 'stripped Authorization header (Basic, HTTPS)',
    sandbox: 'strip', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: keys(rwKey),
    explains: ['header-stripped', 'unknown-consumer-key'], doctor: 'header-stripped',
    repair: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'switch-to-query-auth' ? (await sendAs(sb, { ...store, authMethod: 'wc-query' }, secrets, mode)).exchange : undefined),
  },
  {
    name: 'plain permalinks (Basic, HTTPS)',
    sandbox: 'plain', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: keys(rwKey),
    explains: 'plain-permalinks', doctor: 'plain-permalinks',
  },
  {
    name: 'wrong Home URL (OAuth signed for 127.0.0.1, home www.localhost)',
    sandbox: 'home', scheme: 'http', store: { authMethod: 'wc-oauth1' }, secrets: keys(rwKey),
    explains: 'oauth-signature-mismatch', doctor: 'oauth-signature-mismatch',
    repair: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'sign-with-home-url' ? (await sendAs(sb, { ...store, options: { ...store.options, homeUrl: fix.url } }, secrets, mode)).exchange : undefined),
  },
  {
    name: 'server clock 20 min ahead (OAuth)',
    sandbox: 'clock', scheme: 'http', store: { authMethod: 'wc-oauth1' }, secrets: keys(rwKey),
    explains: 'oauth-timestamp-skew', doctor: 'oauth-timestamp-skew',
    repair: async ({ store, secrets, fix, sb }) => {
      if (fix.id !== 'resync-and-resend' || fix.clockOffsetSeconds === undefined) return undefined;
      const applied = applyStoreAuth({ method: 'GET', url: `${sb.httpUrl}${PRODUCTS}`, headers: [] }, store, secrets, { timestamp: Math.floor(Date.now() / 1000) + fix.clockOffsetSeconds });
      return send(applied.request, { secrets: applied.secrets });
    },
  },
  {
    name: 'read-only key, POST',
    sandbox: 'normal', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: keys(readKey),
    method: 'POST', body: '{"name":"Explain test"}',
    explains: 'read-only-key', doctor: 'read-only-key',
  },
  {
    name: 'customer-role application password',
    sandbox: 'normal', scheme: 'https', store: { authMethod: 'app-password', username: customer.login }, secrets: { applicationPassword: customerAppPassword },
    explains: 'user-lacks-capability', doctor: 'user-lacks-capability',
  },
  {
    name: 'wrong consumer secret (Basic, HTTPS)',
    sandbox: 'normal', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: { consumerKey: rwKey.consumer_key, consumerSecret: WRONG_SECRET },
    explains: 'wrong-consumer-secret', doctor: 'wrong-consumer-secret',
    repair: async ({ store, fix, mode, sb }) => (fix.id === 're-enter-keys' ? (await sendAs(sb, store, keys(rwKey), mode)).exchange : undefined),
  },
  {
    name: 'wrong consumer secret (OAuth, HTTP)',
    sandbox: 'normal', scheme: 'http', store: { authMethod: 'wc-oauth1' }, secrets: { consumerKey: rwKey.consumer_key, consumerSecret: WRONG_SECRET },
    explains: 'wrong-consumer-secret', doctor: 'wrong-consumer-secret',
  },
  {
    name: 'unknown consumer key (Basic, HTTPS)',
    sandbox: 'normal', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: { consumerKey: UNKNOWN_KEY, consumerSecret: rwKey.consumer_secret },
    explains: ['header-stripped', 'unknown-consumer-key'], doctor: 'unknown-consumer-key',
  },
  {
    name: 'Basic over plain HTTP (loopback)',
    sandbox: 'normal', scheme: 'http', store: { authMethod: 'wc-basic' }, secrets: keys(rwKey),
    explains: 'keys-over-http', doctor: 'keys-over-http',
    repair: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'switch-to-oauth1' ? (await sendAs(sb, { ...store, authMethod: 'wc-oauth1' }, secrets, mode)).exchange : undefined),
  },
  {
    name: 'no credentials',
    sandbox: 'normal', scheme: 'https', store: { authMethod: 'none' }, secrets: {},
    explains: 'no-credentials', doctor: 'no-credentials',
  },
  {
    name: 'healthy store (read_write key, Basic, HTTPS)',
    sandbox: 'normal', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: keys(rwKey),
    explains: [], doctor: undefined,
  },
];

function storeFor(sb: RunningSandbox, mode: Mode): Store {
  const https = mode.scheme === 'https';
  return {
    id: 'sb',
    name: 'sb',
    baseUrl: https ? sb.httpsUrl : sb.httpUrl,
    ...mode.store,
    options: { ...(https ? { caCertificateFile: '/ca.pem' } : {}), ...mode.store.options },
  };
}

/** Sends the mode's request from a .http document, as the editor does. */
async function sendAs(sb: RunningSandbox, store: Store, secrets: StoreSecrets, mode: Mode): Promise<RunResult> {
  const method = mode.method ?? 'GET';
  const body = mode.body ? `Content-Type: application/json\n\n${mode.body}\n` : '';
  const text = `@store = ${store.name}\n\n${method} {{$store.url}}${mode.path ?? PRODUCTS}\n${body}`;
  const doc = parseHttpDocument(text);
  const request = requestAt(doc, 2);
  assert.ok(request, 'the request block');
  const r = await runRequest({
    doc,
    request,
    stores: [store],
    secretsFor: async () => secrets,
    variables: {},
    readBodyFile: async () => { throw new Error('no files'); },
    readCaFile: async () => sb.certificatePem,
  });
  assert.equal(r.notSent, undefined, `sent: ${r.notSent}`);
  assert.ok(r.exchange?.response, `an answer: ${r.exchange?.error?.message}`);
  return r;
}

function explainRun(r: RunResult, store: Store): Finding[] {
  return explainExchange({ exchange: r.exchange!, store, authMethod: r.applied && r.applied.added.length ? store.authMethod : 'none', applied: r.applied });
}

const show = (findings: Finding[]): string => findings.map((f) => `${f.cause} (${f.confidence})`).join(', ') || '(none)';
const probeLine = (p: ProbeResult): string => `${p.name}: ${p.outcome}${p.status ? ` ${p.status}` : ''}${p.code ? ` ${p.code}` : ''}`;

describe('explain + doctor against the sandbox store, mode by mode', function () {
  this.timeout(60_000);
  const sandboxes = new Map<Kind, RunningSandbox>();
  const table: string[] = [];

  before(async () => {
    for (const kind of new Set(MODES.map((m) => m.sandbox))) sandboxes.set(kind, await startSandbox({ seed, ...SANDBOX_OPTIONS[kind] }));
  });
  after(async () => {
    await closeConnections();
    await Promise.all([...sandboxes.values()].map((s) => s.stop()));
    if (table.length) {
      console.log('\n      doctor: sandbox mode → cause named');
      for (const line of table) console.log(`        ${line}`);
    }
  });

  for (const mode of MODES) {
    describe(mode.name, () => {
      let findings: Finding[] = [];
      let run: RunResult;

      it(`explainExchange → ${Array.isArray(mode.explains) ? (mode.explains.length ? mode.explains.join(' | ') + ' (ambiguous: doctor offered)' : 'nothing (200)') : mode.explains}`, async () => {
        const sb = sandboxes.get(mode.sandbox)!;
        const store = storeFor(sb, mode);
        run = await sendAs(sb, store, mode.secrets, mode);
        findings = explainRun(run, store);
        const status = run.exchange!.response!.status;
        if (Array.isArray(mode.explains) && mode.explains.length === 0) {
          assert.ok(status >= 200 && status < 300, `status ${status}`);
          assert.deepEqual(findings, []);
          return;
        }
        assert.ok(findings.length > 0, `findings for ${status}`);
        if (Array.isArray(mode.explains)) {
          for (const cause of mode.explains) assert.ok(findings.some((f) => f.cause === cause), `${cause} among ${show(findings)}`);
          assert.notEqual(findings[0].confidence, 'certain', show(findings));
          assert.ok(findings[0].fixes.some((x) => x.id === 'run-doctor'), 'the doctor is offered');
        } else {
          assert.equal(findings[0].cause, mode.explains, show(findings));
        }
        for (const f of findings) assert.ok(!ALL_SECRETS.some((s) => JSON.stringify(f).includes(s)), `no secret in ${f.cause}`);
      });

      if (mode.repair) {
        it('the preferred fix, applied, makes the request succeed', async () => {
          const sb = sandboxes.get(mode.sandbox)!;
          const store = storeFor(sb, mode);
          assert.ok(findings.length, 'explained first');
          const fix = findings[0].fixes.find((x) => x.preferred);
          assert.ok(fix, 'a preferred fix');
          const exchange = await mode.repair!({ sb, store, secrets: mode.secrets, fix, mode });
          assert.ok(exchange, `the preferred fix (${fix.id}) is one this test can apply`);
          assert.equal(exchange.response?.status, 200, `after ${fix.id}: ${Buffer.from(exchange.response?.body ?? []).toString().slice(0, 200)}`);
        });
      }

      it(`the doctor names ${mode.doctor ?? 'no cause (healthy)'}`, async () => {
        const sb = sandboxes.get(mode.sandbox)!;
        const store = storeFor(sb, mode);
        const seen: ProbeResult[] = [];
        const report: DoctorReport = await diagnoseStore(store, mode.secrets, { send, tls: { ca: sb.certificatePem, verify: true }, onProbe: (p) => seen.push(p) });
        const probes = report.probes.map(probeLine).join('; ');
        table.push(`${mode.name.padEnd(64)} → ${report.cause ?? 'healthy'}${report.findings[0] ? ` (${report.findings[0].confidence})` : ''}`);
        assert.equal(report.cause, mode.doctor, `cause; probes: ${probes}; findings: ${show(report.findings)}`);
        assert.equal(report.healthy, mode.doctor === undefined, `healthy; ${report.summary}`);
        if (mode.doctor) {
          assert.equal(report.findings[0].cause, mode.doctor);
          assert.ok(report.findings[0].evidence.some((e) => /^Probe "/.test(e)), 'evidence cites a probe');
          assert.ok(!report.findings.some((f) => f.fixes.some((x) => x.id === 'run-doctor')), 'the doctor does not offer itself');
        }
        assert.ok(report.probes.length >= 3, probes);
        assert.equal(report.probes[0].name, 'index');
        assert.deepEqual(seen.map((p) => p.name), report.probes.map((p) => p.name), 'every probe was reported as it finished');
        const text = JSON.stringify(report);
        for (const s of ALL_SECRETS) assert.ok(!text.includes(s), `secret …${s.slice(-4)} leaked into the report`);
        assert.ok(!text.includes(Buffer.from(`${admin.login}:${adminAppPassword}`).toString('base64')));
        // Only safe requests: GETs and the empty batch.
        for (const p of report.probes) if (p.request) assert.match(p.request, /^(GET |POST \S+\/products\/batch)/, p.request);
      });
    });
  }
});
