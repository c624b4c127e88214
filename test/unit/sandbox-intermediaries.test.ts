// The sandbox modes for what stands between a client and WordPress on real stores: plain HTTP sent
// to the HTTPS port (Apache's 400), HTTPS ended at a proxy (with an X-Forwarded-Proto WordPress
// ignores, and with none at all), a security plugin that refuses anonymous REST requests, a
// firewall rule that refuses consumer_secret in query strings; and the sandbox's own request log.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { parseSandboxArgs, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { signOAuth1, toQuery } from './helpers/oauth1-test-signer';
import { basicAuth, credentials, fixtureSeed, obj, send, type Reply } from './helpers/sandbox-http';

const seed = fixtureSeed();
const { rwKey } = credentials(seed);
const PRODUCTS = '/wp-json/wc/v3/products';
const basic = { Authorization: basicAuth(rwKey.consumer_key, rwKey.consumer_secret) };
const WRONG_SECRET = `cs_${'0'.repeat(40)}`;

const get = (sb: RunningSandbox, path: string, headers: Record<string, string> = {}, origin = sb.httpsUrl): Promise<Reply> => send(origin, { path, headers, ca: sb.certificatePem });

/** An OAuth 1.0a read signed for `baseUrl` (scheme://host:port/path), parameters in the query. */
function oauthGet(sb: RunningSandbox, baseUrl: string, origin = sb.httpsUrl): Promise<Reply> {
  const signed = signOAuth1({ method: 'GET', baseUrl, consumerKey: rwKey.consumer_key, consumerSecret: rwKey.consumer_secret, signatureMethod: 'HMAC-SHA256' });
  return get(sb, `${PRODUCTS}?${toQuery(signed.oauth)}`, {}, origin);
}

/** Sends raw bytes to host:port and reads until the server closes. */
function raw(url: string, payload: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port), u.hostname, () => socket.write(payload));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
  });
}

