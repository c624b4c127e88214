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
//   3. diagnoseStore must name the cause, with no secret anywhere in its report, and, for a store
//      that sends its key by Basic auth or OAuth 1.0a, without a consumer secret in any URL: the
//      sandbox's own request log (the request lines a server's access log keeps) is read for it;
//   4. where the doctor's fix differs from the single exchange's (a proxy, a security plugin, a
//      firewall), applying the doctor's preferred (or named) fix must give 200.
// The modes include what stands in front of WordPress: HTTPS ended at a proxy (with an
// X-Forwarded-Proto WordPress ignores, and with none), a security plugin, a firewall rule against
// consumer_secret in query strings, and plain HTTP sent to the HTTPS port.
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

type Kind = 'normal' | 'strip' | 'plain' | 'home' | 'clock' | 'proxy' | 'proxyNoHeader' | 'plugin' | 'pluginStrip' | 'firewall';
const SANDBOX_OPTIONS: Record<Kind, SandboxOptions> = {
  normal: {},
  strip: { stripAuthorization: true },
  plain: { plainPermalinks: true },
  home: { homeUrl: 'http://www.localhost' },
  clock: { clockOffsetSeconds: 1200 },
  proxy: { httpsProxy: true },
  proxyNoHeader: { httpsProxyNoForwardedProto: true },
  plugin: { securityPlugin: true },
  pluginStrip: { securityPlugin: true, stripAuthorization: true },
  firewall: { firewallQuerySecret: true },
};

