// The causes neither the recorded store nor the sandbox can produce (HTTPS ended at a proxy,
// security plugins, the legacy API, redirects, cookies, bearer plugins, HTML traps), from exchanges
// built by hand with the exact answers REFERENCE.md C.2-C.5 and C.10 give; the catalogue's own
// integrity; and the doctor's paths that need a fake server (unreachable, cancelled, a proxy).
import * as assert from 'node:assert/strict';
import { CAUSE_IDS, CAUSES, FIX_IDS, keysPageUrl, type CauseId, type FixContext } from '../../src/core/explain/causes';
import { duration, explainExchange, storeIndexFrom, summarize, type ExplainInput, type Finding } from '../../src/core/explain/explain';
import { diagnoseStore } from '../../src/core/explain/probes';
import type { Exchange, Hop, OutgoingRequest, SendOptions } from '../../src/core/send';
import type { AuthMethod, Store } from '../../src/core/store';

const SHOP = 'https://shop.example';
const PRODUCTS = '/wp-json/wc/v3/products';
const CANNOT_VIEW = { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } };
const BASIC: [string, string][] = [['Authorization', 'Basic ••••••••']];
const linkTo = (root: string): [string, string] => ['Link', `<${root}>; rel="https://api.w.org/"`];

interface Ex {
  method?: string;
  url: string;
  headers?: [string, string][];
  status: number;
  body?: unknown;
  contentType?: string;
  resHeaders?: [string, string][];
  redirects?: Hop[];
}

function exchange(o: Ex): Exchange {
  const text = o.body === undefined ? '' : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const contentType = o.contentType ?? (typeof o.body === 'string' ? 'text/html; charset=UTF-8' : 'application/json; charset=UTF-8');
  return {
    startedAt: new Date().toISOString(),
    request: { method: o.method ?? 'GET', url: o.url, headers: o.headers ?? [], bodyBytes: 0 },
    response: { status: o.status, statusText: '', headers: [['Content-Type', contentType], ...(o.resHeaders ?? [])], body: Buffer.from(text), bodyBytes: text.length, truncated: false, contentType },
    redirects: o.redirects ?? [],
    timings: { total: 10 },
  };
}

function explain(o: Ex, authMethod: AuthMethod, extra: Partial<ExplainInput> = {}): Finding[] {
  return explainExchange({ exchange: exchange(o), authMethod, ...extra });
}

const show = (findings: Finding[]): string => findings.map((f) => `${f.cause} (${f.confidence})`).join(', ') || '(none)';
const causes = (findings: Finding[]): CauseId[] => findings.map((f) => f.cause);

