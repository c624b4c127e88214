// explainExchange over the 68 responses a real WooCommerce 8.2.2 store gave
// (test/fixtures/observed-wc-8.2.2.json). Each case's request is rebuilt from its
// request_summary as the client would have recorded it (secrets masked: `Authorization: Basic
// ••••••••`, `consumer_key=ck_…`, `oauth_signature=••••••••`), paired with the recorded response,
// and explained. One `it` per case: the 401/403/301/HTML cases must name the right cause (or the
// right set, where one answer fits several causes, with the doctor offered); the successes must
// explain nothing.
import * as assert from 'node:assert/strict';
import type { CauseId } from '../../src/core/explain/causes';
import { explainExchange, summarize, type Finding, type StoreIndex } from '../../src/core/explain/explain';
import type { Exchange, Hop } from '../../src/core/send';
import type { AuthMethod } from '../../src/core/store';
import { observedCases, type RecordedCase } from './helpers/observed';

const cases = observedCases();

const HTTP = 'http://127.0.0.1:8080';
const HTTPS = 'https://127.0.0.1:8443';
const HTTPS_STRIP = 'https://127.0.0.1:8444';
const HTTP_STRIP = 'http://127.0.0.1:8081';
const PRODUCTS = '/wp-json/wc/v3/products';
const SENT_AT = Date.parse('2026-11-27T10:00:00Z');
const TS = Math.floor(SENT_AT / 1000);
const BASIC: [string, string][] = [['Authorization', 'Basic ••••••••']];
const MASKED_KEY = 'ck_…0000000';

const keysQuery = (k = MASKED_KEY): string => `consumer_key=${k}&consumer_secret=cs_••••••••`;
const oauthQuery = (o: { method?: string; ts?: number; nonce?: string; only?: boolean } = {}): string =>
  o.only
    ? `oauth_consumer_key=${MASKED_KEY}`
    : `oauth_consumer_key=${MASKED_KEY}&oauth_nonce=${o.nonce ?? 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'}&oauth_signature_method=${o.method ?? 'HMAC-SHA1'}&oauth_timestamp=${o.ts ?? TS}&oauth_signature=••••••••`;
const oauthHeader: [string, string][] = [['Authorization', `OAuth oauth_consumer_key="${MASKED_KEY}", oauth_nonce="abc123abc123abc123abc123abc123ab", oauth_signature="••••••••", oauth_signature_method="HMAC-SHA1", oauth_timestamp="${TS}"`]];

interface Spec {
  method?: string;
  url: string;
  headers?: [string, string][];
  body?: string;
  authMethod: AuthMethod;
  oauthBaseString?: string;
  now?: Date;
  index?: StoreIndex;
  redirects?: Hop[];
  /** The first finding's cause. */
  top?: CauseId;
  /** Causes that must all be among the findings (ambiguous answers). */
  set?: CauseId[];
  /** Causes that must not be among them. */
  not?: CauseId[];
  confidence?: Finding['confidence'];
  /** The doctor must be offered. */
  doctor?: boolean;
  /** The fix marked preferred on the first finding. */
  preferred?: string;
  /** Nothing to explain. */
  none?: boolean;
}

const ambiguousBasic = { set: ['header-stripped', 'unknown-consumer-key', 'security-plugin'] as CauseId[], doctor: true };
const ambiguousAppPassword = { set: ['wrong-app-password', 'header-stripped'] as CauseId[], doctor: true };

