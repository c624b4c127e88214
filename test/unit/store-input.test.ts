import * as assert from 'assert';
import { X509Certificate } from 'crypto';
import { checkApplicationPassword, checkKeyPair, checkStoreUrl, discoverStore, explainConnectionTest, storeIdFor, testStoreConnection } from '../../src/core/store-input';
import { isLocalHost, isUntrustedCertificate, presentedCertificate } from '../../src/core/tls-certificate';
import type { Store, StoreSecrets } from '../../src/core/store';
import { closeConnections, send } from '../../src/core/send';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import seed from '../fixtures/sandbox-seed.json';

const CK = 'ck_' + 'a1'.repeat(20);
const CS = 'cs_' + 'b2'.repeat(20);

describe('what a user types for a store', () => {
  it('normalises a store URL and says what it changed', () => {
    assert.deepStrictEqual(checkStoreUrl('https://shop.example.com/'), { value: 'https://shop.example.com', note: undefined });
    const bare = checkStoreUrl('  shop.example.com ');
    assert.strictEqual(bare.value, 'https://shop.example.com');
    assert.strictEqual(bare.note, 'No scheme was given, so https:// was assumed.');
    const api = checkStoreUrl('https://example.com/shop/wp-json/wc/v3/products?x=1');
    assert.strictEqual(api.value, 'https://example.com/shop');
    assert.match(api.note!, /API path was dropped/);
    assert.match(checkStoreUrl('ftp://x.example').error!, /https:\/\//);
    assert.match(checkStoreUrl('https://ck_x:cs_y@shop.example').error!, /credentials out of the address/);
    assert.match(checkStoreUrl('').error!, /Enter the store/);
  });

  it('trims a pasted key pair, puts a swapped pair back, and names what is wrong with a bad one', () => {
    assert.deepStrictEqual(checkKeyPair(CK, CS).value, { consumerKey: CK, consumerSecret: CS });
    const trimmed = checkKeyPair(` ${CK}`, `${CS}\n`);
    assert.strictEqual(trimmed.value?.consumerSecret, CS);
    assert.match(trimmed.note!, /Consumer secret is invalid/);
    const swapped = checkKeyPair(CS, CK);
    assert.deepStrictEqual(swapped.value, { consumerKey: CK, consumerSecret: CS });
    assert.match(swapped.note!, /swapped/);
    assert.match(checkKeyPair(CK.slice(0, 30), CS).error!, /has 27\. Was part of it cut off/);
    assert.match(checkKeyPair('key_123', CS).error!, /starts with ck_/);
    assert.match(checkKeyPair(CK, CK).error!, /That is a consumer key/);
    assert.match(checkKeyPair(CK, 'cs_' + 'z'.repeat(40)).error!, /hexadecimal/);
  });

  it('accepts an application password with or without WordPress\'s spaces, and explains a login password', () => {
    assert.strictEqual(checkApplicationPassword('abcd EFGH ijkl MNOP qrst UVWX').value, 'abcd EFGH ijkl MNOP qrst UVWX');
    assert.strictEqual(checkApplicationPassword('abcdEFGHijklMNOPqrstUVWX').value, 'abcdEFGHijklMNOPqrstUVWX');
    assert.match(checkApplicationPassword('hunter2!').error!, /login password does not work/);
  });

  it('makes readable unique store ids', () => {
    assert.strictEqual(storeIdFor('My Shop (staging)', []), 'my-shop-staging');
    assert.strictEqual(storeIdFor('My Shop', ['my-shop', 'my-shop-2']), 'my-shop-3');
  });
});

describe('discovering a store from its /wp-json/ index', () => {
  let sandbox: RunningSandbox;
  let permalinks: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: seed as never, homeUrl: undefined });
    permalinks = await startSandbox({ seed: seed as never, plainPermalinks: true });
  });
  after(async () => { await closeConnections(); await sandbox.stop(); await permalinks.stop(); });

  it('confirms WordPress with WooCommerce and reads the Home URL and application passwords', async () => {
    const d = await discoverStore(sandbox.httpsUrl, send, { tls: { ca: sandbox.certificatePem } });
    assert.strictEqual(d.problem, undefined, d.problem);
    assert.strictEqual(d.index?.hasWcV3, true);
    assert.strictEqual(d.index?.home, sandbox.httpsUrl);
    assert.match(d.index?.applicationPasswordsUrl ?? '', /wp-admin\/authorize-application\.php$/);
  });

  it('says plain permalinks when /wp-json/ answers with the HTML front page', async () => {
    const d = await discoverStore(permalinks.httpsUrl, send, { tls: { ca: permalinks.certificatePem } });
    assert.match(d.problem ?? '', /plain permalinks/);
  });

  it('says what happened when nothing answers', async () => {
    const d = await discoverStore('http://127.0.0.1:9', send, { timeoutMs: 3000 });
    assert.match(d.problem ?? '', /refused|Nothing is listening/);
  });
});

