// The client side of tokens (src/core/auth/token-*.ts) against the sandbox in each plugin mode:
// detection, sign-in, renewal per plugin, the authorization-code + PKCE flow (the browser's part
// played by the test: wp-login.php, then the authorize page), revocation, the token manager
// (renew before sending, renew and re-send once after an expired-token answer, one renewal shared
// by concurrent sends, a failed renewal that says why), and the pipeline the editor and the CLI
// share (runRequest) with the manager plugged in.
import * as assert from 'node:assert/strict';
import type { TokenRenewal } from '../../src/core/auth/token-manager';
import { memoryTokenStorage, RENEW_WITHIN_SECONDS, TokenManager, TokenRenewalError } from '../../src/core/auth/token-manager';
import {
  checkToken, clientCredentialsGrant, discoverOAuth, exchangeCode, jwtLogin, passwordGrant, readAuthorizationResponse, refreshGrant, revokeToken,
  startAuthorization, usefulTeamRenew, usefulTeamRotate, type TokenTransport,
} from '../../src/core/auth/token-client';
import { detectTokenPlugin } from '../../src/core/auth/token-detect';
import { checkTokenPolicy } from '../../src/core/auth/token-policy';
import { decodeJwt } from '../../src/core/auth/token-claims';
import { parseHttpDocument, requestAt } from '../../src/core/http';
import { runRequest } from '../../src/core/run-request';
import { runRunnerRequest } from '../../src/core/runner-request';
import { closeConnections, send, type Exchange, type OutgoingRequest, type SendOptions } from '../../src/core/send';
import type { Store, StoreSecrets, TokenSettings } from '../../src/core/store';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox';
import { send as rawSend } from './helpers/sandbox-http';
import { tokenSeed } from './helpers/token-fixtures';

const seed = tokenSeed();
const [admin, , manager] = seed.users;
const [clientA, clientB] = seed.oauth_clients!;
const CALLBACK = 'https://127.0.0.1:8999/callback';

type Kind = 'tm' | 'ut' | 'wo' | 'none' | 'tm5';
const OPTIONS: Record<Kind, SandboxOptions> = {
  tm: { tokenPlugin: 'tmeister', accessTokenLifetimeSeconds: 60 },
  tm5: { tokenPlugin: 'tmeister', accessTokenLifetimeSeconds: 5 },
  ut: { tokenPlugin: 'useful-team', accessTokenLifetimeSeconds: 60, refreshTokenLifetimeSeconds: 120 },
  wo: { tokenPlugin: 'wp-oauth-server' },
  none: {},
};