describe('sandbox: plain HTTP to the HTTPS port', function () {
  this.timeout(20_000);
  it("answers 400 like Apache (\"You're speaking plain HTTP to an SSL-enabled server port\") and keeps serving HTTPS", async () => {
    const sb = await startSandbox({ seed });
    try {
      const port = new URL(sb.httpsUrl).port;
      const reply = await raw(sb.httpsUrl, `GET ${PRODUCTS} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(reply, /Content-Type: text\/html/i);
      assert.match(reply, /You're speaking plain HTTP to an SSL-enabled server port\./);
      assert.match(reply, /Instead use the HTTPS scheme/);
      // The same URL over http:// through an ordinary client gets the same page.
      const viaClient = await send(sb.httpsUrl.replace('https:', 'http:'), { path: PRODUCTS });
      assert.equal(viaClient.status, 400);
      assert.match(viaClient.text, /plain HTTP to an SSL-enabled server port/);
      assert.equal((await get(sb, PRODUCTS, basic)).status, 200);
      assert.ok(sb.requestLog().some((l) => l === `http "GET ${PRODUCTS} HTTP/1.1"`), sb.requestLog().join('\n'));
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox: HTTPS ended at a proxy', function () {
  this.timeout(20_000);

  it('httpsProxy: WordPress sees plain HTTP on the HTTPS port, X-Forwarded-Proto or not', async () => {
    const sb = await startSandbox({ seed, httpsProxy: true });
    try {
      const r = await get(sb, PRODUCTS, basic);
      assert.equal(r.status, 401);
      assert.equal(obj(r).code, 'woocommerce_rest_cannot_view');
      // The proxy's own X-Forwarded-Proto replaces the client's; WordPress does not read it anyway.
      assert.equal((await get(sb, PRODUCTS, { ...basic, 'X-Forwarded-Proto': 'https' })).status, 401);
      const index = obj(await get(sb, '/wp-json/'));
      assert.match(String(index.home), /^http:\/\//, 'the Home URL is built with is_ssl() false');
      const host = new URL(sb.httpsUrl).host;
      const https = await oauthGet(sb, `https://${host}${PRODUCTS}`);
      assert.equal(obj(https).message, 'Invalid signature - provided signature does not match.');
      assert.equal((await oauthGet(sb, `http://${host}${PRODUCTS}`)).status, 200, 'signed for http://, as the server builds it');
      // The plain HTTP port is untouched.
      assert.equal((await oauthGet(sb, `${sb.httpUrl}${PRODUCTS}`, sb.httpUrl)).status, 200);
    } finally {
      await sb.stop();
    }
  });

  it('httpsProxyNoForwardedProto: WordPress trusts X-Forwarded-Proto, which the proxy never sends', async () => {
    const sb = await startSandbox({ seed, httpsProxyNoForwardedProto: true });
    try {
      assert.equal((await get(sb, PRODUCTS, basic)).status, 401);
      const withHeader = await get(sb, PRODUCTS, { ...basic, 'X-Forwarded-Proto': 'https' });
      assert.equal(withHeader.status, 200, 'the header the proxy should send makes WordPress see HTTPS');
      assert.match(String(obj(await get(sb, '/wp-json/', { 'X-Forwarded-Proto': 'https' })).home), /^https:\/\//);
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox: security plugin and firewall', function () {
  this.timeout(20_000);

  it('securityPlugin: anonymous REST gets 401 rest_cannot_access, hiding WooCommerce\'s message; a working key passes', async () => {
    const sb = await startSandbox({ seed, securityPlugin: true });
    try {
      const anonymous = await get(sb, PRODUCTS);
      assert.equal(anonymous.status, 401);
      assert.deepEqual(obj(anonymous), { code: 'rest_cannot_access', message: 'Only authenticated users can access the REST API.', data: { status: 401 } });
      const wrongSecret = await get(sb, PRODUCTS, { Authorization: basicAuth(rwKey.consumer_key, WRONG_SECRET) });
      assert.equal(obj(wrongSecret).code, 'rest_cannot_access', 'WooCommerce\'s "Consumer secret is invalid." is hidden');
      assert.equal((await get(sb, '/wp-json/')).status, 401, 'the index too');
      assert.equal((await get(sb, PRODUCTS, basic)).status, 200);
      // Not a REST request: the front end is not the plugin's business.
      assert.equal((await get(sb, '/')).status, 200);
    } finally {
      await sb.stop();
    }
  });

  it('firewallQuerySecret: consumer_secret in the query string gets the web server\'s HTML 403; Basic and OAuth pass', async () => {
    const sb = await startSandbox({ seed, firewallQuerySecret: true });
    try {
      for (const q of [`consumer_key=${rwKey.consumer_key}&consumer_secret=${rwKey.consumer_secret}`, `consumer%5Fsecret=x`, `CONSUMER_SECRET=x`]) {
        const r = await get(sb, `${PRODUCTS}?${q}`);
        assert.equal(r.status, 403, q);
        assert.match(String(r.headers['content-type']), /text\/html/);
        assert.match(r.text, /<title>403 Forbidden<\/title>/);
      }
      assert.equal((await get(sb, PRODUCTS, basic)).status, 200);
      assert.equal((await oauthGet(sb, `${sb.httpsUrl}${PRODUCTS}`)).status, 200);
      assert.equal((await get(sb, `${PRODUCTS}?consumer_key=${rwKey.consumer_key}`, basic)).status, 200, 'only the secret is matched');
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox: request log', function () {
  this.timeout(20_000);
  it('keeps each request line as an access log does, query string included', async () => {
    const sb = await startSandbox({ seed });
    try {
      await get(sb, `${PRODUCTS}?per_page=2`, basic);
      await send(sb.httpUrl, { method: 'POST', path: '/wp-json/wc/v3/products/batch', body: '{}', headers: { 'Content-Type': 'application/json' } });
      assert.deepEqual(sb.requestLog().slice(-2), [`https "GET ${PRODUCTS}?per_page=2 HTTP/1.1"`, 'http "POST /wp-json/wc/v3/products/batch HTTP/1.1"']);
    } finally {
      await sb.stop();
    }
  });
});

describe('parseSandboxArgs: the intermediary modes', () => {
  it('reads the flags and refuses two proxies at once', () => {
    assert.deepEqual(parseSandboxArgs(['--https-proxy', '--security-plugin', '--firewall-query-secret']), { httpsProxy: true, securityPlugin: true, firewallQuerySecret: true });
    assert.deepEqual(parseSandboxArgs(['--https-proxy-no-forwarded-proto']), { httpsProxyNoForwardedProto: true });
    assert.throws(() => parseSandboxArgs(['--https-proxy', '--https-proxy-no-forwarded-proto']), /pick one/);
    assert.throws(() => parseSandboxArgs(['--security-plugin=yes']), /does not take a value/);
  });
});
