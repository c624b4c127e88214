// The new secrets of token stores (access and refresh tokens, Useful Team's refresh cookie, client
// secrets, passwords, PKCE verifiers) are masked everywhere a copy is kept: redactText on every
// shape they take (query, form, JSON, headers), the token endpoints' real answers, the Set-Cookie
// and Cookie of the refresh cookie, the exchanges of a request whose token was renewed (both
// attempts and the renewal's own exchanges), the request log, the formatted exchange. And a file
// cannot ask for a store's token: {{$store.token}} is refused with a sentence.
import * as assert from 'node:assert/strict';
import { memoryTokenStorage, TokenManager } from '../../src/core/auth/token-manager';
import { formatExchange } from '../../src/core/exchange-format';
import { parseHttpDocument, requestAt, resolveSystemVariable } from '../../src/core/http';
import { MASK, redactHeader, redactText } from '../../src/core/redact';
import { entryFromExchange } from '../../src/core/request-log';
import { runRequest } from '../../src/core/run-request';
import { closeConnections } from '../../src/core/send';
import { secretValues, type Store } from '../../src/core/store';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { send as rawSend } from './helpers/sandbox-http';
import { tokenSeed } from './helpers/token-fixtures';

const seed = tokenSeed();
const [admin] = seed.users;
const [, clientB] = seed.oauth_clients!;
const OPAQUE = 'k5zi9xq2m7w3e8r1t6y4u0i9o5p2a7s3d8f1g6h4';
const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Nob3AudGVzdCIsImV4cCI6MTc5NjIyMDgzNn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const COOKIE_VALUE = `1.${'bc52'.repeat(16)}`;

/** True when any 8-character run of `secret` is still in `text`. */
function leaks(text: string, secret: string): boolean {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
  return false;
}

