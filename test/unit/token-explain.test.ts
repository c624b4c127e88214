// The explainer against the sandbox in each token-plugin mode: every recorded failure case of the
// three plugins is sent again (the same builders as the sandbox replay, through the product's own
// send(), so the explainer sees the masked exchange the product keeps), and the top finding must be
// the cause written below. What the explainer is given besides the exchange is what the client
// would know: the plugin, the token it sent (no value: where it went, its claims), the expiry the
// token endpoint gave, the OAuth flow (PKCE, a code already exchanged, the refresh cookie's device),
// and, when one answer still fits several causes, the probe of the plugin's own validate /
// introspection endpoint with that token.
import * as assert from 'node:assert/strict';
import { redactText } from '../../src/core/redact';
import type { CauseId } from '../../src/core/explain/causes';
import { sentTokenOf, type OAuthFlowFacts, type TokenEvidence } from '../../src/core/explain/token-evidence';
import { explainWithTokenProbe, probeToken } from '../../src/core/explain/token-probe';
import { closeConnections, send, type Exchange, type OutgoingRequest } from '../../src/core/send';
import type { Store, TokenPlugin } from '../../src/core/store';
import type { RunningSandbox } from '../../src/sandbox';
import type { Reply } from './helpers/sandbox-http';
import { callParts, startTokenSandboxes, tokenCaseRequests, type Caller, type Sandboxes } from './helpers/token-cases';
import { recordedTokenCases, tokenSeed } from './helpers/token-fixtures';

const seed = tokenSeed();
const SECRETS = [
  ...seed.users.flatMap((u) => [u.password!, ...(u.application_passwords ?? [])]),
  ...seed.oauth_clients!.map((c) => c.client_secret),
  seed.keys[0]!.consumer_key, seed.keys[0]!.consumer_secret,
];