describe('explainExchange: causes built by hand from REFERENCE.md', () => {
  it('https-terminated-at-proxy: Basic over https, but the Link header says http:// (is_ssl() false)', () => {
    const findings = explain({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 401, body: CANNOT_VIEW, resHeaders: [linkTo('http://shop.example/wp-json/')] }, 'wc-basic');
    assert.equal(findings[0].cause, 'https-terminated-at-proxy', show(findings));
    assert.equal(findings[0].fixes[0].id, 'copy-proxy-https-snippet');
    const fix = findings[0].fixes[0];
    assert.ok(fix.id === 'copy-proxy-https-snippet' && /HTTP_X_FORWARDED_PROTO/.test(fix.snippet) && /wp-config\.php/.test(fix.where));
    assert.ok(findings.some((f) => f.cause === 'header-stripped'), 'still ambiguous with the other silent causes');
  });

  it('https-terminated-at-proxy: OAuth signed for https:// while the server signs http://', () => {
    const findings = explain(
      { url: `${SHOP}${PRODUCTS}?oauth_consumer_key=ck_…1234567&oauth_nonce=n&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1&oauth_signature=••••••••`, status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } }, resHeaders: [linkTo('http://shop.example/wp-json/')] },
      'wc-oauth1',
    );
    assert.deepEqual(causes(findings).slice(0, 2), ['oauth-signature-mismatch', 'https-terminated-at-proxy'], show(findings));
    const sign = findings[0].fixes.find((x) => x.id === 'sign-with-home-url');
    assert.ok(sign && sign.id === 'sign-with-home-url' && sign.url === 'http://shop.example', JSON.stringify(findings[0].fixes));
  });

  it('oauth-signature-mismatch from the /wp-json/ index alone: www differs', () => {
    const findings = explain(
      { url: 'https://example.com/wp-json/wc/v3/products?oauth_consumer_key=ck_…1234567&oauth_nonce=n&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1&oauth_signature=••••••••', status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } } },
      'wc-oauth1',
      { index: { home: 'https://www.example.com', url: 'https://www.example.com', https: true } },
    );
    assert.equal(findings[0].cause, 'oauth-signature-mismatch', show(findings));
    assert.match(findings[0].evidence.join(' '), /\(www differs\)/);
    const fixes = findings[0].fixes.map((x) => x.id);
    assert.deepEqual(fixes.slice(0, 2), ['sign-with-home-url', 'use-home-url']);
    const use = findings[0].fixes.find((x) => x.id === 'use-home-url');
    assert.ok(use && use.id === 'use-home-url' && use.url === 'https://www.example.com/wp-json/wc/v3/products', JSON.stringify(use));
  });

  it('write-only-key: "The API key provided does not have read permissions."', () => {
    const findings = explain({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'The API key provided does not have read permissions.', data: { status: 401 } } }, 'wc-basic');
    assert.equal(findings[0].cause, 'write-only-key');
    assert.equal(findings[0].confidence, 'certain');
  });

  it('keys-on-wp-route: "The provided API key cannot be used to access this endpoint." (WooCommerce 11.1+)', () => {
    const findings = explain({ url: `${SHOP}/wp-json/wp/v2/posts`, headers: BASIC, status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'The provided API key cannot be used to access this endpoint.', data: { status: 401 } } }, 'wc-basic');
    assert.equal(findings[0].cause, 'keys-on-wp-route');
    assert.equal(findings[0].fixes[0].id, 'use-app-password');
  });

  it('legacy-api: /wc-api/v3 answered 404 woocommerce_api_disabled; the fix points at /wp-json/wc/v3', () => {
    const findings = explain({ url: `${SHOP}/wc-api/v3/products?consumer_key=ck_…1234567&consumer_secret=cs_••••••••`, status: 404, body: { code: 'woocommerce_api_disabled', message: 'The WooCommerce API is disabled on this site', data: { status: 404 } } }, 'wc-query');
    assert.equal(findings[0].cause, 'legacy-api', show(findings));
    const fix = findings[0].fixes[0];
    assert.ok(fix.id === 'fix-api-path' && fix.url === `${SHOP}/wp-json/wc/v3/products`, JSON.stringify(fix));
    const old = explain({ url: `${SHOP}/wc-api/v3/products`, status: 401, body: { errors: [{ code: 'woocommerce_api_authentication_error', message: 'Consumer Secret is invalid.' }] } }, 'wc-basic');
    assert.equal(old[0].cause, 'legacy-api');
    assert.match(old[0].evidence.join(' '), /\{"errors":\[…\]\}/);
  });

  it('security-plugin: rest_cannot_access (and the like), with what to change; no "unknown key" guess behind it', () => {
    const plugin = explain({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 401, body: { code: 'rest_cannot_access', message: 'Only authenticated users can access the REST API.', data: { status: 401 } } }, 'wc-basic');
    assert.equal(plugin[0].cause, 'security-plugin', show(plugin));
    assert.equal(plugin[0].confidence, 'certain');
    assert.ok(plugin.some((f) => f.cause === 'header-stripped' && f.confidence !== 'certain'), 'credentials may also not have arrived');
    assert.ok(!plugin.some((f) => f.cause === 'unknown-consumer-key'), 'the plugin hides WooCommerce\'s reason: no key guess');
    const steps = plugin[0].fixes.find((x) => x.id === 'copy-allowlist-steps');
    assert.ok(steps && 'snippet' in steps && /Solid Security/.test(steps.snippet) && /Wordfence/.test(steps.snippet), 'plain-words steps per common plugin');
    const other = explain({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 403, body: { code: 'rest_not_authorized', message: 'Sorry, you are not authorized to access the REST API.', data: { status: 403 } } }, 'wc-basic');
    assert.equal(other[0].cause, 'security-plugin', show(other));
  });

  it('firewall: an HTML 403 or a 501 page before WordPress; with consumer_secret in the query, Basic is the fix', () => {
    const waf = explain({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 403, body: '<html><body><h1>Forbidden</h1>Mod_Security</body></html>' }, 'wc-basic');
    assert.deepEqual(causes(waf), ['firewall']);
    assert.equal(waf[0].fixes.find((x) => x.preferred)?.id, 'copy-allowlist-steps');
    const notImplemented = explain({ url: `${SHOP}${PRODUCTS}`, method: 'PATCH', headers: BASIC, status: 501, body: '<html><title>501 Method Not Implemented</title></html>' }, 'wc-basic');
    assert.equal(notImplemented[0].cause, 'firewall');
    const query = explain({ url: `${SHOP}${PRODUCTS}?consumer_key=ck_…1234567&consumer_secret=cs_••••••••`, status: 403, body: '<html><title>403 Forbidden</title></html>' }, 'wc-query');
    assert.equal(query[0].cause, 'firewall');
    assert.equal(query[0].fixes.find((x) => x.preferred)?.id, 'switch-to-basic-auth');
    assert.match(query[0].evidence.join(' '), /consumer_secret in its query string/);
  });

  it('http-to-https-port: Apache\'s and nginx\'s 400 pages, and a connection closed on http://', () => {
    const apache = explain({ url: `http://shop.example:8443${PRODUCTS}`, status: 400, body: "<html><head><title>400 Bad Request</title></head><body><p>Reason: You're speaking plain HTTP to an SSL-enabled server port.<br /></p></body></html>" }, 'wc-basic');
    assert.equal(apache[0].cause, 'http-to-https-port', show(apache));
    assert.equal(apache[0].confidence, 'certain');
    assert.equal(apache[0].fixes[0].id, 'use-https');
    const nginx = explain({ url: `http://shop.example:443${PRODUCTS}`, status: 400, body: '<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>' }, 'none');
    assert.equal(nginx[0].cause, 'http-to-https-port');
    const closed = explainExchange({ exchange: { startedAt: new Date().toISOString(), request: { method: 'GET', url: `http://shop.example:8443${PRODUCTS}`, headers: [], bodyBytes: 0 }, redirects: [], timings: { total: 2 }, error: { code: 'ECONNRESET', message: 'closed' } } });
    assert.equal(closed[0]?.cause, 'http-to-https-port');
    assert.equal(closed[0].confidence, 'likely');
    const refused = explainExchange({ exchange: { startedAt: new Date().toISOString(), request: { method: 'GET', url: `http://shop.example${PRODUCTS}`, headers: [], bodyBytes: 0 }, redirects: [], timings: { total: 2 }, error: { code: 'ECONNREFUSED', message: 'refused' } } });
    assert.deepEqual(refused, [], 'nothing listening is not a scheme matter');
  });

  it('redirect-dropped-credentials: http→https on another origin dropped the Authorization header', () => {
    const hop: Hop = { request: { method: 'GET', url: `http://shop.example${PRODUCTS}`, headers: BASIC, bodyBytes: 0 }, status: 301, location: `https://www.shop.example${PRODUCTS}`, note: 'dropped Authorization: https://www.shop.example is another origin' };
    const findings = explain({ url: `https://www.shop.example${PRODUCTS}`, status: 401, body: CANNOT_VIEW, redirects: [hop] }, 'wc-basic');
    assert.equal(findings[0].cause, 'redirect-dropped-credentials', show(findings));
    assert.equal(findings[0].confidence, 'certain');
    assert.ok(!findings.some((f) => f.cause === 'no-credentials'), 'the credentials were sent, then dropped');
    const fix = findings[0].fixes[0];
    assert.ok(fix.id === 'use-home-url' && fix.url === `https://www.shop.example${PRODUCTS}`, JSON.stringify(fix));
    assert.match(findings[0].evidence.join(' '), /dropped Authorization/);
  });

  it('redirect-on-api-path: a POST followed through a 301 became a GET and "succeeded"', () => {
    const hop: Hop = { request: { method: 'POST', url: `${SHOP}${PRODUCTS}`, headers: BASIC, bodyBytes: 10 }, status: 301, location: `${SHOP}${PRODUCTS}/`, note: 'POST became GET (301)' };
    const findings = explain({ url: `${SHOP}${PRODUCTS}/`, headers: BASIC, status: 200, body: [{ id: 1 }], redirects: [hop] }, 'wc-basic');
    assert.equal(findings[0].cause, 'redirect-on-api-path', show(findings));
    assert.equal(findings[0].confidence, 'certain');
    assert.match(findings[0].evidence.join(' '), /POST became GET/);
  });

  it('redirect-on-api-path: an unfollowed 301 to www (@no-redirect)', () => {
    const findings = explain({ url: `https://example.com${PRODUCTS}`, headers: BASIC, status: 301, body: '', resHeaders: [['Location', `https://www.example.com${PRODUCTS}`]] }, 'wc-basic');
    assert.deepEqual(causes(findings), ['redirect-on-api-path']);
    assert.match(findings[0].evidence.join(' '), /another origin/);
  });

  it('stale-cookies: 403 rest_cookie_invalid_nonce with a Cookie header', () => {
    const findings = explain({ url: `${SHOP}${PRODUCTS}`, headers: [['Cookie', 'wordpress_logged_in_abc=••••••••']], status: 403, body: { code: 'rest_cookie_invalid_nonce', message: 'Cookie check failed', data: { status: 403 } } }, 'none');
    assert.equal(findings[0].cause, 'stale-cookies');
    assert.deepEqual(findings[0].related, { kind: 'header', name: 'Cookie' });
    assert.equal(findings[0].fixes[0].id, 'clear-cookies');
  });

  it('bearer-expired: a JWT plugin says the token expired', () => {
    const findings = explain({ url: `${SHOP}${PRODUCTS}`, headers: [['Authorization', 'Bearer ••••••••']], status: 403, body: { code: 'jwt_auth_invalid_token', message: 'Expired token', data: { status: 403 } } }, 'bearer');
    assert.equal(findings[0].cause, 'bearer-expired');
    assert.equal(findings[0].confidence, 'certain');
  });

  it('html-instead-of-json: 200 HTML on /wp-json/ of a pretty-permalinks site (a caching or maintenance page)', () => {
    const findings = explain({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 200, body: '<!DOCTYPE html><html><title>Maintenance</title></html>', resHeaders: [linkTo(`${SHOP}/wp-json/`)] }, 'wc-basic');
    assert.equal(findings[0].cause, 'html-instead-of-json', show(findings));
    assert.ok(!findings.some((f) => f.cause === 'plain-permalinks'));
  });

  it('wrong-api-path: 404 rest_no_route on wc/v4; the fix rewrites to wc/v3', () => {
    const findings = explain({ url: `${SHOP}/wp-json/wc/v4/products?per_page=5`, headers: BASIC, status: 404, body: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } } }, 'wc-basic');
    assert.equal(findings[0].cause, 'wrong-api-path');
    const fix = findings[0].fixes[0];
    assert.ok(fix.id === 'fix-api-path' && fix.url === `${SHOP}/wp-json/wc/v3/products?per_page=5`, JSON.stringify(fix));
  });

  it('a clock far off is mentioned even behind a signature error (checked after the signature)', () => {
    const ex = exchange({ url: `http://127.0.0.1:8080${PRODUCTS}?oauth_consumer_key=ck_…1234567&oauth_nonce=n&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1&oauth_signature=••••••••`, status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } }, resHeaders: [linkTo('http://127.0.0.1:8080/wp-json/')] });
    ex.response!.headers.push(['Date', new Date(Date.now() - 3600_000).toUTCString()]);
    const findings = explainExchange({ exchange: ex, authMethod: 'wc-oauth1' });
    const skew = findings.find((f) => f.cause === 'oauth-timestamp-skew');
    assert.ok(skew, show(findings));
    assert.equal(skew.confidence, 'possible');
    assert.match(skew.evidence[0], /The server's clock is 1 h behind yours/);
  });

  it('nothing for transport errors, and nothing for a JSON success', () => {
    const ex = exchange({ url: `${SHOP}${PRODUCTS}`, status: 200, body: [] });
    assert.deepEqual(explainExchange({ exchange: ex, authMethod: 'wc-basic' }), []);
    assert.deepEqual(explainExchange({ exchange: { ...ex, response: undefined, error: { code: 'ECONNREFUSED', message: 'x' } }, authMethod: 'wc-basic' }), []);
  });

  it('a request with its own Authorization header is not assumed to carry the store\'s keys', () => {
    const findings = explainExchange({ exchange: exchange({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 401, body: CANNOT_VIEW }), authMethod: 'wc-basic', applied: { added: ['nothing: the request has its own Authorization header'] } });
    assert.ok(findings.some((f) => f.cause === 'wrong-app-password'), show(findings));
    assert.ok(findings.every((f) => f.confidence !== 'certain'));
  });

  it('storeIndexFrom reads home, url, HTTPS and application passwords from /wp-json/', () => {
    const idx = storeIndexFrom(exchange({ url: `${SHOP}/wp-json/`, status: 200, body: { home: 'https://www.shop.example', url: 'https://www.shop.example/wp', authentication: { 'application-passwords': { endpoints: {} } } } }));
    assert.deepEqual(idx, { home: 'https://www.shop.example', url: 'https://www.shop.example/wp', https: true, applicationPasswords: true, plainPermalinks: false });
    assert.equal(storeIndexFrom(exchange({ url: `${SHOP}/wp-json/`, status: 200, body: '<html></html>' })), undefined);
    assert.equal(storeIndexFrom(exchange({ url: `${SHOP}/?rest_route=/`, status: 200, body: { home: SHOP, authentication: [] } }))?.plainPermalinks, true);
  });
});