const SPECS: Record<string, Spec> = {
  'no credentials, HTTP': { url: `${HTTP}${PRODUCTS}`, authMethod: 'none', top: 'no-credentials', confidence: 'certain' },
  'no credentials, HTTPS': { url: `${HTTPS}${PRODUCTS}`, authMethod: 'none', top: 'no-credentials', confidence: 'certain' },
  'no credentials, single product': { url: `${HTTPS}${PRODUCTS}/10`, authMethod: 'none', top: 'no-credentials', confidence: 'certain' },
  'no credentials, namespace index': { url: `${HTTPS}/wp-json/wc/v3`, authMethod: 'none', none: true },
  'valid read key, Basic over HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', none: true },
  'valid read key, query string over HTTPS': { url: `${HTTPS}${PRODUCTS}?${keysQuery()}`, authMethod: 'wc-query', none: true },
  'wrong consumer key, Basic over HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', ...ambiguousBasic },
  'wrong consumer key, query string over HTTPS': { url: `${HTTPS}${PRODUCTS}?${keysQuery()}`, authMethod: 'wc-query', top: 'unknown-consumer-key', not: ['header-stripped', 'keys-over-http'], doctor: true },
  'wrong consumer key, OAuth1 HMAC-SHA1 over HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', top: 'unknown-consumer-key', confidence: 'certain', preferred: 're-enter-keys' },
  'malformed consumer key (not ck_), Basic over HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', ...ambiguousBasic },
  'right key wrong secret, Basic over HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', top: 'wrong-consumer-secret', confidence: 'certain', preferred: 're-enter-keys' },
  'right key wrong secret, query string over HTTPS': { url: `${HTTPS}${PRODUCTS}?${keysQuery()}`, authMethod: 'wc-query', top: 'wrong-consumer-secret', confidence: 'certain' },
  'right key wrong secret, OAuth1 over HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', top: 'wrong-consumer-secret', set: ['wrong-consumer-secret', 'oauth-signature-mismatch'], doctor: true },
  'read-only key POST, Basic over HTTPS': { method: 'POST', url: `${HTTPS}${PRODUCTS}`, headers: [...BASIC, ['Content-Type', 'application/json']], body: '{"name":"x"}', authMethod: 'wc-basic', top: 'read-only-key', confidence: 'certain', preferred: 'open-keys-page' },
  'read-only key DELETE, Basic over HTTPS': { method: 'DELETE', url: `${HTTPS}${PRODUCTS}/10?force=true`, headers: BASIC, authMethod: 'wc-basic', top: 'read-only-key', confidence: 'certain' },
  'read-only key POST, OAuth1 over HTTP': { method: 'POST', url: `${HTTP}${PRODUCTS}?${oauthQuery()}`, headers: [['Content-Type', 'application/json']], body: '{"name":"x"}', authMethod: 'wc-oauth1', top: 'read-only-key', confidence: 'certain' },
  'read_write key POST, Basic over HTTPS': { method: 'POST', url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', none: true },
  'read_write key DELETE created product, Basic over HTTPS': { method: 'DELETE', url: `${HTTPS}${PRODUCTS}/15?force=true`, headers: BASIC, authMethod: 'wc-basic', none: true },
  'read_write key, invalid body (missing/invalid type), Basic HTTPS': { method: 'POST', url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', none: true },
  'valid key, Basic over plain HTTP': { url: `${HTTP}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', top: 'keys-over-http', confidence: 'certain', preferred: 'switch-to-oauth1' },
  'valid key, query string over plain HTTP': { url: `${HTTP}${PRODUCTS}?${keysQuery()}`, authMethod: 'wc-query', top: 'keys-over-http', confidence: 'certain' },
  'Bearer token (unsupported scheme), HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: [['Authorization', 'Bearer ••••••••']], authMethod: 'bearer', top: 'bearer-not-supported', set: ['bearer-expired'] },
  'OAuth1 HMAC-SHA1 correct, query params, HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', none: true },
  'OAuth1 HMAC-SHA256 correct, query params, HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery({ method: 'HMAC-SHA256' })}`, authMethod: 'wc-oauth1', none: true },
  'OAuth1 HMAC-SHA1 correct, with other query params, HTTP': { url: `${HTTP}${PRODUCTS}?orderby=title&per_page=5&${oauthQuery()}`, authMethod: 'wc-oauth1', none: true },
  'OAuth1 HMAC-SHA1 correct, Authorization: OAuth header, HTTP': { url: `${HTTP}${PRODUCTS}`, headers: oauthHeader, authMethod: 'wc-oauth1', none: true },
  'OAuth1 HMAC-SHA1 correct, over HTTPS': { url: `${HTTPS}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', none: true },
  'OAuth1 read_write key POST, HTTP': { method: 'POST', url: `${HTTP}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', none: true },
  'OAuth1 wrong signature, HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', set: ['wrong-consumer-secret', 'oauth-signature-mismatch'], doctor: true },
  'OAuth1 signed for a different URL (https base string), HTTP': {
    url: `${HTTP}${PRODUCTS}?${oauthQuery()}`,
    authMethod: 'wc-oauth1',
    oauthBaseString: `GET&${encodeURIComponent(`https://127.0.0.1:8080${PRODUCTS}`)}&oauth_consumer_key%3Dck_x`,
    top: 'oauth-signature-mismatch',
    confidence: 'likely',
    preferred: 'sign-with-home-url',
  },
  'OAuth1 timestamp 20 min in the past, HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery({ ts: TS - 1200 })}`, authMethod: 'wc-oauth1', top: 'oauth-timestamp-skew', confidence: 'certain', preferred: 'resync-and-resend' },
  'OAuth1 timestamp 20 min in the future, HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery({ ts: TS + 1200 })}`, authMethod: 'wc-oauth1', top: 'oauth-timestamp-skew', confidence: 'certain' },
  'OAuth1 nonce first use, HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', none: true },
  'OAuth1 reused nonce (identical replay), HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', top: 'oauth-nonce-reused', confidence: 'certain', preferred: 'resync-and-resend' },
  'OAuth1 unknown signature method PLAINTEXT, HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery({ method: 'PLAINTEXT' })}`, authMethod: 'wc-oauth1', top: 'oauth-unsupported-method', confidence: 'certain', preferred: 'switch-signature-method' },
  'OAuth1 unknown signature method HMAC-SHA512, HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery({ method: 'HMAC-SHA512' })}`, authMethod: 'wc-oauth1', top: 'oauth-unsupported-method', confidence: 'certain' },
  'OAuth1 missing params (only oauth_consumer_key), HTTP': { url: `${HTTP}${PRODUCTS}?${oauthQuery({ only: true })}`, authMethod: 'none', top: 'oauth-missing-parameters', confidence: 'certain' },
  'rest_route: no credentials, HTTP': { url: `${HTTP}/?rest_route=/wc/v3/products`, authMethod: 'none', top: 'no-credentials', confidence: 'certain' },
  'rest_route: valid key Basic over HTTPS': { url: `${HTTPS}/?rest_route=/wc/v3/products`, headers: BASIC, authMethod: 'wc-basic', top: 'keys-on-rest-route', preferred: 'use-wp-json-path' },
  'rest_route: valid key query string over HTTPS': { url: `${HTTPS}/?rest_route=/wc/v3/products&${keysQuery()}`, authMethod: 'wc-query', top: 'keys-on-rest-route', preferred: 'use-wp-json-path' },
  'rest_route: OAuth1 HMAC-SHA1 correct, HTTP': { url: `${HTTP}/?rest_route=/wc/v3/products&${oauthQuery()}`, authMethod: 'wc-oauth1', top: 'keys-on-rest-route' },
  'rest_route: application password admin over HTTPS': { url: `${HTTPS}/?rest_route=/wc/v3/products`, headers: BASIC, authMethod: 'app-password', none: true },
  'app password admin, HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', none: true },
  'app password admin (spaces, as WP displays it), HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', none: true },
  'app password customer (role customer), HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', top: 'user-lacks-capability', confidence: 'certain', preferred: 'open-users-page' },
  'app password customer POST, HTTPS': { method: 'POST', url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', top: 'user-lacks-capability', confidence: 'certain' },
  'app password admin wrong password, HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', ...ambiguousAppPassword },
  'admin login password (not app password), HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', ...ambiguousAppPassword },
  'app password unknown user, HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', ...ambiguousAppPassword },
  'app password admin over plain HTTP': { url: `${HTTP}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', top: 'app-password-over-http', confidence: 'certain', preferred: 'use-https' },
  'app password admin, WP core route /wp/v2/users/me, HTTPS': { url: `${HTTPS}/wp-json/wp/v2/users/me`, headers: BASIC, authMethod: 'app-password', none: true },
  'stripped: valid key Basic, HTTPS': { url: `${HTTPS_STRIP}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', ...ambiguousBasic },
  'stripped: app password admin, HTTPS': { url: `${HTTPS_STRIP}${PRODUCTS}`, headers: BASIC, authMethod: 'app-password', ...ambiguousAppPassword },
  'stripped: valid key query string, HTTPS': { url: `${HTTPS_STRIP}${PRODUCTS}?${keysQuery()}`, authMethod: 'wc-query', none: true },
  'stripped: OAuth1 in Authorization header, HTTP': { url: `${HTTP_STRIP}${PRODUCTS}`, headers: oauthHeader, authMethod: 'wc-oauth1', top: 'header-stripped' },
  'stripped: OAuth1 in query string, HTTP': { url: `${HTTP_STRIP}${PRODUCTS}?${oauthQuery()}`, authMethod: 'wc-oauth1', none: true },
  'app password admin wrong password, WP core route /wp/v2/users/me, HTTPS': { url: `${HTTPS}/wp-json/wp/v2/users/me`, headers: BASIC, authMethod: 'app-password', top: 'wrong-app-password', confidence: 'certain' },
  'consumer key as Basic user, WP core route /wp/v2/users/me, HTTPS': { url: `${HTTPS}/wp-json/wp/v2/users/me`, headers: BASIC, authMethod: 'wc-basic', top: 'keys-on-wp-route', confidence: 'certain', preferred: 'use-app-password' },
  'plain permalinks: /wp-json/wc/v3/products, valid key Basic, HTTPS': { url: `${HTTPS}${PRODUCTS}`, headers: BASIC, authMethod: 'wc-basic', top: 'plain-permalinks', preferred: 'open-permalink-settings' },
  'plain permalinks: follow the 301 (/wp-json/wc/v3/products/), valid key Basic, HTTPS': { url: `${HTTPS}${PRODUCTS}/`, headers: BASIC, authMethod: 'wc-basic', top: 'plain-permalinks', confidence: 'certain' },
  'plain permalinks: ?rest_route=, no credentials, HTTPS': { url: `${HTTPS}/?rest_route=/wc/v3/products`, authMethod: 'none', top: 'no-credentials' },
  'plain permalinks: ?rest_route=, valid key Basic, HTTPS': { url: `${HTTPS}/?rest_route=/wc/v3/products`, headers: BASIC, authMethod: 'wc-basic', top: 'keys-on-rest-route', confidence: 'certain', set: ['plain-permalinks'], not: [], preferred: 'open-permalink-settings' },
  'plain permalinks: ?rest_route=, valid key query string, HTTPS': { url: `${HTTPS}/?rest_route=/wc/v3/products&${keysQuery()}`, authMethod: 'wc-query', top: 'keys-on-rest-route', confidence: 'certain' },
  'plain permalinks: ?rest_route=, OAuth1 HMAC-SHA1, HTTP': { url: `${HTTP}/?rest_route=/wc/v3/products&${oauthQuery()}`, authMethod: 'wc-oauth1', top: 'keys-on-rest-route', confidence: 'certain' },
  'plain permalinks: /index.php?rest_route=, valid key Basic, HTTPS': { url: `${HTTPS}/index.php?rest_route=/wc/v3/products`, headers: BASIC, authMethod: 'wc-basic', top: 'keys-on-rest-route', confidence: 'certain' },
  'plain permalinks: ?rest_route=, app password admin, HTTPS': { url: `${HTTPS}/?rest_route=/wc/v3/products`, headers: BASIC, authMethod: 'app-password', none: true },
  'plain permalinks: discovery GET / (Link header)': { url: `${HTTPS}/`, authMethod: 'none', none: true },
  'pretty permalinks: discovery GET / (Link header)': { url: `${HTTPS}/`, authMethod: 'none', none: true },
};