describe('token secrets are masked', () => {
  it('in every written shape, without being known beforehand', () => {
    const texts = [
      `grant_type=refresh_token&refresh_token=${OPAQUE}`,
      `{"access_token":"${OPAQUE}","expires_in":3600,"token_type":"Bearer","scope":"basic","refresh_token":"${OPAQUE}"}`,
      `{"token":"${JWT}","user_email":"admin@example.test"}`,
      `{"success":true,"data":{"token":"${JWT}","id":1}}`,
      `grant_type=authorization_code&code_verifier=FxsLeJ-a-code-verifier-of-forty-three-chars&client_secret=${OPAQUE}`,
      `grant_type=password&username=admin&password=${OPAQUE}`,
      `https://shop.test/wp-json/wc/v3/products?token=${OPAQUE}`,
      `https://shop.test/wp-json/wc/v3/products?access_token=${OPAQUE}`,
      `Authorization: Bearer ${OPAQUE}`,
      `Authorization: bearer ${OPAQUE}`,
    ];
    for (const t of texts) {
      const out = redactText(t);
      assert.ok(!leaks(out, OPAQUE) && !leaks(out, JWT) && !out.includes('a-code-verifier'), `${t}\n→ ${out}`);
    }
    // What is not secret stays readable.
    assert.match(redactText(`{"access_token":"${OPAQUE}","expires_in":3600,"token_type":"Bearer"}`), /"expires_in":3600,"token_type":"Bearer"/);
    assert.equal(redactText('{"code":"jwt_auth_invalid_token","message":"Expired token"}'), '{"code":"jwt_auth_invalid_token","message":"Expired token"}');
  });

  it("in the refresh cookie's Set-Cookie (attributes kept) and Cookie headers", () => {
    const set = redactHeader('set-cookie', `refresh_token=${COOKIE_VALUE}; expires=Wed, 02 Dec 2026 14:15:20 GMT; Max-Age=120; path=/; secure; HttpOnly`);
    assert.equal(set, `refresh_token=${MASK}; expires=Wed, 02 Dec 2026 14:15:20 GMT; Max-Age=120; path=/; secure; HttpOnly`);
    assert.equal(redactHeader('cookie', `refresh_token=${COOKIE_VALUE}; other=1`), `refresh_token=${MASK}; other=${MASK}`);
    assert.ok(secretValues({ refreshCookie: `refresh_token=${COOKIE_VALUE}` }).includes(COOKIE_VALUE), 'the bare value is a known secret too');
  });

  describe('against the sandbox', function () {
    this.timeout(30_000);
    let ut: RunningSandbox;
    let wo: RunningSandbox;
    before(async () => {
      [ut, wo] = await Promise.all([startSandbox({ tokenPlugin: 'useful-team', seed }), startSandbox({ tokenPlugin: 'wp-oauth-server', seed })]);
    });
    after(async () => {
      await closeConnections();
      await Promise.all([ut.stop(), wo.stop()]);
    });

    it("in the token endpoints' real answers", async () => {
      const login = await rawSend(ut.httpsUrl, { method: 'POST', path: '/wp-json/jwt-auth/v1/token', body: `username=admin&password=${encodeURIComponent(admin!.password!)}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, ca: ut.certificatePem });
      const token = (login.json as { data: { token: string } }).data.token;
      const cookie = String(([] as string[]).concat(login.headers['set-cookie'] ?? [])[0]);
      assert.ok(!leaks(redactText(login.text), token));
      assert.ok(!leaks(redactHeader('set-cookie', cookie), cookie.split(';')[0]!.slice('refresh_token=2.'.length)));
      const grant = await rawSend(wo.httpsUrl, { method: 'POST', path: '/oauth/token/', body: new URLSearchParams({ grant_type: 'password', username: 'admin', password: admin!.password!, client_id: clientB!.client_id, client_secret: clientB!.client_secret }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, ca: wo.certificatePem });
      const j = grant.json as { access_token: string; refresh_token: string };
      const masked = redactText(grant.text);
      assert.ok(!leaks(masked, j.access_token) && !leaks(masked, j.refresh_token), masked);
    });

    it('in a request whose token was renewed: both attempts, the renewal, the log entry, the exchange text', async () => {
      const store: Store = { id: 'shop', name: 'shop', baseUrl: wo.httpsUrl, authMethod: 'oauth2', username: 'admin', options: { caCertificateFile: '/ca' }, token: { plugin: 'wp-oauth-server', grant: 'password', clientId: clientB!.client_id } };
      const storage = memoryTokenStorage({ password: admin!.password, clientSecret: clientB!.client_secret, accessToken: 'thisisnotatokenthisserverhaseverissued00' });
      const manager = new TokenManager(store, storage, { send: (await import('../../src/core/send')).send, tls: { verify: true, ca: wo.certificatePem } });
      const doc = parseHttpDocument('@store = shop\n\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n');
      const r = await runRequest({ doc, request: requestAt(doc, 2)!, stores: [store], secretsFor: async () => undefined, variables: {}, readBodyFile: async () => Buffer.from(''), readCaFile: async () => wo.certificatePem, tokens: () => manager });
      assert.equal(r.firstAttempt?.response?.status, 401, 'the unknown token was refused');
      assert.equal(r.exchange?.response?.status, 200, 'the renewed token worked');
      const secrets = await storage.load();
      const everything = [
        JSON.stringify({ ...r.exchange, response: undefined }), JSON.stringify({ ...r.firstAttempt, response: undefined }),
        ...r.renewals!.flatMap((x) => x.exchanges.map((e) => formatExchange(e))), formatExchange(r.exchange!), formatExchange(r.firstAttempt!),
        JSON.stringify(entryFromExchange(r.exchange!, { source: 'cli' })), JSON.stringify(r.renewals!.map((x) => x.message)), JSON.stringify(r.token),
      ].join('\n');
      for (const secret of [secrets!.accessToken!, secrets!.refreshToken!, admin!.password!, clientB!.client_secret]) {
        assert.ok(!leaks(everything, secret), `${secret.slice(0, 4)}… leaks`);
      }
    });
  });

  it('a file cannot ask for a store\'s token: {{$store.token}} is refused with a sentence', () => {
    const r = resolveSystemVariable('$store.token', { store: { name: 'shop', url: 'https://shop.test' } });
    assert.ok(r && !r.ok);
    assert.match(r.message, /not offered: a store's token, keys and passwords never appear in a file/);
  });
});
