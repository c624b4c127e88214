// Copy as cURL for an OAuth 1.0a store: the copied command signs when it runs. Run through a real
// POSIX shell (curl replaced by a function that prints its arguments), its signature must be the one
// our signer (src/core/auth/oauth1.ts) computes for the same nonce and timestamp.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { signOAuth1 } from '../../src/core/auth/oauth1';
import { oauth1SigningCommand, unsignedUrl } from '../../src/core/oauth1-curl';

const KEY = 'ck_' + 'a1'.repeat(20);
const SECRET = "cs_" + 'b2'.repeat(20);

/** Runs the copied command in sh with `curl` printing its arguments, one per line. */
function run(command: string): string[] {
  const out = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\n' "$a"; done; }\n${command}`], {
    env: { PATH: process.env.PATH, WOO_CONSUMER_KEY: KEY, WOO_CONSUMER_SECRET: SECRET },
    encoding: 'utf8',
  });
  return out.trimEnd().split('\n');
}

describe('Copy as cURL for an OAuth 1.0a store', () => {
  const cases: { name: string; method: string; url: string; homeUrl?: string; signatureMethod?: 'HMAC-SHA1' | 'HMAC-SHA256'; body?: string }[] = [
    { name: 'a plain GET', method: 'GET', url: 'https://shop.example/wp-json/wc/v3/products' },
    { name: "a query with spaces, umlauts and a quote (Müller's café), HMAC-SHA1", method: 'GET', url: `https://shop.example/wp-json/wc/v3/customers?search=${encodeURIComponent("Müller's café")}&per_page=5`, signatureMethod: 'HMAC-SHA1' },
    { name: 'a store in a sub-directory on www, over http', method: 'POST', url: 'http://shop.example:8080/shop/wp-json/wc/v3/products', homeUrl: 'http://www.shop.example:8080/shop', body: '{"name":"Mug $(reboot) `x`"}' },
  ];
  for (const c of cases) {
    it(`signs like our signer: ${c.name}`, () => {
      const command = oauth1SigningCommand({ method: c.method, url: c.url, headers: [['Content-Type', 'application/json']], body: c.body, homeUrl: c.homeUrl, signatureMethod: c.signatureMethod });
      assert.ok(command, 'a signing command');
      assert.ok(!command.includes(SECRET) && !command.includes(KEY));
      const args = run(command);
      const signed = new URL(args[3]!);
      assert.deepEqual(args.slice(0, 3), ['-g', '-X', c.method]);
      const nonce = signed.searchParams.get('oauth_nonce')!;
      const timestamp = Number(signed.searchParams.get('oauth_timestamp'));
      assert.ok(Math.abs(timestamp - Date.now() / 1000) < 60, 'signed now, when it runs');
      const ours = signOAuth1({ method: c.method, url: c.url, consumerKey: KEY, consumerSecret: SECRET, nonce, timestamp, homeUrl: c.homeUrl, signatureMethod: c.signatureMethod });
      assert.equal(signed.searchParams.get('oauth_signature'), ours.signature);
      assert.equal(signed.searchParams.get('oauth_consumer_key'), KEY);
      // The request's own parameters arrive as they were.
      for (const [n, v] of new URL(c.url).searchParams) assert.equal(signed.searchParams.get(n), v);
      // The body reaches curl byte for byte: nothing in it ran.
      if (c.body) assert.equal(args[args.indexOf('--data-raw') + 1], c.body);
    });
  }

  it('signs afresh each run (a new nonce), and drops a stale signature from the URL', () => {
    const stale = 'https://shop.example/wp-json/wc/v3/orders?status=processing&oauth_consumer_key=ck_x&oauth_nonce=n&oauth_signature=abc&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1';
    assert.equal(unsignedUrl(stale), 'https://shop.example/wp-json/wc/v3/orders?status=processing');
    const command = oauth1SigningCommand({ method: 'GET', url: stale, headers: [] })!;
    const a = new URL(run(command)[3]!);
    const b = new URL(run(command)[3]!);
    assert.notEqual(a.searchParams.get('oauth_nonce'), b.searchParams.get('oauth_nonce'));
    assert.deepEqual(a.searchParams.getAll('oauth_signature').length, 1);
  });

  it('says no (one-shot instead) for what the script cannot sign as PHP would: nested keys, a signed form body', () => {
    assert.equal(oauth1SigningCommand({ method: 'GET', url: 'https://shop.example/wp-json/wc/v3/products?filter[q]=1', headers: [] }), undefined);
    assert.equal(oauth1SigningCommand({ method: 'POST', url: 'https://shop.example/wp-json/wc/v3/products', headers: [], signedForm: true }), undefined);
  });

  it('fails with a sentence when the variables are not set', () => {
    const command = oauth1SigningCommand({ method: 'GET', url: 'https://shop.example/wp-json/wc/v3/products', headers: [] })!;
    assert.throws(() => execFileSync('sh', ['-c', command], { env: { PATH: process.env.PATH }, encoding: 'utf8', stdio: 'pipe' }), (e: { stderr: string }) => /Set WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET first/.test(e.stderr));
  });
});
