import * as assert from 'assert';
import { checkApplicationPassword, checkKeyPair, checkStoreUrl, discoverStore, storeIdFor } from '../../src/core/store-input';
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