describe('a failed connection test in the explainer\'s words, with the answer at fault', () => {
  let sandbox: RunningSandbox;
  let stripping: RunningSandbox;
  const rw = seed.keys.find((k) => k.permissions === 'read_write')!;
  before(async () => {
    sandbox = await startSandbox({ seed: seed as never });
    stripping = await startSandbox({ seed: seed as never, stripAuthorization: true });
  });
  after(async () => { await closeConnections(); await sandbox.stop(); await stripping.stop(); });

  const store = (over: Partial<Store>): Store => ({ id: 's', name: 's', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic', ...over });
  const run = async (s: Store, secrets: StoreSecrets | undefined, ca = sandbox.certificatePem) =>
    explainConnectionTest(s, await testStoreConnection(s, secrets, send, { tls: { ca }, timeoutMs: 5000 }));

  it('a wrong consumer secret: the cause, not WooCommerce\'s sentence; the credentials are at fault', async () => {
    const t = await run(store({}), { consumerKey: rw.consumer_key, consumerSecret: `cs_${'0'.repeat(40)}` });
    assert.strictEqual(t.ok, false);
    assert.strictEqual(t.fault, 'credentials');
    assert.match(t.message, /secret/i);
    assert.match(t.message, /\(401\)/);
    assert.doesNotMatch(t.message, /woocommerce_rest_authentication_error/);
    assert.ok(t.detail && t.detail.length > 0);
  });

  it('a stripped Authorization header: the auth method is at fault (query-string keys or OAuth would pass)', async () => {
    const s = store({ baseUrl: stripping.httpsUrl });
    const t = await run(s, { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret }, stripping.certificatePem);
    assert.strictEqual(t.ok, false);
    assert.strictEqual(t.fault, 'method', t.message);
  });

  it('nothing answering: the address; keys over plain HTTP to another host: the method; no keys: the credentials', async () => {
    assert.strictEqual((await run(store({ baseUrl: 'http://127.0.0.1:9' }), { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret })).fault, 'address');
    assert.strictEqual((await run(store({ baseUrl: 'http://shop.example.invalid' }), { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret })).fault, 'method');
    assert.strictEqual((await run(store({}), undefined)).fault, 'credentials');
  });

  it('a working store is left as it is', async () => {
    const t = await run(store({}), { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret });
    assert.strictEqual(t.ok, true);
    assert.match(t.message, /^200 OK/);
  });
});

describe('trusting a local store\'s certificate', () => {
  let sandbox: RunningSandbox;
  before(async () => { sandbox = await startSandbox({ seed: seed as never }); });
  after(async () => { await closeConnections(); await sandbox.stop(); });

  it('reads the certificate the server presents, unverified, with the fingerprint a browser shows; pinned, verification passes', async () => {
    const presented = await presentedCertificate(sandbox.httpsUrl);
    assert.strictEqual(presented.fingerprint256, new X509Certificate(sandbox.certificatePem).fingerprint256);
    assert.strictEqual(presented.selfSigned, true);
    const unpinned = await send({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/`, headers: [] }, { timeoutMs: 5000 });
    assert.ok(isUntrustedCertificate(unpinned.error?.code), unpinned.error?.code);
    const pinned = await send({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/`, headers: [] }, { tls: { ca: presented.pem }, timeoutMs: 5000 });
    assert.strictEqual(pinned.response?.status, 200);
  });

  it('refuses a plain http:// address, and offers "turn verification off" for local addresses only', async () => {
    await assert.rejects(presentedCertificate(sandbox.httpUrl), /not https/);
    for (const h of ['localhost', 'shop.localhost', 'wp.local', 'shop.test', '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.10', '[::1]', 'fd12:3456::1']) assert.ok(isLocalHost(h), h);
    for (const h of ['shop.example.com', '8.8.8.8', '172.32.0.1', '192.169.0.1', 'localhost.example.com']) assert.ok(!isLocalHost(h), h);
  });
});