/** The cause the explainer must name first, for every recorded failure of a token plugin. */
const EXPECTED: Record<string, CauseId> = {
  'tm.token.wrong_password': 'token-login-failed',
  'tm.token.unknown_user': 'token-login-failed',
  'tm.token.missing_fields': 'token-login-failed',
  'tm.token.wrong_password over http (production site, app passwords in use)': 'token-login-failed',
  'tm.token.wrong_password (site where application passwords were never used)': 'token-login-failed',
  'tm.token.missing_fields (site where application passwords were never used)': 'token-login-failed',
  'tm.token.GET (wrong method)': 'wrong-api-path',
  'tm.wc.valid_token_customer': 'user-lacks-capability',
  'tm.wc.no_header': 'no-credentials',
  'tm.wc.malformed_token (2 segments)': 'token-invalid',
  'tm.wc.malformed_token (3 garbage segments)': 'token-invalid',
  'tm.wc.token_signed_with_other_secret': 'token-invalid',
  'tm.wc.bearer_without_token': 'token-invalid',
  'tm.wc.lowercase_bearer_scheme': 'bearer-lowercase',
  'tm.wc.header_stripped_by_server (vhost unsets Authorization)': 'header-stripped',
  'tm.wc.token_in_query_string (?token=)': 'token-not-in-header',
  'tm.validate.no_header': 'no-credentials',
  'tm.validate.header_stripped_by_server': 'header-stripped',
  'tm.validate.malformed_token': 'token-invalid',
  'tm.validate.other_secret': 'token-invalid',
  'tm.validate.lowercase_bearer_scheme': 'bearer-lowercase',
  'tm.validate.basic_scheme': 'wrong-app-password',
  'tm.validate.token_without_user_id (signed with the site secret)': 'token-invalid',
  'tm.wp.public_route_with_bad_token (wp/v2/posts)': 'token-invalid',
  'tm.wc.expired_token': 'token-expired',
  'tm.validate.expired_token': 'token-expired',
  'tm.wp.public_route_with_expired_token (wp/v2/posts)': 'token-expired',

  'ut.token.wrong_password': 'token-login-failed',
  'ut.token.unknown_user': 'token-login-failed',
  'ut.token.no_credentials_no_cookie': 'token-login-failed',
  'ut.wc.no_header': 'no-credentials',
  'ut.wc.malformed_token': 'token-invalid',
  'ut.wc.token_signed_with_other_secret': 'token-invalid',
  'ut.wc.lowercase_bearer_scheme': 'bearer-lowercase',
  'ut.wc.header_stripped_by_server': 'header-stripped',
  'ut.validate.no_header': 'no-credentials',
  'ut.validate.header_stripped_by_server': 'header-stripped',
  'ut.validate.malformed_token': 'token-invalid',
  'ut.validate.lowercase_bearer_scheme': 'bearer-lowercase',
  'ut.validate.bearer_without_token': 'token-invalid',
  'ut.validate.other_secret': 'token-invalid',
  'ut.validate.user_does_not_exist (signed with the site secret)': 'token-invalid',
  'ut.validate.pass_claim_mismatch (signed with the site secret)': 'token-obsolete',
  'ut.refresh.no_cookie': 'refresh-token-missing',
  'ut.refresh.refresh_token_in_body_not_cookie': 'refresh-token-missing',
  'ut.refresh.reuse_rotated_cookie (/token/refresh)': 'refresh-token-revoked',
  'ut.token.with_rotated_(old)_refresh_cookie': 'refresh-token-revoked',
  'ut.token.malformed_refresh_cookie': 'refresh-token-mismatch',
  'ut.refresh.cookie_for_other_device': 'refresh-token-mismatch',
  'ut.wc.expired_token': 'token-expired',
  'ut.validate.expired_token': 'token-expired',

  'wo.discovery without trailing slash': 'oauth-trailing-slash',
  'wo.authorize.without_trailing_slash': 'oauth-trailing-slash',
  'wo.authorize.redirect_uri_mismatch': 'oauth-redirect-mismatch',
  'wo.authorize.unknown_client': 'oauth-client-invalid',
  'wo.authorize.response_type_token (implicit, disabled by default)': 'grant-not-allowed',
  'wo.token.authorization_code_reused': 'authorization-code-used',
  'wo.token.authorization_code_without_redirect_uri': 'oauth-redirect-mismatch',
  'wo.token.bad_client_secret': 'oauth-client-invalid',
  'wo.token.no_client_credentials': 'oauth-client-invalid',
  'wo.token.pkce_missing_verifier': 'pkce-verifier-wrong',
  'wo.token.pkce_wrong_verifier': 'pkce-verifier-wrong',
  'wo.token.pkce_public_client_no_secret': 'oauth-client-invalid',
  'wo.token.client_credentials on client A (CE form client)': 'grant-not-allowed',
  'wo.token.refresh_token on client A (CE form client)': 'grant-not-allowed',
  'wo.token.password on client A (CE form client)': 'grant-not-allowed',
  'wo.token.unsupported_grant_type': 'grant-not-allowed',
  'wo.token.no_grant_type': 'oauth-request-malformed',
  'wo.token.GET (wrong method)': 'oauth-request-malformed',
  'wo.token.password_wrong on client B': 'token-login-failed',
  'wo.token.refresh_token_invalid': 'refresh-token-revoked',
  'wo.wc.no_header': 'no-credentials',
  'wo.wc.unknown_token': 'token-revoked',
  'wo.wc.header_stripped_by_server': 'header-stripped',
  'wo.me.without_trailing_slash': 'oauth-trailing-slash',
  'wo.me.unknown_token': 'token-revoked',
  'wo.introspection.token_only_in_body (no Bearer)': 'token-not-in-header',
  'wo.introspection.unknown_token': 'token-revoked',
  'wo.introspection.GET': 'oauth-request-malformed',
  'wo.wc.revoked_token': 'token-revoked',
  'wo.introspection.revoked_token': 'token-revoked',
  'wo.revoke.missing_token': 'oauth-request-malformed',
  'wo.token.refresh_token_after_revoke': 'refresh-token-revoked',
  'wo.wc.destroyed_token': 'token-revoked',
  'wo.token.authorization_code_expired (code older than 30 s)': 'authorization-code-expired',
  'wo.wc.expired_token': 'token-expired',
  'wo.me.expired_token': 'token-expired',
  'wo.introspection.expired_token': 'token-expired',
};

interface Sent {
  sb: RunningSandbox;
  origin: string;
  req: OutgoingRequest;
  exchange: Exchange;
  reply: Reply;
}

const pluginOf = (name: string): TokenPlugin => (name.startsWith('tm.') ? 'tmeister' : name.startsWith('ut.') ? 'useful-team' : 'wp-oauth-server');
const json = (r: Reply): Record<string, unknown> => (r.json && typeof r.json === 'object' ? r.json as Record<string, unknown> : {});