describe('token client, manager and pipeline against the sandbox', function () {
  this.timeout(30_000);
  const sb = {} as Record<Kind, RunningSandbox>;
  before(async () => {
    const kinds = Object.keys(OPTIONS) as Kind[];
    const started = await Promise.all(kinds.map((k) => startSandbox({ ...OPTIONS[k], seed })));
    kinds.forEach((k, i) => (sb[k] = started[i]!));
  });
  after(async () => {
    await closeConnections();
    await Promise.all(Object.values(sb).map((s) => s.stop()));
  });

  /** A transport to one sandbox that counts its requests. */
  function transport(s: RunningSandbox, clock?: () => Date): TokenTransport & { sent: OutgoingRequest[] } {
    const sent: OutgoingRequest[] = [];
    return { sent, tls: { verify: true, ca: s.certificatePem }, now: clock, send: (req: OutgoingRequest, o: SendOptions) => { sent.push(req); return send(req, o); } };
  }
  const store = (s: RunningSandbox, authMethod: 'jwt' | 'oauth2', token: TokenSettings = {}, username = admin!.login): Store =>
    ({ id: `s-${authMethod}`, name: 'shop', baseUrl: s.httpsUrl, authMethod, username, token });
  function managerFor(s: RunningSandbox, st: Store, secrets: StoreSecrets, clock?: () => Date) {
    const t = transport(s, clock);
    const saved: { secrets?: StoreSecrets; settings?: TokenSettings } = {};
    const inner = memoryTokenStorage(secrets);
    const storage = { load: inner.load, save: async (x: StoreSecrets, y: TokenSettings) => { saved.secrets = x; saved.settings = y; await inner.save(x, y); } };
    return { m: new TokenManager(st, storage, { send: t.send, tls: t.tls, now: clock }), t, saved, storage };
  }

  describe('detection', () => {
    it('tells the two jwt-auth/v1 plugins apart, finds WP OAuth Server by discovery, and says when there is none', async () => {
      const tm = await detectTokenPlugin(transport(sb.tm), store(sb.tm, 'jwt'));
      assert.equal(tm.plugin, 'tmeister', tm.evidence.join(' '));
      assert.match(tm.evidence.join(' '), /Tmeister/);
      const ut = await detectTokenPlugin(transport(sb.ut), store(sb.ut, 'jwt'));
      assert.equal(ut.plugin, 'useful-team', ut.evidence.join(' '));
      const wo = await detectTokenPlugin(transport(sb.wo), store(sb.wo, 'oauth2'));
      assert.equal(wo.plugin, 'wp-oauth-server');
      assert.equal(wo.endpoints?.tokenUrl, `${sb.wo.httpsUrl}/oauth/token/`);
      assert.equal(wo.endpoints?.introspectUrl, `${sb.wo.httpsUrl}/oauth/introspection/`);
      const none = await detectTokenPlugin(transport(sb.none), store(sb.none, 'jwt'));
      assert.equal(none.plugin, undefined);
      assert.match(none.evidence.join(' '), /no jwt-auth namespace/);
    });

    it('reads discovery at the address with the trailing slash (WordPress redirects the other)', async () => {
      const t = transport(sb.wo);
      const found = await discoverOAuth(t, `${sb.wo.httpsUrl}/`);
      assert.ok(found.ok);
      assert.match(t.sent[0]!.url, /\/\.well-known\/openid-configuration\/$/);
    });
  });

  describe('JWT plugins', () => {
    it('Tmeister: signs in, the token expiring when its exp says; a wrong password says why', async () => {
      const t = transport(sb.tm);
      const r = await jwtLogin(t, { tokenUrl: `${sb.tm.httpsUrl}/wp-json/jwt-auth/v1/token`, username: admin!.login, password: admin!.password! });
      assert.ok(r.ok);
      assert.equal(r.plugin, 'tmeister');
      assert.equal(r.grant.expiresAt?.getTime(), Number(decodeJwt(r.grant.accessToken)!.claims.exp) * 1000);
      assert.ok(!JSON.stringify(r.exchanges).includes(r.grant.accessToken), 'the token is masked in the recorded answer');
      assert.ok(!JSON.stringify(r.exchanges).includes(admin!.password!), 'the password is masked in the recorded request');
      const bad = await jwtLogin(t, { tokenUrl: `${sb.tm.httpsUrl}/wp-json/jwt-auth/v1/token`, username: admin!.login, password: 'wrong' });
      assert.ok(!bad.ok);
      assert.equal(bad.failure.code, '[jwt_auth] incorrect_password');
      assert.match(bad.failure.sentence, /403 \[jwt_auth\] incorrect_password "The provided password is an invalid application password\."/);
    });

    it('Useful Team: the refresh cookie renews with the same device only; /token/refresh replaces it and the old one is obsolete', async () => {
      const t = transport(sb.ut);
      const tokenUrl = `${sb.ut.httpsUrl}/wp-json/jwt-auth/v1/token`;
      const login = await jwtLogin(t, { tokenUrl, username: manager!.login, password: manager!.password!, device: 'wooapitest' });
      assert.ok(login.ok && login.grant.refreshCookie);
      assert.equal(login.plugin, 'useful-team');
      assert.match(login.grant.refreshCookie, /^refresh_token=3\.[0-9a-f]{64}$/);
      assert.ok(login.grant.refreshExpiresAt && Math.abs(login.grant.refreshExpiresAt.getTime() - Date.now() - 120_000) < 5000);
      assert.ok(!JSON.stringify(login.exchanges).includes(login.grant.refreshCookie.slice(16)), 'the cookie is masked');
      const renewed = await usefulTeamRenew(t, { tokenUrl, cookie: login.grant.refreshCookie, device: 'wooapitest' });
      assert.ok(renewed.ok);
      assert.equal((decodeJwt(renewed.grant.accessToken)!.claims.data as { user: { device: string } }).user.device, 'wooapitest');
      const otherDevice = await usefulTeamRenew(t, { tokenUrl, cookie: login.grant.refreshCookie, device: 'phone' });
      assert.ok(!otherDevice.ok);
      assert.equal(otherDevice.failure.code, 'jwt_auth_invalid_refresh_token');
      const rotated = await usefulTeamRotate(t, { refreshUrl: `${tokenUrl}/refresh`, cookie: login.grant.refreshCookie, device: 'wooapitest' });
      assert.ok(rotated.ok);
      assert.notEqual(rotated.refreshCookie, login.grant.refreshCookie);
      const old = await usefulTeamRenew(t, { tokenUrl, cookie: login.grant.refreshCookie, device: 'wooapitest' });
      assert.ok(!old.ok);
      assert.equal(old.failure.code, 'jwt_auth_obsolete_refresh_token');
      assert.ok((await usefulTeamRenew(t, { tokenUrl, cookie: rotated.refreshCookie, device: 'wooapitest' })).ok);
    });
  });

  describe('OAuth 2.0 (WP OAuth Server)', () => {
    /** The browser's part: log in at wp-login.php, open the authorize URL, return where it redirects. */
    async function browser(s: RunningSandbox, authorizeUrl: string): Promise<string> {
      const login = await rawSend(s.httpsUrl, { method: 'POST', path: '/wp-login.php', body: new URLSearchParams({ log: admin!.login, pwd: admin!.password! }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, ca: s.certificatePem });
      assert.equal(login.status, 302);
      const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).filter((c) => /path=\/;|path=\/$/.test(c)).map((c) => c.split(';')[0]).join('; ');
      const u = new URL(authorizeUrl);
      const page = await rawSend(s.httpsUrl, { path: `${u.pathname}${u.search}`, headers: { Cookie: cookie }, ca: s.certificatePem });
      assert.equal(page.status, 302, page.text);
      return String(page.headers.location);
    }

    it('authorization code with PKCE S256: state checked, code exchanged with the verifier, a wrong verifier refused', async () => {
      const t = transport(sb.wo);
      const found = await discoverOAuth(t, sb.wo.httpsUrl);
      assert.ok(found.ok);
      const start = startAuthorization({ authorizeUrl: found.endpoints.authorizeUrl!, clientId: clientA!.client_id, redirectUri: CALLBACK, scope: 'basic' });
      const u = new URL(start.url);
      assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(u.searchParams.get('state'), start.state);
      assert.ok(!start.url.includes(start.verifier), 'the verifier never goes to the browser');
      const back = await browser(sb.wo, start.url);
      assert.deepEqual(readAuthorizationResponse(back.replace(start.state, 'forged-state'), start.state), { error: 'state_mismatch', description: 'The answer does not belong to this sign-in (its state differs): it was not used. Start the sign-in again.' });
      const got = readAuthorizationResponse(back, start.state);
      assert.ok('code' in got, JSON.stringify(got));
      const client = { tokenUrl: found.endpoints.tokenUrl!, clientId: clientA!.client_id, clientSecret: clientA!.client_secret };
      const wrong = await exchangeCode(t, client, { code: got.code, redirectUri: CALLBACK, verifier: 'x'.repeat(43) });
      assert.ok(!wrong.ok);
      assert.equal(wrong.failure.code, 'invalid_grant');
      const ok = await exchangeCode(t, client, { code: got.code, redirectUri: CALLBACK, verifier: start.verifier });
      assert.ok(ok.ok, !ok.ok ? ok.failure.sentence : '');
      assert.ok(ok.grant.refreshToken);
      assert.ok(ok.grant.expiresAt && Math.abs(ok.grant.expiresAt.getTime() - Date.now() - 3600_000) < 5000);
    });

    it('client credentials, password and refresh grants; a grant the client may not use; revocation', async () => {
      const t = transport(sb.wo);
      const tokenUrl = `${sb.wo.httpsUrl}/oauth/token/`;
      const b = { tokenUrl, clientId: clientB!.client_id, clientSecret: clientB!.client_secret };
      assert.ok((await clientCredentialsGrant(t, b)).ok);
      const denied = await clientCredentialsGrant(t, { tokenUrl, clientId: clientA!.client_id, clientSecret: clientA!.client_secret });
      assert.ok(!denied.ok);
      assert.equal(denied.failure.code, 'unauthorized_client');
      const pw = await passwordGrant(t, b, { username: admin!.login, password: admin!.password! });
      assert.ok(pw.ok && pw.grant.refreshToken);
      const refreshed = await refreshGrant(t, b, pw.grant.refreshToken);
      assert.ok(refreshed.ok);
      const check = await checkToken(t, { url: `${sb.wo.httpsUrl}/oauth/introspection/`, token: refreshed.grant.accessToken });
      assert.equal(check.active, true);
      const revoked = await revokeToken(t, { revokeUrl: `${sb.wo.httpsUrl}/oauth/revoke/`, token: pw.grant.refreshToken, hint: 'refresh_token', client: b });
      assert.ok(revoked.ok);
      const after = await refreshGrant(t, b, pw.grant.refreshToken);
      assert.ok(!after.ok);
      assert.equal(after.failure.message, 'Invalid refresh token');
    });
  });

  describe('token manager', () => {
    it('gets a token when there is none and saves it with its expiry in the store setting', async () => {
      const { m, saved } = managerFor(sb.tm, store(sb.tm, 'jwt', { plugin: 'tmeister' }), { password: admin!.password });
      const fresh = await m.fresh();
      assert.equal(fresh.renewal?.reason, 'missing');
      assert.ok(fresh.secrets.accessToken);
      assert.equal(saved.secrets?.accessToken, fresh.secrets.accessToken);
      assert.equal(saved.settings?.expiresAt, new Date(Number(decodeJwt(fresh.secrets.accessToken)!.claims.exp) * 1000).toISOString());
      assert.equal(fresh.renewal?.lifetimes?.accessSeconds, 60);
    });

    it(`renews before sending when the token has ${RENEW_WITHIN_SECONDS} s or less left, and not otherwise`, async () => {
      let offset = 0;
      const clock = () => new Date(Date.now() + offset);
      const b = { tokenUrl: `${sb.wo.httpsUrl}/oauth/token/`, clientId: clientB!.client_id, clientSecret: clientB!.client_secret };
      const pw = await passwordGrant(transport(sb.wo), b, { username: admin!.login, password: admin!.password! });
      assert.ok(pw.ok);
      const st = store(sb.wo, 'oauth2', { plugin: 'wp-oauth-server', grant: 'password', clientId: b.clientId, tokenUrl: b.tokenUrl, expiresAt: pw.grant.expiresAt!.toISOString() });
      const { m, t } = managerFor(sb.wo, st, { accessToken: pw.grant.accessToken, refreshToken: pw.grant.refreshToken, clientSecret: b.clientSecret }, clock);
      assert.equal((await m.fresh()).renewal, undefined);
      assert.equal(t.sent.length, 0);
      offset = (3600 - 30) * 1000; // 30 s left
      const fresh = await m.fresh();
      assert.equal(fresh.renewal?.reason, 'expiring');
      assert.equal(fresh.renewal?.how, 'with the refresh token');
      assert.notEqual(fresh.secrets.accessToken, pw.grant.accessToken);
      assert.notEqual(fresh.secrets.refreshToken, pw.grant.refreshToken, 'the newest refresh token is kept');
    });

    it('never sends a password to a token endpoint over plain HTTP on another machine', async () => {
      const { m, t } = managerFor(sb.tm, { ...store(sb.tm, 'jwt', { plugin: 'tmeister' }), baseUrl: 'http://shop.example' }, { password: admin!.password });
      const err = await m.fresh().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof TokenRenewalError);
      assert.match(err.message, /clear text \(plain HTTP\)/);
      assert.equal(t.sent.length, 0);
    });

    it('shares one renewal between concurrent sends (single flight)', async () => {
      const { m, t } = managerFor(sb.tm, store(sb.tm, 'jwt', { plugin: 'tmeister' }), { password: admin!.password });
      const all = await Promise.all(Array.from({ length: 8 }, () => m.fresh()));
      assert.equal(t.sent.length, 1, 'one sign-in for eight sends');
      assert.equal(new Set(all.map((f) => f.secrets.accessToken)).size, 1);
    });

    it('a renewal that fails says why (the plugin\'s error) and that signing in again is the fix', async () => {
      const t = transport(sb.ut);
      const tokenUrl = `${sb.ut.httpsUrl}/wp-json/jwt-auth/v1/token`;
      const login = await jwtLogin(t, { tokenUrl, username: admin!.login, password: admin!.password!, device: 'stale' });
      assert.ok(login.ok);
      const rotated = await usefulTeamRotate(t, { refreshUrl: `${tokenUrl}/refresh`, cookie: login.grant.refreshCookie!, device: 'stale' });
      assert.ok(rotated.ok);
      const { m } = managerFor(sb.ut, store(sb.ut, 'jwt', { plugin: 'useful-team', device: 'stale', refreshExpiresAt: new Date(Date.now() + 30 * 86400_000).toISOString() }), { refreshCookie: login.grant.refreshCookie, password: 'not-the-password' });
      const err = await m.fresh().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof TokenRenewalError, String(err));
      assert.match(err.message, /jwt_auth_obsolete_refresh_token/);
      assert.match(err.message, /incorrect_password|invalid application password/);
      assert.match(err.message, /Sign in again/);
    });
  });

  describe('the shared pipeline (runRequest) with the manager', () => {
    const PRODUCTS = 'GET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n';
    async function run(s: RunningSandbox, st: Store, m: TokenManager) {
      const doc = parseHttpDocument(`@store = shop\n\n${PRODUCTS}`);
      return runRequest({
        doc, request: requestAt(doc, 2)!, stores: [st], secretsFor: async () => undefined, variables: {},
        readBodyFile: async () => Buffer.from(''), readCaFile: async () => s.certificatePem, tokens: () => m,
      });
    }
    const renewalsOf = (r: { renewals?: TokenRenewal[] }) => (r.renewals ?? []).map((x) => `${x.reason}:${x.ok}`);

    it('Tmeister: a token the store says expired is renewed (log in again) and the request sent once more, both attempts shown', async () => {
      const st = { ...store(sb.tm, 'jwt', { plugin: 'tmeister' }), options: { caCertificateFile: '/ca' } };
      // This machine's clock is 2 minutes behind the server's: it believes the token fresh.
      const { m } = managerFor(sb.tm, st, { password: admin!.password }, () => new Date(Date.now() - 120_000));
      assert.equal((await run(sb.tm, st, m)).exchange?.response?.status, 200);
      sb.tm.advanceClock(90);
      try {
        const r = await run(sb.tm, st, m);
        assert.equal(r.firstAttempt?.response?.status, 403);
        assert.match(Buffer.from(r.firstAttempt!.response!.body).toString(), /Expired token/);
        assert.deepEqual(renewalsOf(r), ['rejected:true']);
        assert.equal(r.exchange?.response?.status, 200);
        assert.match(r.renewals![0]!.message, /by signing in as admin/);
      } finally {
        sb.tm.advanceClock(-90);
      }
    });

    it('Useful Team: the silent 401 of an expired token is renewed with the refresh cookie and sent once more', async () => {
      const st = { ...store(sb.ut, 'jwt', { plugin: 'useful-team', device: 'pipeline' }), options: { caCertificateFile: '/ca' } };
      const { m } = managerFor(sb.ut, st, { password: admin!.password }, () => new Date(Date.now() - 120_000));
      assert.equal((await run(sb.ut, st, m)).exchange?.response?.status, 200);
      sb.ut.advanceClock(90);
      try {
        const r = await run(sb.ut, st, m);
        assert.equal(r.firstAttempt?.response?.status, 401);
        assert.equal(r.exchange?.response?.status, 200);
        assert.match(r.renewals![0]!.message, /refresh cookie/);
      } finally {
        sb.ut.advanceClock(-90);
      }
    });

    it('with a 5-second access token, requests 10 s apart all succeed, each showing its renewal', async () => {
      let offset = 0;
      const clock = () => new Date(Date.now() + offset);
      const st = { ...store(sb.tm5, 'jwt', { plugin: 'tmeister' }), options: { caCertificateFile: '/ca' } };
      const { m } = managerFor(sb.tm5, st, { password: admin!.password }, clock);
      for (let i = 0; i < 3; i++) {
        const r = await run(sb.tm5, st, m);
        assert.equal(r.exchange?.response?.status, 200, `request ${i + 1}`);
        assert.deepEqual(renewalsOf(r), [i === 0 ? 'missing:true' : 'expiring:true']);
        offset += 10_000;
        sb.tm5.advanceClock(10);
      }
      sb.tm5.advanceClock(-30);
    });

    it('the runner panel\'s path does the same: renew and send once more, both attempts kept', async () => {
      const st = store(sb.ut, 'jwt', { plugin: 'useful-team', device: 'runner' });
      const { m } = managerFor(sb.ut, st, { password: admin!.password }, () => new Date(Date.now() - 120_000));
      const req = { store: st.id, method: 'GET', path: 'wc/v3/products', query: [{ name: 'per_page', value: '1', enabled: true }], headers: [], body: { kind: 'none' as const, text: '' }, auth: 'store' as const };
      const first = await runRunnerRequest(req, st, undefined, { ca: sb.ut.certificatePem, tokens: m });
      assert.equal(first.exchange?.response?.status, 200);
      assert.deepEqual(renewalsOf(first), ['missing:true']);
      sb.ut.advanceClock(90);
      try {
        const r = await runRunnerRequest(req, st, undefined, { ca: sb.ut.certificatePem, tokens: m });
        assert.equal(r.firstAttempt?.response?.status, 401);
        assert.equal(r.exchange?.response?.status, 200);
        assert.deepEqual(renewalsOf(r), ['rejected:true']);
      } finally {
        sb.ut.advanceClock(-90);
      }
    });

    it('nothing is sent when the token cannot be renewed, and the sentence says why', async () => {
      const st = store(sb.tm, 'jwt', { plugin: 'tmeister' });
      const { m } = managerFor(sb.tm, st, { password: 'wrong' });
      const r = await run(sb.tm, st, m);
      assert.equal(r.exchange, undefined);
      assert.equal(r.notSentCode, 'token-renewal-failed');
      assert.match(r.notSent!, /\[jwt_auth\] incorrect_password.*Sign in again/s);
      assert.equal(r.renewals?.length, 1);
    });
  });

  it('token policy: Tmeister\'s 7-day default is flagged with its filter; an hour is fine', () => {
    const [w] = checkTokenPolicy({ plugin: 'tmeister', accessSeconds: 7 * 86400, storeName: 'shop' });
    assert.ok(w);
    assert.match(w.message, /7 days.*1 hour.*jwt_auth_expire/);
    assert.deepEqual(checkTokenPolicy({ plugin: 'wp-oauth-server', accessSeconds: 3600, refreshSeconds: 86400 }), []);
    const [r] = checkTokenPolicy({ plugin: 'useful-team', accessSeconds: 600, refreshSeconds: 60 * 86400 }, { maxAccessSeconds: 3600, maxRefreshSeconds: 30 * 86400 });
    assert.match(r!.message, /60 days.*jwt_auth_refresh_expire/);
  });
});

export type { Exchange };
