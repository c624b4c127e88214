// Every auth method, applied by the client core and checked by the sandbox store's independent
// server-side implementation over real loopback HTTP and HTTPS.
import * as assert from 'assert';
import { applyStoreAuth, AuthNotApplied, jwtExpiry, type PlainRequest } from '../../src/core/auth/apply';
import { closeConnections, send } from '../../src/core/send';
import type { Store, StoreSecrets } from '../../src/core/store';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import seed from '../fixtures/sandbox-seed.json';

const rw = seed.keys.find((k) => k.permissions === 'read_write')!;
const keys: StoreSecrets = { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret };
const admin = seed.users.find((u) => u.role === 'administrator')!;

function store(authMethod: Store['authMethod'], baseUrl: string, extra: Partial<Store> = {}): Store {
  return { id: 't', name: 'test', baseUrl, authMethod, ...extra };
}

describe('applying store auth (client core) against the sandbox store (server)', () => {
  let sandbox: RunningSandbox;
  before(async () => { sandbox = await startSandbox({ seed: seed as never }); });
  after(async () => { await closeConnections(); await sandbox.stop(); });

  async function roundTrip(req: PlainRequest, s: Store, secrets: StoreSecrets) {
    const applied = applyStoreAuth(req, s, secrets);
    const ex = await send(applied.request, { tls: { ca: sandbox.certificatePem }, secrets: applied.secrets });
    assert.strictEqual(ex.error, undefined, ex.error?.message);
    return { applied, ex, json: JSON.parse(Buffer.from(ex.response!.body).toString()) };
  }

  it('wc-basic over HTTPS: 200, and only the key\'s last 7 characters are described', async () => {
    const { applied, ex } = await roundTrip({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/wc/v3/products`, headers: [] }, store('wc-basic', sandbox.httpsUrl), keys);
    assert.strictEqual(ex.response?.status, 200);
    assert.ok(applied.added[0].includes(rw.consumer_key.slice(-7)));
    assert.ok(!applied.added.join().includes(rw.consumer_secret));
  });

  it('wc-query over HTTPS: 200, keeping the query the user wrote', async () => {
    const { ex, json } = await roundTrip({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/wc/v3/products?per_page=2`, headers: [] }, store('wc-query', sandbox.httpsUrl), keys);
    assert.strictEqual(ex.response?.status, 200);
    assert.strictEqual(json.length, 2);
    assert.ok(!ex.request.url.includes(rw.consumer_secret), 'the recorded URL masks the secret');
  });

  for (const method of ['HMAC-SHA256', 'HMAC-SHA1'] as const) {
    it(`wc-oauth1 ${method} over plain HTTP: GET with params that need encoding is accepted`, async () => {
      const url = `${sandbox.httpUrl}/wp-json/wc/v3/products?search=${encodeURIComponent('Hoodie & Co+')}&per_page=5&orderby=title`;
      const { ex, applied } = await roundTrip({ method: 'GET', url, headers: [] }, store('wc-oauth1', sandbox.httpUrl, { options: { oauthSignatureMethod: method } }), keys);
      assert.strictEqual(ex.response?.status, 200, Buffer.from(ex.response!.body).toString());
      assert.match(applied.oauthBaseString ?? '', /^GET&http%3A%2F%2F127\.0\.0\.1/);
    });
  }

  it('wc-oauth1 with nested query keys (filter[q], filter[limit]) in any order, unicode and + in values', async () => {
    const url = `${sandbox.httpUrl}/wp-json/wc/v3/products?filter[q]=Caf%C3%A9+Cr%C3%A8me&per_page=3&filter[limit]=1&attribute[]=a&attribute[]=b`;
    const { ex } = await roundTrip({ method: 'GET', url, headers: [] }, store('wc-oauth1', sandbox.httpUrl), keys);
    assert.strictEqual(ex.response?.status, 200, Buffer.from(ex.response!.body).toString());
  });

  it('wc-oauth1: POST JSON (body unsigned) creates, POST form (fields signed) is accepted, PUT JSON updates', async () => {
    const s = store('wc-oauth1', sandbox.httpUrl);
    const created = await roundTrip({ method: 'POST', url: `${sandbox.httpUrl}/wp-json/wc/v3/products`, headers: [['Content-Type', 'application/json']], body: JSON.stringify({ name: 'Signed Tee', type: 'simple', regular_price: '9.99' }) }, s, keys);
    assert.strictEqual(created.ex.response?.status, 201, JSON.stringify(created.json));
    const form: [string, string][] = [['name', 'Form Tee ü'], ['regular_price', '5.00'], ['type', 'simple']];
    const posted = await roundTrip({ method: 'POST', url: `${sandbox.httpUrl}/wp-json/wc/v3/products`, headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: new URLSearchParams(form).toString(), formFields: form }, s, keys);
    assert.strictEqual(posted.ex.response?.status, 201, JSON.stringify(posted.json));
    assert.strictEqual(posted.json.name, 'Form Tee ü');
    const updated = await roundTrip({ method: 'PUT', url: `${sandbox.httpUrl}/wp-json/wc/v3/products/${created.json.id}`, headers: [['Content-Type', 'application/json']], body: JSON.stringify({ regular_price: '11.00' }) }, s, keys);
    assert.strictEqual(updated.ex.response?.status, 200, JSON.stringify(updated.json));
    assert.strictEqual(updated.json.regular_price, '11.00');
  });

  it('wc-oauth1 with the Home URL: signing for the Home URL passes, signing for the typed host fails', async () => {
    const home = await startSandbox({ seed: seed as never, homeUrl: 'http://www.localhost' });
    try {
      const url = `${home.httpUrl}/wp-json/wc/v3/products`;
      const right = applyStoreAuth({ method: 'GET', url, headers: [] }, store('wc-oauth1', home.httpUrl, { options: { homeUrl: 'http://www.localhost' } }), keys);
      assert.strictEqual((await send(right.request)).response?.status, 200);
      const wrong = applyStoreAuth({ method: 'GET', url, headers: [] }, store('wc-oauth1', home.httpUrl), keys);
      const answer = await send(wrong.request);
      assert.strictEqual(answer.response?.status, 401);
      assert.match(Buffer.from(answer.response!.body).toString(), /provided signature does not match/);
    } finally {
      await home.stop();
    }
  });

  it('app-password over HTTPS: 200 on wc/v3 and on wp/v2/users/me', async () => {
    const s = store('app-password', sandbox.httpsUrl, { username: admin.login });
    const secrets = { applicationPassword: admin.application_passwords![0] };
    const products = await roundTrip({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/wc/v3/products`, headers: [] }, s, secrets);
    assert.strictEqual(products.ex.response?.status, 200);
    const me = await roundTrip({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/wp/v2/users/me`, headers: [] }, s, secrets);
    assert.strictEqual(me.json.slug ?? me.json.name, admin.login);
  });

  it('refuses to put secrets in clear text on a non-loopback plain-HTTP URL, saying what to use instead', () => {
    for (const method of ['wc-basic', 'wc-query'] as const) {
      assert.throws(() => applyStoreAuth({ method: 'GET', url: 'http://shop.example.com/wp-json/wc/v3/products', headers: [] }, store(method, 'http://shop.example.com'), keys),
        (e: unknown) => e instanceof AuthNotApplied && e.code === 'cleartext-credentials' && /OAuth 1\.0a/.test(e.message));
    }
    // OAuth signs instead of sending the secret: allowed over HTTP.
    const signed = applyStoreAuth({ method: 'GET', url: 'http://shop.example.com/wp-json/wc/v3/products', headers: [] }, store('wc-oauth1', 'http://shop.example.com'), keys);
    assert.ok(!signed.request.url.includes(rw.consumer_secret));
  });

  it('says which credentials are missing, keeps a hand-written Authorization header, and refuses an expired JWT', () => {
    assert.throws(() => applyStoreAuth({ method: 'GET', url: 'https://a.example/', headers: [] }, store('wc-basic', 'https://a.example'), {}), /no consumer key/);
    const own = applyStoreAuth({ method: 'GET', url: 'https://a.example/', headers: [['authorization', 'Basic abc']] }, store('wc-basic', 'https://a.example'), keys);
    assert.deepStrictEqual(own.request.headers, [['authorization', 'Basic abc']]);
    const exp = Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000);
    const jwt = ['e30', Buffer.from(JSON.stringify({ exp })).toString('base64url'), 'sig'].join('.');
    assert.strictEqual(jwtExpiry(jwt)?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.throws(() => applyStoreAuth({ method: 'GET', url: 'https://a.example/', headers: [] }, store('bearer', 'https://a.example'), { bearerToken: jwt }, { now: new Date('2026-06-01') }),
      (e: unknown) => e instanceof AuthNotApplied && e.code === 'expired-token');
  });
});