/** What the client knew when it sent the last request of a case, rebuilt from the case's own exchanges. */
function evidenceOf(name: string, log: Sent[]): { token: TokenEvidence; value?: string } {
  const last = log[log.length - 1]!;
  const sent = sentTokenOf(last.req);
  const auth = last.req.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1];
  const u = new URL(last.req.url);
  const body = new URLSearchParams(typeof last.req.body === 'string' ? last.req.body : '');
  const value = (auth && /^bearer\s+(\S+)/i.exec(auth)?.[1]) ?? u.searchParams.get('token') ?? u.searchParams.get('access_token') ?? body.get('access_token') ?? undefined;
  const token: TokenEvidence = { plugin: pluginOf(name), sent };
  // The expiry the token endpoint gave with this token (expires_in from the answer's Date).
  const issued = log.find((x) => json(x.reply).access_token === value && typeof json(x.reply).expires_in === 'number');
  if (issued) token.expiresAt = new Date(Date.parse(String(issued.reply.headers.date)) + Number(json(issued.reply).expires_in) * 1000).toISOString();
  const flow: OAuthFlowFacts = { grant: 'authorization_code' };
  if (/\/oauth\/token\/$/.test(u.pathname) && body.get('grant_type') === 'authorization_code') {
    const code = body.get('code');
    const authorize = log.find((x) => /\/oauth\/authorize\//.test(x.req.url) && String(x.reply.headers.location ?? '').includes(`code=${code}`));
    const method = authorize ? new URL(authorize.req.url).searchParams.get('code_challenge_method') : null;
    if (method === 'S256' || method === 'plain') flow.pkceMethod = method;
    flow.verifierSent = body.has('code_verifier');
    flow.codeUsedBefore = log.slice(0, -1).some((x) => /\/oauth\/token\/$/.test(x.req.url) && x.reply.status === 200 && new URLSearchParams(String(x.req.body ?? '')).get('code') === code);
    token.flow = flow;
  }
  const cookie = last.req.headers.find(([n]) => n.toLowerCase() === 'cookie')?.[1];
  if (cookie && /jwt-auth\/v1\/token/.test(u.pathname)) {
    const login = log.find((x) => ([] as string[]).concat(x.reply.headers['set-cookie'] ?? []).some((c) => c.split(';')[0] === cookie));
    token.flow = { grant: 'refresh-cookie', device: body.get('device') ?? '', cookieDevice: login ? new URLSearchParams(String(login.req.body ?? '')).get('device') ?? '' : undefined };
  }
  return { token, value };
}

describe('the explainer names the cause of every recorded token-plugin failure (against the sandbox)', function () {
  this.timeout(60_000);
  const recorded = recordedTokenCases();
  const sandboxes = {} as Sandboxes;
  let log: Sent[] = [];

  /** Sends with the product's send() (the exchange the explainer reads is masked as the product keeps it). */
  const caller: Caller = async (sb, c) => {
    const origin = c.scheme === 'http' ? sb.httpUrl : sb.httpsUrl;
    const { method, headers, body } = callParts(c);
    const req: OutgoingRequest = { method, url: `${origin}${c.path}`, headers: Object.entries(headers), body };
    const bearer = /^bearer\s+(\S+)/i.exec(headers.Authorization ?? '')?.[1];
    // The builders read real cookies from the reply: Set-Cookie is masked in the exchange, so it is taken raw.
    let raw: readonly string[] = [];
    const exchange = await send(req, { tls: { verify: true, ca: sb.certificatePem }, followRedirects: false, secrets: [...SECRETS, ...(bearer ? [bearer] : [])], onSetCookie: (v) => (raw = v) });
    const r = exchange.response!;
    const text = Buffer.from(r.body).toString('utf8');
    const h: Record<string, string | string[]> = {};
    for (const [n, v] of r.headers) h[n] = n === 'set-cookie' ? [...raw] : h[n] === undefined ? v : ([] as string[]).concat(h[n]!, v);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const reply: Reply = { status: r.status, headers: h as Reply['headers'], text, json: parsed };
    log.push({ sb, origin, req, exchange, reply });
    return reply;
  };
  const REQUESTS = tokenCaseRequests(caller);

  before(async () => {
    Object.assign(sandboxes, await startTokenSandboxes());
  });
  after(async () => {
    await closeConnections();
    await Promise.all(Object.values(sandboxes).map((sb) => sb?.stop()));
  });

  it('covers every recorded failure of the three plugins', () => {
    const failures = recorded.filter((c) => !c.case.startsWith('wcauth.') && (c.response.status >= 400 || /trailing_slash|response_type_token/.test(c.case)));
    assert.deepEqual(failures.map((c) => c.case).filter((n) => !(n in EXPECTED)), []);
    assert.ok(failures.length >= 85, `${failures.length} failures`);
  });

  for (const [name, cause] of Object.entries(EXPECTED)) {
    it(`${name} → ${cause}`, async () => {
      log = [];
      const build = REQUESTS[name];
      assert.ok(build, `no request for ${name}`);
      await build(sandboxes);
      const last = log[log.length - 1]!;
      const { token, value } = evidenceOf(name, log);
      const store: Store = { id: 's', name: 'shop', baseUrl: last.origin, authMethod: token.plugin === 'wp-oauth-server' ? 'oauth2' : 'jwt', token: { plugin: token.plugin } };
      const probe = value ? () => probeToken({ send, tls: { verify: true, ca: last.sb.certificatePem } }, { store, plugin: token.plugin, token: value }) : undefined;
      const findings = await explainWithTokenProbe({ exchange: last.exchange, store, authMethod: store.authMethod, token }, probe);
      assert.ok(findings.length, `no finding for ${last.exchange.response?.status} ${last.exchange.response && Buffer.from(last.exchange.response.body).toString().slice(0, 200)}`);
      assert.equal(findings[0]!.cause, cause, findings.map((f) => `${f.cause} (${f.confidence}): ${f.evidence.join(' ')}`).join('\n'));
      // Nothing secret in what the user is shown.
      const shown = JSON.stringify(findings);
      for (const s of [...SECRETS, ...(value && value.length > 8 ? [value] : [])]) assert.ok(!shown.includes(s), `a secret in the finding: ${redactText(shown)}`);
    });
  }
});