describe('the cause catalogue', () => {
  const ctx: FixContext = { requestUrl: `${SHOP}${PRODUCTS}`, homeUrl: SHOP, adminBaseUrl: SHOP, suggestedUrl: `${SHOP}${PRODUCTS}`, httpsAvailable: true, clockOffsetSeconds: 1200 };

  it('has every cause the issue lists, each with a title, an explanation and at least one fix', () => {
    const required: CauseId[] = ['no-credentials', 'keys-over-http', 'app-password-over-http', 'header-stripped', 'https-terminated-at-proxy', 'unknown-consumer-key', 'wrong-consumer-secret', 'read-only-key', 'write-only-key', 'user-lacks-capability', 'oauth-signature-mismatch', 'oauth-timestamp-skew', 'oauth-nonce-reused', 'oauth-unsupported-method', 'oauth-missing-parameters', 'keys-on-rest-route', 'plain-permalinks', 'wrong-api-path', 'legacy-api', 'security-plugin', 'redirect-dropped-credentials', 'stale-cookies', 'bearer-expired', 'bearer-not-supported', 'html-instead-of-json', 'redirect-on-api-path'];
    for (const id of required) assert.ok(CAUSE_IDS.includes(id), id);
    assert.equal(new Set(CAUSE_IDS).size, CAUSE_IDS.length, 'ids are unique');
    for (const id of CAUSE_IDS) {
      const c = CAUSES[id];
      assert.equal(c.id, id);
      assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case');
      assert.ok(c.title.length > 10 && c.title.length <= 70 && !/\.$/.test(c.title), `${id}: a short title`);
      assert.ok(c.explanation.length > 150, `${id}: an explanation`);
      const fixes = c.fixes(ctx);
      assert.ok(fixes.length >= 1, `${id}: fixes`);
      assert.equal(fixes.filter((x) => x.preferred).length, 1, `${id}: exactly one preferred fix`);
      assert.ok(fixes[0].preferred, `${id}: the preferred fix first`);
      for (const x of fixes) {
        assert.ok(FIX_IDS.includes(x.id), `${id}: fix ${x.id}`);
        assert.ok(x.title.length > 5, `${id}: fix ${x.id} has a title`);
      }
    }
  });

  it('url-carrying fixes are left out when there is nothing to point at', () => {
    assert.deepEqual(CAUSES['wrong-api-path'].fixes({}), []);
    assert.ok(!CAUSES['keys-on-rest-route'].fixes({}).some((x) => x.id === 'use-wp-json-path'));
  });

  it('the keys page is WooCommerce > Settings > Advanced > REST API', () => {
    assert.equal(keysPageUrl('https://shop.example/'), 'https://shop.example/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keys');
  });

  it('summarize: a certain finding is its title; ambiguous ones say so', () => {
    assert.equal(summarize([]), '');
    const certain = explain({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.', data: { status: 401 } } }, 'wc-basic');
    assert.equal(summarize(certain), 'The consumer secret does not match the key');
    const ambiguous = explain({ url: `${SHOP}${PRODUCTS}`, headers: BASIC, status: 401, body: CANNOT_VIEW }, 'app-password');
    assert.match(summarize(ambiguous), /^One of: the application password or user name was not accepted; or the server strips the Authorization header; perhaps a security plugin or firewall answered\. Diagnose the store to tell which$/);
  });

  it('duration reads like a person wrote it', () => {
    assert.equal(duration(1203), '20 min 3 s');
    assert.equal(duration(-45), '45 s');
    assert.equal(duration(3720), '1 h 2 min');
    assert.equal(duration(1200), '20 min');
  });
});

describe('the doctor with a fake server', () => {
  const store: Store = { id: 'p', name: 'proxied', baseUrl: 'https://shop.example', authMethod: 'wc-basic' };
  const secrets = { consumerKey: `ck_${'a'.repeat(40)}`, consumerSecret: `cs_${'b'.repeat(40)}` };

  function answer(req: OutgoingRequest, status: number, body: unknown, headers: [string, string][] = []): Exchange {
    const text = JSON.stringify(body);
    return {
      startedAt: new Date().toISOString(),
      request: { method: req.method, url: req.url.replace(/consumer_secret=[^&]*/, 'consumer_secret=cs_••••••••'), headers: req.headers.map(([n, v]) => [n, /^authorization$/i.test(n) ? 'Basic ••••••••' : v]), bodyBytes: 0 },
      response: { status, statusText: '', headers: [['Content-Type', 'application/json'], ['Date', new Date().toUTCString()], ...headers], body: Buffer.from(text), bodyBytes: text.length, truncated: false, contentType: 'application/json' },
      redirects: [],
      timings: { total: 3 },
    };
  }

  it('names https-terminated-at-proxy: the index says http://, Basic and query are ignored, OAuth for the http:// Home URL works', async () => {
    const sent: OutgoingRequest[] = [];
    const fake = async (req: OutgoingRequest, o: SendOptions): Promise<Exchange> => {
      sent.push(req);
      assert.deepEqual(o.secrets?.slice().sort(), [secrets.consumerKey, secrets.consumerSecret].sort(), 'send masks the secrets');
      const url = new URL(req.url);
      if (url.pathname === '/wp-json/') return answer(req, 200, { home: 'http://shop.example', url: 'http://shop.example', authentication: [] });
      if (url.searchParams.has('oauth_signature')) {
        // The fake cannot check signatures: the first OAuth probe is signed for https://, the one for the Home URL works.
        const forHome = sent.filter((r) => r.url.includes('oauth_signature')).length > 1;
        return forHome ? answer(req, 200, []) : answer(req, 401, { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } });
      }
      return answer(req, 401, CANNOT_VIEW, [linkTo('http://shop.example/wp-json/')]);
    };
    const report = await diagnoseStore(store, secrets, { send: fake });
    assert.equal(report.cause, 'https-terminated-at-proxy', report.probes.map((p) => `${p.name} ${p.outcome} ${p.status ?? ''}`).join('; '));
    assert.equal(report.findings[0].confidence, 'certain');
    assert.equal(report.findings[0].fixes[0].id, 'copy-proxy-https-snippet');
    // No query-string probe for a Basic store: the secret would land in the server's log.
    assert.deepEqual(report.probes.map((p) => p.name), ['index', 'store-method', 'oauth', 'oauth-home-url', 'forwarded-proto', 'write-check', 'clock']);
    assert.ok(!sent.some((r) => r.url.includes('consumer_secret')), 'no secret in a URL');
    assert.ok(sent.every((r) => r.method === 'GET' || (r.method === 'POST' && r.url.includes('/products/batch') && r.body === '{"create":[],"update":[],"delete":[]}')), 'only safe requests');
    const text = JSON.stringify(report);
    assert.ok(!text.includes(secrets.consumerSecret) && !text.includes(secrets.consumerKey), 'no secret in the report');
    assert.equal(report.healthy, false);
  });

  it('an unreachable store: one probe with the transport error, no cause, not healthy', async () => {
    const fake = async (req: OutgoingRequest): Promise<Exchange> => ({ startedAt: new Date().toISOString(), request: { method: req.method, url: req.url, headers: [], bodyBytes: 0 }, redirects: [], timings: { total: 1 }, error: { code: 'ECONNREFUSED', message: 'Nothing is listening at shop.example.' } });
    const report = await diagnoseStore(store, secrets, { send: fake });
    assert.deepEqual(report.probes.map((p) => `${p.name}:${p.outcome}`), ['index:error']);
    assert.equal(report.cause, undefined);
    assert.equal(report.healthy, false);
    assert.match(report.summary, /cannot be reached: Nothing is listening/);
  });

  it('cancelling stops between probes and says so', async () => {
    const controller = new AbortController();
    let calls = 0;
    const fake = async (req: OutgoingRequest): Promise<Exchange> => {
      calls++;
      const index = new URL(req.url).pathname === '/wp-json/';
      return answer(req, index ? 200 : 401, index ? { home: 'https://shop.example' } : CANNOT_VIEW);
    };
    const report = await diagnoseStore(store, secrets, { send: fake, signal: controller.signal, onProbe: (p) => { if (p.name === 'index') controller.abort(); } });
    assert.equal(calls, 1);
    assert.equal(report.cancelled, true);
    assert.equal(report.cause, undefined);
    assert.match(report.summary, /cancelled/);
  });

  it('a key declared read-only is healthy when writes are refused', async () => {
    const fake = async (req: OutgoingRequest): Promise<Exchange> => {
      if (new URL(req.url).pathname === '/wp-json/') return answer(req, 200, { home: 'https://shop.example', authentication: {} });
      if (req.method === 'POST') return answer(req, 401, { code: 'woocommerce_rest_authentication_error', message: 'The API key provided does not have write permissions.', data: { status: 401 } });
      return answer(req, 200, [{ id: 1 }]);
    };
    const declared = await diagnoseStore({ ...store, key: { permissions: 'read' } }, secrets, { send: fake });
    assert.equal(declared.healthy, true, declared.summary);
    assert.match(declared.summary, /read-only as declared/);
    const undeclared = await diagnoseStore(store, secrets, { send: fake });
    assert.equal(undeclared.healthy, true, 'a read key is a fact when the store does not say it must write');
    assert.equal(undeclared.readOnlyKey, true);
    const mustWrite = await diagnoseStore({ ...store, key: { permissions: 'read_write' } }, secrets, { send: fake });
    assert.equal(mustWrite.cause, 'read-only-key');
    assert.equal(mustWrite.healthy, false);
  });
});

describe('explainExchange: the store the request was meant for', () => {
  it('a key sent to another host than the store\'s is flagged as the likely unknown key', () => {
    const store: Store = { id: 's', name: 'production', baseUrl: 'https://shop.example', authMethod: 'wc-query' };
    const findings = explainExchange({
      exchange: exchange({ url: `https://staging.shop.example${PRODUCTS}?consumer_key=ck_…1234567&consumer_secret=cs_••••••••`, status: 401, body: CANNOT_VIEW }),
      store,
      authMethod: 'wc-query',
    });
    assert.equal(findings[0].cause, 'unknown-consumer-key');
    assert.match(findings[0].evidence.join(' '), /went to staging\.shop\.example, but the store "production" is shop\.example/);
  });
});

describe('fixes that fit the request', () => {
  const ids = (cause: CauseId, ctx: FixContext) => CAUSES[cause].fixes(ctx).map((x) => x.id);

  it('never offers what the store already does, or what cannot work on this request', () => {
    // A store already on OAuth 1.0a is not told to switch to it.
    assert.ok(!ids('keys-over-http', { authMethod: 'wc-oauth1' }).includes('switch-to-oauth1'));
    assert.ok(ids('keys-over-http', { authMethod: 'wc-basic' }).includes('switch-to-oauth1'));
    // Signing for the Home URL concerns OAuth only.
    assert.ok(!ids('redirect-dropped-credentials', { authMethod: 'wc-basic', homeUrl: 'https://www.shop.example', suggestedUrl: 'https://www.shop.example/wp-json/' }).includes('sign-with-home-url'));
    assert.ok(ids('redirect-dropped-credentials', { authMethod: 'wc-oauth1', homeUrl: 'https://www.shop.example', suggestedUrl: 'https://www.shop.example/wp-json/' }).includes('sign-with-home-url'));
    // WordPress ignores application passwords over plain HTTP.
    assert.ok(!ids('keys-on-rest-route', { requestUrl: 'http://shop.example/?rest_route=/wc/v3/products' }).includes('use-app-password'));
    assert.ok(ids('keys-on-rest-route', { requestUrl: 'https://shop.example/?rest_route=/wc/v3/products' }).includes('use-app-password'));
    // An application password's user is changed on the users page, not the keys page.
    assert.equal(CAUSES['user-lacks-capability'].fixes({ authMethod: 'app-password', adminBaseUrl: 'https://shop.example' })[0].id, 'open-users-page');
    assert.equal(CAUSES['user-lacks-capability'].fixes({ authMethod: 'wc-basic', adminBaseUrl: 'https://shop.example' })[0].id, 'open-keys-page');
    // No credentials on purpose (# @no-auth): nothing to repair.
    assert.deepEqual(ids('no-credentials', { noCredentialsOnPurpose: true }), []);
    assert.equal(ids('no-credentials', {})[0], 're-enter-keys');
  });

  it('# @no-auth: the explanation says so and offers no repair', () => {
    const store: Store = { id: 's', name: 'shop', baseUrl: 'https://shop.example', authMethod: 'wc-basic' };
    const findings = explainExchange({ exchange: exchange({ url: `https://shop.example${PRODUCTS}`, status: 401, body: CANNOT_VIEW }), store, authMethod: 'none' });
    assert.equal(findings[0].cause, 'no-credentials');
    assert.deepEqual(findings[0].fixes, []);
    assert.match(findings[0].evidence.join(' '), /none were applied to this request/);
  });
});