interface Mode {
  name: string;
  sandbox: Kind;
  /** 'http-on-https-port': an http:// URL with the HTTPS port's host and port. */
  scheme: 'http' | 'https' | 'http-on-https-port';
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
  /** The doctor's fix to apply (its preferred one unless named), and how. */
  doctorFix?: { id?: Fix['id']; preferred?: Fix['id']; apply: (ctx: RepairContext) => Promise<Exchange | undefined> };
  /** Causes the doctor must not add (what a probe did not show). */
  doctorNever?: CauseId[];
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
    // OAuth 1.0a parameters in the query get past the stripped header without a secret in the URL.
    repair: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'switch-to-oauth1' ? (await sendAs(sb, { ...store, authMethod: 'wc-oauth1' }, secrets, mode)).exchange : undefined),
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
    name: 'read-only key, POST, the store says it must write',
    sandbox: 'normal', scheme: 'https', store: { authMethod: 'wc-basic', key: { permissions: 'read_write' } }, secrets: keys(readKey),
    method: 'POST', body: '{"name":"Explain test"}',
    explains: 'read-only-key', doctor: 'read-only-key',
  },
  {
    name: 'read-only key, the store does not say it must write (a fact, healthy)',
    sandbox: 'normal', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: keys(readKey),
    method: 'POST', body: '{"name":"Explain test"}',
    explains: 'read-only-key', doctor: undefined,
  },
  {
    name: 'HTTPS ended at a proxy whose X-Forwarded-Proto WordPress ignores (Basic)',
    sandbox: 'proxy', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: keys(rwKey),
    explains: ['https-terminated-at-proxy', 'header-stripped'], doctor: 'https-terminated-at-proxy',
    // wp-config.php is the fix (the proxy sends the header); until then OAuth signed for the http:// Home URL works.
    doctorFix: {
      preferred: 'copy-proxy-https-snippet', id: 'sign-with-home-url',
      apply: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'sign-with-home-url' ? (await sendAs(sb, { ...store, authMethod: 'wc-oauth1', options: { ...store.options, homeUrl: fix.url } }, secrets, mode)).exchange : undefined),
    },
  },
  {
    name: 'HTTPS ended at a proxy that sends no X-Forwarded-Proto (Basic)',
    sandbox: 'proxyNoHeader', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: keys(rwKey),
    explains: ['https-terminated-at-proxy', 'header-stripped'], doctor: 'https-terminated-at-proxy',
    // The proxy-side fix leads: once the proxy sends the header, the store's own request works.
    doctorFix: {
      preferred: 'copy-proxy-forwarded-proto-snippet',
      apply: async ({ store, secrets, sb }) => {
        const applied = applyStoreAuth({ method: 'GET', url: `${sb.httpsUrl}${PRODUCTS}`, headers: [['X-Forwarded-Proto', 'https']] }, store, secrets);
        return send(applied.request, { secrets: applied.secrets, tls: { ca: sb.certificatePem } });
      },
    },
  },
  {
    name: 'security plugin hides a wrong consumer secret (Basic)',
    sandbox: 'plugin', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: { consumerKey: rwKey.consumer_key, consumerSecret: WRONG_SECRET },
    explains: 'security-plugin', doctor: 'security-plugin', doctorNever: ['unknown-consumer-key'],
    doctorFix: {
      preferred: 'copy-allowlist-steps', id: 're-enter-keys',
      apply: async ({ store, fix, mode, sb }) => (fix.id === 're-enter-keys' ? (await sendAs(sb, store, keys(rwKey), mode)).exchange : undefined),
    },
  },
  {
    name: 'security plugin in front of a stripped header (Basic): OAuth 1.0a passes',
    sandbox: 'pluginStrip', scheme: 'https', store: { authMethod: 'wc-basic' }, secrets: keys(rwKey),
    explains: 'security-plugin', doctor: 'security-plugin', doctorNever: ['unknown-consumer-key'],
    doctorFix: {
      preferred: 'switch-to-oauth1',
      apply: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'switch-to-oauth1' ? (await sendAs(sb, { ...store, authMethod: 'wc-oauth1' }, secrets, mode)).exchange : undefined),
    },
  },
  {
    name: 'firewall refuses consumer_secret in the query string (query store): Basic passes',
    sandbox: 'firewall', scheme: 'https', store: { authMethod: 'wc-query' }, secrets: keys(rwKey),
    explains: 'firewall', doctor: 'firewall',
    repair: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'switch-to-basic-auth' ? (await sendAs(sb, { ...store, authMethod: 'wc-basic' }, secrets, mode)).exchange : undefined),
    doctorFix: {
      preferred: 'switch-to-basic-auth',
      apply: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'switch-to-basic-auth' ? (await sendAs(sb, { ...store, authMethod: 'wc-basic' }, secrets, mode)).exchange : undefined),
    },
  },
  {
    name: 'plain HTTP sent to the HTTPS port',
    sandbox: 'normal', scheme: 'http-on-https-port', store: { authMethod: 'wc-basic' }, secrets: keys(rwKey),
    explains: 'http-to-https-port', doctor: 'http-to-https-port',
    repair: async ({ store, secrets, fix, mode, sb }) => (fix.id === 'use-https' ? (await sendAs(sb, { ...store, baseUrl: sb.httpsUrl, options: { caCertificateFile: '/ca.pem' } }, secrets, mode)).exchange : undefined),
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
    baseUrl: https ? sb.httpsUrl : mode.scheme === 'http-on-https-port' ? sb.httpsUrl.replace(/^https:/, 'http:') : sb.httpUrl,
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

      let report: DoctorReport;
      it(`the doctor names ${mode.doctor ?? 'no cause (healthy)'}`, async () => {
        const sb = sandboxes.get(mode.sandbox)!;
        const store = storeFor(sb, mode);
        const seen: ProbeResult[] = [];
        const logged = sb.requestLog().length;
        report = await diagnoseStore(store, mode.secrets, { send, tls: { ca: sb.certificatePem, verify: true }, onProbe: (p) => seen.push(p) });
        // What the server's access log got from the doctor: no consumer secret in any URL of a
        // store that sends its key by Basic auth or OAuth 1.0a (the query string is only for a
        // store whose method it is, or after the user agreed).
        if (store.authMethod !== 'wc-query') {
          const lines = sb.requestLog().slice(logged);
          assert.ok(lines.length >= 2, lines.join('\n'));
          const secret = mode.secrets.consumerSecret;
          if (secret) for (const line of lines) assert.ok(!line.includes(secret) && !/consumer_secret/i.test(line), `a secret in the server's log: ${line.replace(secret, 'cs_…')}`);
        }
        const probes = report.probes.map(probeLine).join('; ');
        table.push(`${mode.name.padEnd(64)} → ${report.cause ?? 'healthy'}${report.findings[0] ? ` (${report.findings[0].confidence})` : ''}`);
        assert.equal(report.cause, mode.doctor, `cause; probes: ${probes}; findings: ${show(report.findings)}`);
        assert.equal(report.healthy, mode.doctor === undefined, `healthy; ${report.summary}`);
        if (mode.doctor) {
          assert.equal(report.findings[0].cause, mode.doctor);
          assert.ok(report.findings[0].evidence.some((e) => /^Probe "/.test(e)), 'evidence cites a probe');
          assert.ok(!report.findings.some((f) => f.fixes.some((x) => x.id === 'run-doctor')), 'the doctor does not offer itself');
        }
        for (const never of mode.doctorNever ?? []) assert.ok(!report.findings.some((f) => f.cause === never), `${never} was not shown by a probe: ${show(report.findings)}`);
        assert.ok(report.probes.length >= 2, probes);
        assert.equal(report.probes[0].name, 'index');
        assert.deepEqual(seen.map((p) => p.name), report.probes.map((p) => p.name), 'every probe was reported as it finished');
        const text = JSON.stringify(report);
        for (const s of ALL_SECRETS) assert.ok(!text.includes(s), `secret …${s.slice(-4)} leaked into the report`);
        assert.ok(!text.includes(Buffer.from(`${admin.login}:${adminAppPassword}`).toString('base64')));
        // Only safe requests: GETs and the empty batch.
        for (const p of report.probes) if (p.request) assert.match(p.request, /^(GET |POST \S+\/products\/batch)/, p.request);
      });

      if (mode.doctorFix) {
        it(`the doctor's fix${mode.doctorFix.id ? ` "${mode.doctorFix.id}"` : ''} works (its preferred: ${mode.doctorFix.preferred})`, async () => {
          const sb = sandboxes.get(mode.sandbox)!;
          const store = storeFor(sb, mode);
          assert.ok(report?.findings.length, 'diagnosed first');
          const fixes = report.findings[0].fixes;
          assert.equal(fixes.find((x) => x.preferred)?.id, mode.doctorFix!.preferred, fixes.map((x) => x.id).join(', '));
          const fix = mode.doctorFix!.id ? fixes.find((x) => x.id === mode.doctorFix!.id) : fixes.find((x) => x.preferred);
          assert.ok(fix, `${mode.doctorFix!.id} among ${fixes.map((x) => x.id).join(', ')}`);
          const exchange = await mode.doctorFix!.apply({ sb, store, secrets: mode.secrets, fix, mode });
          assert.ok(exchange, `the fix ${fix.id} is one this test can apply`);
          assert.equal(exchange.response?.status, 200, `after ${fix.id}: ${exchange.error?.message ?? Buffer.from(exchange.response?.body ?? []).toString().slice(0, 200)}`);
        });
      }
    });
  }
});