describe('the token explainer on exchanges built by hand', () => {
  const SHOP = 'https://shop.test';
  const jwtOf = (claims: Record<string, unknown>) => `${Buffer.from('{"typ":"JWT","alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  const silent401 = (authorization: string): Exchange => ({
    startedAt: '2026-12-02T14:15:00.000Z',
    request: { method: 'GET', url: `${SHOP}/wp-json/wc/v3/products`, headers: [['Authorization', authorization.replace(/\s\S+$/, ' ••••••••')]], bodyBytes: 0 },
    response: { status: 401, statusText: 'Unauthorized', headers: [['content-type', 'application/json; charset=UTF-8'], ['date', 'Wed, 02 Dec 2026 14:15:00 GMT']], body: Buffer.from('{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}'), bodyBytes: 100, truncated: false, contentType: 'application/json; charset=UTF-8' },
    redirects: [], timings: { total: 10 },
  });
  const at = Date.parse('2026-12-02T14:15:00Z') / 1000;
  const explain = (authorization: string, store: Store) => explainWithTokenProbe({ exchange: silent401(authorization), store, token: { sent: sentTokenOf({ url: `${SHOP}/wp-json/wc/v3/products`, headers: [['Authorization', authorization]] }) } }, undefined);

  it('a pasted JWT plugin token that expired: the bearer store\'s own cause, certain, with when', async () => {
    const token = jwtOf({ iss: SHOP, iat: at - 700, exp: at - 100, data: { user: { id: 1, device: '', pass: 'x' } } });
    const [f] = await explain(`Bearer ${token}`, { id: 'b', name: 'b', baseUrl: SHOP, authMethod: 'bearer' });
    assert.equal(f!.cause, 'bearer-expired');
    assert.equal(f!.confidence, 'certain');
    assert.match(f!.evidence.join(' '), /expired at 2026-12-02T14:13:20Z \(its exp claim\), 1 min 40 s before the answer/);
  });

  it('a token issued at http:// used at https:// (Useful Team says nothing on wc/v3): the iss claim tells', async () => {
    const token = jwtOf({ iss: 'http://shop.test', iat: at, exp: at + 600, data: { user: { id: 1, device: '', pass: 'x' } } });
    const [f] = await explain(`Bearer ${token}`, { id: 'j', name: 'j', baseUrl: SHOP, authMethod: 'jwt', token: { plugin: 'useful-team' } });
    assert.equal(f!.cause, 'token-wrong-site');
    assert.match(f!.evidence.join(' '), /issued by http:\/\/shop\.test .* the scheme \(http against https\)/);
    assert.equal(f!.fixes[0]!.id, 'use-token-site-url');
  });

  it('"bearer" in lowercase to a JWT plugin, even when the store does not say which plugin', async () => {
    const token = jwtOf({ iss: SHOP, iat: at, exp: at + 600, data: { user: { id: '1' } } });
    const [f] = await explain(`bearer ${token}`, { id: 'b', name: 'b', baseUrl: SHOP, authMethod: 'bearer' });
    assert.equal(f!.cause, 'bearer-lowercase');
  });
});