function responseOf(c: RecordedCase): Exchange['response'] {
  const body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  const headers = Object.entries(c.headers) as [string, string][];
  return {
    status: c.status,
    statusText: '',
    headers,
    body: Buffer.from(body, 'utf8'),
    bodyBytes: Buffer.byteLength(body),
    truncated: false,
    contentType: c.headers['content-type'],
  };
}

function exchangeOf(c: RecordedCase, s: Spec): Exchange {
  return {
    startedAt: new Date(SENT_AT).toISOString(),
    request: { method: s.method ?? 'GET', url: s.url, headers: s.headers ?? [], body: s.body, bodyBytes: s.body ? Buffer.byteLength(s.body) : 0 },
    response: responseOf(c),
    redirects: s.redirects ?? [],
    timings: { total: 40 },
  };
}

function explain(c: RecordedCase, s: Spec): Finding[] {
  return explainExchange({ exchange: exchangeOf(c, s), authMethod: s.authMethod, applied: { added: [], oauthBaseString: s.oauthBaseString }, index: s.index, now: s.now });
}

const show = (findings: Finding[]): string => findings.map((f) => `${f.cause} (${f.confidence})`).join(', ') || '(none)';

describe('explainExchange: the 68 responses of a real WooCommerce 8.2.2 store', () => {
  it('has a request spec for every recorded case (the table is complete)', () => {
    assert.equal(cases.length, 68);
    assert.deepEqual(cases.map((c) => c.case).filter((name) => !SPECS[name]), []);
  });

  for (const c of cases) {
    const s = SPECS[c.case];
    if (!s) continue;
    const label = s.none ? `${c.status} → nothing to explain` : `${c.status} → ${s.top ?? s.set!.join(' | ')}`;
    it(`${c.case}: ${label}`, () => {
      const findings = explain(c, s);
      if (s.none) {
        assert.deepEqual(findings, [], `a success (or a plain client error) explains nothing: ${show(findings)}`);
        return;
      }
      assert.ok(findings.length > 0, 'at least one finding');
      if (s.top) assert.equal(findings[0].cause, s.top, `top finding; got ${show(findings)}`);
      if (s.confidence) assert.equal(findings[0].confidence, s.confidence, `confidence; got ${show(findings)}`);
      for (const cause of s.set ?? []) assert.ok(findings.some((f) => f.cause === cause), `${cause} among ${show(findings)}`);
      for (const cause of s.not ?? []) assert.ok(!findings.some((f) => f.cause === cause), `${cause} not among ${show(findings)}`);
      if (s.set && !s.top) {
        assert.ok(findings.every((f) => f.confidence !== 'certain'), `ambiguous: nothing certain (${show(findings)})`);
      }
      const doctorOffered = findings.some((f) => f.fixes.some((x) => x.id === 'run-doctor'));
      if (s.doctor) assert.ok(doctorOffered, 'the doctor is offered');
      if (findings[0].confidence === 'certain') assert.ok(!findings[0].fixes.some((x) => x.id === 'run-doctor'), 'no doctor when certain');
      if (s.preferred) assert.equal(findings[0].fixes.find((x) => x.preferred)?.id, s.preferred, `preferred fix; got ${JSON.stringify(findings[0].fixes)}`);
      for (const f of findings) {
        assert.ok(f.evidence.length > 0 && f.evidence.every((e) => e.length > 10), `${f.cause} has evidence`);
        assert.ok(f.fixes.filter((x) => x.preferred).length <= 1, 'at most one preferred fix');
      }
      assert.notEqual(summarize(findings), '');
    });
  }

  describe('evidence uses what the client knows', () => {
    const byName = (name: string): RecordedCase => cases.find((c) => c.case === name)!;

    it('Basic over plain HTTP names the URL and the rule', () => {
      const [top] = explain(byName('valid key, Basic over plain HTTP'), SPECS['valid key, Basic over plain HTTP']);
      assert.match(top.evidence.join(' '), /over plain HTTP/);
      assert.match(top.evidence.join(' '), /http:\/\/127\.0\.0\.1:8080\/wp-json\/wc\/v3\/products/);
      assert.deepEqual(top.related, { kind: 'header', name: 'Authorization' });
      assert.equal(explain(byName('valid key, query string over plain HTTP'), SPECS['valid key, query string over plain HTTP'])[0].related?.name, 'consumer_key');
    });

    it('a stale timestamp is measured against the clock of the exchange ("20 min")', () => {
      const [top] = explain(byName('OAuth1 timestamp 20 min in the past, HTTP'), SPECS['OAuth1 timestamp 20 min in the past, HTTP']);
      assert.match(top.evidence.join(' '), /20 min behind this machine's clock/);
      assert.deepEqual(top.related, { kind: 'query-param', name: 'oauth_timestamp' });
    });

    it('with a Date header the skew is the server clock vs the oauth_timestamp', () => {
      const c = byName('OAuth1 timestamp 20 min in the past, HTTP');
      const s = { ...SPECS[c.case], url: `${HTTP}${PRODUCTS}?${oauthQuery({ ts: TS })}` };
      const ex = exchangeOf(c, s);
      ex.response!.headers.push(['date', new Date((TS + 1203) * 1000).toUTCString()]);
      const [top] = explainExchange({ exchange: ex, authMethod: 'wc-oauth1' });
      assert.equal(top.cause, 'oauth-timestamp-skew');
      assert.match(top.evidence.join(' '), /20 min 3 s behind the server's clock/);
      assert.match(top.evidence.join(' '), /The server's clock is 20 min 3 s ahead of yours/);
      const fix = top.fixes.find((x) => x.id === 'resync-and-resend');
      assert.ok(fix && 'clockOffsetSeconds' in fix && fix.clockOffsetSeconds === 1203, JSON.stringify(fix));
    });

    it('plain permalinks: the 301 and the HTML page together are certain, with the Link header as evidence', () => {
      const redirect = byName('plain permalinks: /wp-json/wc/v3/products, valid key Basic, HTTPS');
      const page = byName('plain permalinks: follow the 301 (/wp-json/wc/v3/products/), valid key Basic, HTTPS');
      const ex = exchangeOf(page, SPECS[page.case]);
      ex.redirects = [{ request: { method: 'GET', url: `${HTTPS}${PRODUCTS}`, headers: BASIC, bodyBytes: 0 }, status: redirect.status, location: redirect.headers.location }];
      const findings = explainExchange({ exchange: ex, authMethod: 'wc-basic' });
      assert.equal(findings.length, 1, show(findings));
      assert.equal(findings[0].cause, 'plain-permalinks');
      assert.equal(findings[0].confidence, 'certain');
      assert.match(findings[0].evidence.join(' '), /index\.php\?rest_route=\//);
      assert.match(findings[0].evidence.join(' '), /trailing slash/);
      const fix = findings[0].fixes[0];
      assert.equal(fix.id, 'open-permalink-settings');
      assert.ok('url' in fix && fix.url === 'https://127.0.0.1:8443/wp-admin/options-permalink.php', JSON.stringify(fix));
    });

    it('the rest_route fix rewrites to /wp-json/ without the credentials in the query', () => {
      const [top] = explain(byName('rest_route: valid key query string over HTTPS'), SPECS['rest_route: valid key query string over HTTPS']);
      const fix = top.fixes.find((x) => x.id === 'use-wp-json-path');
      assert.ok(fix && 'url' in fix, JSON.stringify(top.fixes));
      assert.equal(fix.url, `${HTTPS}/wp-json/wc/v3/products`);
    });

    it('read-only key: the keys page URL is HOME/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keys', () => {
      const [top] = explain(byName('read-only key POST, Basic over HTTPS'), SPECS['read-only key POST, Basic over HTTPS']);
      const fix = top.fixes.find((x) => x.id === 'open-keys-page');
      assert.ok(fix && 'url' in fix);
      assert.equal(fix.url, 'https://127.0.0.1:8443/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keys');
    });

    it('the ambiguous Basic 401 says so in its summary', () => {
      const findings = explain(byName('stripped: valid key Basic, HTTPS'), SPECS['stripped: valid key Basic, HTTPS']);
      const line = summarize(findings);
      assert.match(line, /^One of: the server strips the Authorization header; or the store does not know this consumer key/);
      assert.match(line, /Diagnose the store/);
      // OAuth 1.0a in the query string gets past a stripped header without putting the secret in a URL.
      assert.equal(findings[0].fixes.find((x) => x.preferred)?.id, 'switch-to-oauth1');
      assert.ok(findings[0].fixes.some((x) => x.id === 'switch-to-query-auth' && /logs/.test(x.title)), 'the query string still offered, saying the secret is then logged');
      assert.ok(findings[0].fixes.some((x) => x.id === 'copy-htaccess-snippet' && /HTTP_AUTHORIZATION/.test(x.snippet)));
    });
  });
});
