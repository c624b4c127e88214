// The signer against WooCommerce's rules (REFERENCE C.6) and the parity vectors of REFERENCE D.6.
// Where a base string is written out below, it was written by hand from C.6, and its signature is
// computed here with node:crypto, so these tests do not trust the code under test for either.

import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signOAuth1, signOAuth1Generic, simpleQueryPairs, type OAuth1Input } from '../../src/core/auth/oauth1';

import { CK, CS } from '../fixtures/fake-keys';
const NONCE = 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgm';
const TS = 1700000000;

/** The four oauth params as they appear, already encoded, in a base string (sorted among themselves). */
const OAUTH_SHA256 =
  `oauth_consumer_key%3D${CK}%26oauth_nonce%3D${NONCE}%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000`;
const OAUTH_SHA1 =
  `oauth_consumer_key%3D${CK}%26oauth_nonce%3D${NONCE}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000`;

function sign(overrides: Partial<OAuth1Input> & Pick<OAuth1Input, 'url'>): ReturnType<typeof signOAuth1> {
  return signOAuth1({ method: 'GET', consumerKey: CK, consumerSecret: CS, timestamp: TS, nonce: NONCE, ...overrides });
}

function hmac(algorithm: 'sha1' | 'sha256', base: string): string {
  return createHmac(algorithm, `${CS}&`).update(base).digest('base64');
}

/** Query params of a wire URL decoded the way PHP fills $_GET for flat keys ('+' is a space). */
function wireParams(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

describe('signOAuth1 (WooCommerce OAuth 1.0a, REFERENCE C.6)', () => {
  it('the key facts used below are well-formed', () => {
    assert.match(CK, /^ck_[0-9a-f]{40}$/);
    assert.match(CS, /^cs_[0-9a-f]{40}$/);
    assert.match(NONCE, /^[A-Za-z0-9]{32}$/);
  });

  describe('D.6 parity vectors', () => {
    it('1. flat GET ?per_page=100&page=2: hand-written base string and HMAC-SHA256', () => {
      const result = sign({ url: 'https://shop.test/wp-json/wc/v3/products?per_page=100&page=2' });
      const expectedBase =
        'GET&https%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&' +
        `${OAUTH_SHA256}%26page%3D2%26per_page%3D100`;
      assert.equal(result.baseString, expectedBase);
      assert.equal(result.signature, hmac('sha256', expectedBase));
      assert.equal(
        result.url,
        'https://shop.test/wp-json/wc/v3/products?page=2&per_page=100' +
          `&oauth_consumer_key=${CK}&oauth_nonce=${NONCE}&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000` +
          `&oauth_signature=${encodeURIComponent(result.signature)}`,
      );
    });

    it('2. nested filter[q]=Woo Album&filter[limit]=1: query re-sorted, nested keys flattened, HMAC-SHA1', () => {
      const result = sign({
        url: 'http://shop.test/wp-json/wc/v3/products?filter[q]=Woo Album&filter[limit]=1',
        signatureMethod: 'HMAC-SHA1',
      });
      // Sorted on the wire, PHP inserts `limit` before `q`, and WooCommerce keeps that order (C.6 5d).
      assert.ok(result.url.startsWith('http://shop.test/wp-json/wc/v3/products?filter[limit]=1&filter[q]=Woo%20Album&oauth_'));
      const expectedBase =
        'GET&http%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&' +
        `filter%255Blimit%255D%3D1%26filter%255Bq%255D%3DWoo%2520Album%26${OAUTH_SHA1}`;
      assert.equal(result.baseString, expectedBase);
      assert.equal(result.signature, hmac('sha1', expectedBase));
    });

    it('2b. re-sorts the query exactly like the official JS library example (D.4)', () => {
      const result = sign({ url: 'https://shop.test/wp-json/wc/v3/products?filter[q]=Woo+Album&fields=id&filter[limit]=1' });
      const query = new URL(result.url).search.split('&oauth_')[0];
      assert.equal(query, '?fields=id&filter[limit]=1&filter[q]=Woo%20Album');
    });

    it('3. POST with a JSON body: oauth params in the query, body not signed', () => {
      const result = sign({ method: 'POST', url: 'https://shop.test/wp-json/wc/v3/products?status=draft' });
      const expectedBase =
        'POST&https%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&' + `${OAUTH_SHA256}%26status%3Ddraft`;
      assert.equal(result.baseString, expectedBase);
      assert.equal(result.signature, hmac('sha256', expectedBase));
      assert.equal(wireParams(result.url).get('oauth_signature'), result.signature);
    });

    it('4. POST with a form body: the form fields are signed', () => {
      const result = sign({
        method: 'POST',
        url: 'https://shop.test/wp-json/wc/v3/products',
        formFields: [
          ['name', 'Premium Quality'],
          ['type', 'simple'],
          ['regular_price', '21.99'],
        ],
      });
      const expectedBase =
        'POST&https%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&' +
        `name%3DPremium%2520Quality%26${OAUTH_SHA256}%26regular_price%3D21.99%26type%3Dsimple`;
      assert.equal(result.baseString, expectedBase);
      assert.equal(result.signature, hmac('sha256', expectedBase));
      // The body is the caller's to send; the URL carries only the oauth params.
      assert.equal(wireParams(result.url).get('name'), null);
    });

    it('5. PUT with a form body: not signed (PHP fills $_POST for POST only)', () => {
      const fields: [string, string][] = [['name', 'Premium Quality']];
      const put = sign({ method: 'PUT', url: 'https://shop.test/wp-json/wc/v3/products/7', formFields: fields });
      const expectedBase = `PUT&https%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts%2F7&${OAUTH_SHA256}`;
      assert.equal(put.baseString, expectedBase);
      assert.equal(put.signature, hmac('sha256', expectedBase));
      const patch = sign({ method: 'patch', url: 'https://shop.test/wp-json/wc/v3/products/7', formFields: fields });
      assert.ok(!patch.baseString.includes('name%3D'));
      assert.ok(patch.baseString.startsWith('PATCH&'), 'the method is upper-cased like REQUEST_METHOD');
    });

    it('6. Home URL with www vs request without: base strings differ, homeUrl makes it the server\'s', () => {
      const url = 'https://shop.test/wp-json/wc/v3/products';
      const naive = sign({ url });
      const withHome = sign({ url, homeUrl: 'https://www.shop.test' });
      const serverBase = `GET&https%3A%2F%2Fwww.shop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&${OAUTH_SHA256}`;
      assert.notEqual(naive.baseString, serverBase);
      assert.notEqual(naive.signature, hmac('sha256', serverBase));
      assert.equal(withHome.baseString, serverBase);
      assert.equal(withHome.signature, hmac('sha256', serverBase));
      // The request still goes where the user pointed it: only the signed base URL changes.
      assert.ok(withHome.url.startsWith('https://shop.test/wp-json/wc/v3/products?'));
    });

    it('7. https client behind a proxy where is_ssl() is false: the base uses http://', () => {
      const url = 'https://shop.test/wp-json/wc/v3/products';
      const serverBase = `GET&http%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&${OAUTH_SHA256}`;
      // The REST index reports home as http:// only when is_ssl() was false: its scheme is used.
      const fromIndex = sign({ url, homeUrl: 'http://shop.test' });
      assert.equal(fromIndex.baseString, serverBase);
      assert.equal(fromIndex.signature, hmac('sha256', serverBase));
      // Home option https but is_ssl() false: the index cannot tell, serverScheme says it.
      const explicit = sign({ url, homeUrl: 'https://shop.test', serverScheme: 'http' });
      assert.equal(explicit.baseString, serverBase);
      assert.equal(sign({ url, serverScheme: 'http' }).baseString, serverBase);
      // Without either, the client's own scheme is signed, which this server would reject.
      assert.notEqual(sign({ url }).baseString, serverBase);
      assert.ok(fromIndex.url.startsWith('https://'), 'the wire scheme is not changed');
    });

    it('8. a signature containing "+" survives in the query, percent-encoded', () => {
      let found: ReturnType<typeof signOAuth1> | undefined;
      for (let i = 0; i < 500 && !found; i++) {
        const result = sign({ url: 'http://shop.test/wp-json/wc/v3/products', nonce: `nonce${i}` });
        if (result.signature.includes('+')) found = result;
      }
      assert.ok(found, 'no signature with "+" in 500 nonces');
      const query = new URL(found.url).search;
      const raw = query.slice(query.indexOf('oauth_signature=') + 'oauth_signature='.length);
      assert.ok(!raw.includes('+') && !raw.includes('/') && !raw.includes('='), raw);
      assert.ok(raw.includes('%2B'));
      // PHP urldecodes the query ('+' would have become a space); percent-encoded, it comes back intact.
      assert.equal(wireParams(found.url).get('oauth_signature'), found.signature);
    });
  });

  describe('Home URL and base URL', () => {
    it('keeps the request path below a sub-directory home, with the home\'s host', () => {
      const result = sign({
        url: 'https://example.test/shop/wp-json/wc/v3/orders',
        homeUrl: 'https://www.example.test/shop',
      });
      const expected = `GET&https%3A%2F%2Fwww.example.test%2Fshop%2Fwp-json%2Fwc%2Fv3%2Forders&${OAUTH_SHA256}`;
      assert.equal(result.baseString, expected);
    });

    it('keeps the home\'s port and ignores a trailing slash typed after it', () => {
      const a = sign({ url: 'http://127.0.0.1:8080/wp-json/wc/v3/orders', homeUrl: 'http://localhost:8080/' });
      assert.ok(a.baseString.startsWith('GET&http%3A%2F%2Flocalhost%3A8080%2Fwp-json%2Fwc%2Fv3%2Forders&'), a.baseString);
    });

    it('keeps the trailing slash of the request path, and the raw (percent-encoded) path', () => {
      const slash = sign({ url: 'https://shop.test/wp-json/wc/v3/products/' });
      assert.ok(slash.baseString.startsWith('GET&https%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts%2F&'));
      const encoded = sign({ url: 'https://shop.test/wp-json/wc/v3/products/caf%C3%A9' });
      assert.ok(encoded.baseString.startsWith('GET&https%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts%2Fcaf%25C3%25A9&'));
    });

    it('signs the home root without a trailing slash, as get_home_url() does', () => {
      const result = sign({ url: 'https://shop.test/?rest_route=/wc/v3/products' });
      assert.equal(
        result.baseString,
        `GET&https%3A%2F%2Fshop.test&${OAUTH_SHA256}%26rest_route%3D%252Fwc%252Fv3%252Fproducts`,
      );
    });

    it('rejects a Home URL that is not one', () => {
      assert.throws(() => sign({ url: 'https://shop.test/x', homeUrl: 'shop.test' }), /not a Home URL/);
      assert.throws(() => sign({ url: 'https://shop.test/x', homeUrl: 'https://shop.test/?a=1' }), /not a Home URL/);
    });
  });

  describe('placement', () => {
    it('header: OAuth header with percent-encoded values, no oauth params on the URL, same signature', () => {
      const url = 'https://shop.test/wp-json/wc/v3/products?per_page=5';
      const header = sign({ url, placement: 'header' });
      const query = sign({ url, placement: 'query' });
      assert.equal(header.baseString, query.baseString);
      assert.equal(header.signature, query.signature);
      assert.equal(header.url, 'https://shop.test/wp-json/wc/v3/products?per_page=5');
      assert.equal(
        header.authorizationHeader,
        `OAuth oauth_consumer_key="${CK}", oauth_nonce="${NONCE}", oauth_signature_method="HMAC-SHA256", ` +
          `oauth_timestamp="1700000000", oauth_signature="${encodeURIComponent(header.signature)}"`,
      );
      assert.equal(query.authorizationHeader, undefined);
    });

    it('header: WooCommerce\'s parse_header() regex reads back every param (C.6 step 3)', () => {
      const result = sign({ url: 'https://shop.test/wp-json/wc/v3/products', placement: 'header' });
      const header = result.authorizationHeader ?? '';
      assert.ok(header.startsWith('OAuth '), 'WooCommerce requires the exact prefix "OAuth "');
      const parsed = new Map<string, string>();
      for (const m of header.matchAll(/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/g)) {
        // PHP urldecode(): '+' is a space, %XX a byte.
        parsed.set(m[1] ?? '', decodeURIComponent((m[3] || m[4] || '').replace(/\+/g, ' ')));
      }
      assert.deepEqual([...parsed.entries()], result.oauthParams);
    });

    it('drops stale oauth params already in the URL instead of sending them twice', () => {
      const result = sign({ url: 'https://shop.test/p?oauth_signature=old&oauth_nonce=old&a=1' });
      const params = wireParams(result.url);
      assert.deepEqual(params.getAll('oauth_nonce'), [NONCE]);
      assert.deepEqual(params.getAll('oauth_signature'), [result.signature]);
      assert.equal(params.get('a'), '1');
    });

    it('drops the fragment, which never goes on the wire', () => {
      assert.ok(!sign({ url: 'https://shop.test/p?a=1#top' }).url.includes('#'));
    });
  });

  describe('signature methods', () => {
    it('HMAC-SHA256 by default, HMAC-SHA1 on request, both base64 over the same base rules', () => {
      const url = 'https://shop.test/wp-json/wc/v3/products';
      const sha256 = sign({ url });
      const sha1 = sign({ url, signatureMethod: 'HMAC-SHA1' });
      assert.equal(sha256.oauthParams.find(([k]) => k === 'oauth_signature_method')?.[1], 'HMAC-SHA256');
      assert.equal(sha1.oauthParams.find(([k]) => k === 'oauth_signature_method')?.[1], 'HMAC-SHA1');
      assert.equal(Buffer.from(sha256.signature, 'base64').length, 32);
      assert.equal(Buffer.from(sha1.signature, 'base64').length, 20);
      assert.equal(sha1.signature, hmac('sha1', sha1.baseString));
      assert.equal(sha1.baseString, `GET&https%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&${OAUTH_SHA1}`);
    });

    it('refuses methods WooCommerce rejects, and empty credentials', () => {
      const url = 'https://shop.test/p';
      assert.throws(() => sign({ url, signatureMethod: 'PLAINTEXT' as never }), /HMAC-SHA1 and HMAC-SHA256/);
      assert.throws(() => sign({ url, consumerSecret: '' }), /consumer secret/);
      assert.throws(() => sign({ url: '/relative' }), /not an absolute URL/);
      // The message goes to logs: a secret in the rejected URL is masked.
      assert.throws(
        () => sign({ url: `/p?consumer_secret=${CS}` }),
        (e: Error) => /not an absolute URL/.test(e.message) && !e.message.includes(CS.slice(3)),
      );
    });

    it('generates a 32-character alphanumeric nonce and a current timestamp by default', () => {
      const before = Math.floor(Date.now() / 1000);
      const a = signOAuth1({ method: 'GET', url: 'https://shop.test/p', consumerKey: CK, consumerSecret: CS });
      const b = signOAuth1({ method: 'GET', url: 'https://shop.test/p', consumerKey: CK, consumerSecret: CS });
      const nonce = a.oauthParams.find(([k]) => k === 'oauth_nonce')?.[1] ?? '';
      const ts = Number(a.oauthParams.find(([k]) => k === 'oauth_timestamp')?.[1]);
      assert.match(nonce, /^[A-Za-z0-9]{32}$/);
      assert.notEqual(nonce, b.oauthParams.find(([k]) => k === 'oauth_nonce')?.[1]);
      assert.ok(ts >= before && ts <= before + 5, String(ts));
    });
  });

  describe('parameter normalisation (C.6 step 5)', () => {
    const base = (url: string, extra: Partial<OAuth1Input> = {}): string => {
      const s = sign({ url, ...extra }).baseString;
      return s.slice(s.indexOf('&', s.indexOf('&') + 1) + 1);
    };

    it('"+" and %20 in a value are both a space; %2B is a plus', () => {
      assert.equal(base('https://s.test/p?search=a+b'), base('https://s.test/p?search=a%20b'));
      assert.ok(base('https://s.test/p?search=a+b').endsWith('search%3Da%2520b'));
      assert.ok(base('https://s.test/p?search=a%2Bb').endsWith('search%3Da%252Bb'));
      assert.ok(sign({ url: 'https://s.test/p?search=a+b' }).url.includes('search=a%20b&'));
    });

    it('unicode values are UTF-8 percent-encoded, then encoded again', () => {
      assert.ok(base('https://s.test/p?search=café').endsWith('search%3Dcaf%25C3%25A9'));
      assert.ok(sign({ url: 'https://s.test/p?search=café' }).url.includes('search=caf%C3%A9'));
      const form = base('https://s.test/p', { method: 'POST', formFields: [['name', 'Ünïcode ✓']] });
      assert.ok(form.startsWith('name%3D%25C3%259Cn%25C3%25AFcode%2520%25E2%259C%2593%26'), form);
    });

    it('RFC 3986 reserved characters are encoded (!*\'() too), unreserved ones are not', () => {
      assert.ok(base("https://s.test/p?q=a!*'()~-._b").endsWith('q%3Da%2521%252A%2527%2528%2529~-._b'));
    });

    it('keys needing encoding: top-level keys are encoded twice, nested keys once (WooCommerce quirk)', () => {
      assert.ok(base('https://s.test/p?%C3%A9t%C3%A9=1').endsWith('%25C3%25A9t%25C3%25A9%3D1'));
      assert.ok(base('https://s.test/p?a!b=1').startsWith('a%2521b%3D1%26'));
      assert.ok(base('https://s.test/p?filter[a%20b]=x').startsWith('filter%255Ba%20b%255D%3Dx%26'));
    });

    it('PHP turns "." and " " in a top-level name into "_"', () => {
      assert.ok(base('https://s.test/p?a.b=1&c%20d=2').startsWith('a_b%3D1%26c_d%3D2%26'));
    });

    it('duplicate keys collapse like PHP arrays: last wins, a[] becomes indexed', () => {
      assert.ok(base('https://s.test/p?a=1&a=2').startsWith('a%3D2%26oauth_'));
      assert.ok(base('https://s.test/p?a[]=x&a[]=y').startsWith('a%255B0%255D%3Dx%26a%255B1%255D%3Dy%26oauth_'));
    });

    it('numeric top-level keys are renumbered by array_merge, and key 0 loses its nested prefix', () => {
      assert.ok(base('https://s.test/p?5=a&7=b').startsWith('0%3Da%261%3Db%26oauth_'));
      // `if ( $key )` in join_with_equals_sign() is false for key 0.
      assert.ok(base('https://s.test/p?5[x]=a&b=c').startsWith('x%3Da%26b%3Dc%26oauth_'));
      assert.ok(base('https://s.test/p?a[1]=x&a[]=y').startsWith('a%255B1%255D%3Dx%26a%255B2%255D%3Dy%26'));
    });

    it('top-level keys are sorted by raw bytes (strcmp): upper case before lower case', () => {
      assert.ok(base('https://s.test/p?b=1&B=2&a1=3').startsWith('B%3D2%26a1%3D3%26b%3D1%26'));
    });

    it('query and POST fields merge like array_merge($_GET, $_POST): POST wins', () => {
      const merged = base('https://s.test/p?status=draft', { method: 'POST', formFields: [['status', 'publish']] });
      assert.ok(merged.endsWith('status%3Dpublish'), merged);
    });

    it('a value-less key is signed with an empty value and kept as written on the wire', () => {
      assert.ok(base('https://s.test/p?flag').startsWith('flag%3D%26'));
      assert.ok(sign({ url: 'https://s.test/p?flag' }).url.includes('?flag&oauth_'));
    });
  });

  describe('the scheme signed is is_ssl()\'s', () => {
    it('a request over plain HTTP signs http:// even when the Home URL option is https:// (FACTS point 4)', () => {
      for (const url of ['http://shop.test/wp-json/wc/v3/products?per_page=1', 'http://shop.test/wp-json/wc/v3/products?filter[q]=a']) {
        const result = sign({ url, homeUrl: 'https://www.shop.test' });
        assert.ok(result.baseString.startsWith('GET&http%3A%2F%2Fwww.shop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&'), result.baseString);
      }
      // Over https the Home URL's scheme stands: an http:// one means TLS ended at a proxy.
      assert.ok(sign({ url: 'https://shop.test/wp-json/', homeUrl: 'http://www.shop.test' }).baseString.startsWith('GET&http%3A%2F%2Fwww.shop.test%2Fwp-json'));
      assert.ok(sign({ url: 'https://shop.test/wp-json/', homeUrl: 'https://www.shop.test' }).baseString.startsWith('GET&https%3A%2F%2Fwww.shop.test%2Fwp-json'));
    });
  });

  describe('the shortcut for simple queries', () => {
    /** Seeded, so a failure names the request that shows it. */
    function mulberry(seed: number): () => number {
      let a = seed;
      return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
    const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    // Names the shortcut takes, and names only the generic path may sign (mangled, nested, integer, ours).
    const PLAIN = ['per_page', 'page', 'search', 'status', '_fields', 'orderby', 'x-y', 'Z', '__Host-x', 'after'];
    const AWKWARD = ['a.b', 'a b', 'filter[q]', 'a[]', '0', '12', 'oauth_nonce', 'per%5Fpage', 'a+b', '', ' lead'];
    // Value pieces: escapes valid and not, '+', UTF-8, reserved characters, an '=' inside a value.
    const PIECES = ['1', 'Woo Album', 'a+b', '%2B', '%20', '%zz', '%', 'é', '€', '💳', '=', '[x]', '~', '*', "'", '"', '<>', '/', '?', ',', ':@', '%C3%A9', '%FF'];

    function randomUrl(rand: () => number): string {
      const scheme = pick(rand, ['http', 'https']);
      const host = pick(rand, ['shop.test', 'shop.test:8443', '127.0.0.1:8080', '[::1]:8080', 'www.shop.test']);
      const path = pick(rand, ['/wp-json/wc/v3/products', '/shop/wp-json/wc/v3/orders/12', '/wp-json/wc/v3/products/', '/wp-json/wc/v3/p%C3%A9', '//double/slash']);
      const tokens: string[] = [];
      const n = Math.floor(rand() * 5);
      for (let i = 0; i < n; i++) {
        const name = rand() < 0.85 ? pick(rand, PLAIN) : pick(rand, AWKWARD);
        const value = Array.from({ length: Math.floor(rand() * 3) }, () => pick(rand, PIECES)).join('');
        tokens.push(rand() < 0.95 ? `${name}=${value}` : name);
      }
      if (rand() < 0.05) tokens.splice(Math.floor(rand() * (tokens.length + 1)), 0, '');
      return `${scheme}://${host}${path}${tokens.length ? `?${tokens.join('&')}` : ''}${rand() < 0.1 ? '#frag' : ''}`;
    }

    it('gives exactly what the whole procedure gives, on 3,000 generated requests', () => {
      const rand = mulberry(20261128);
      let shortcut = 0;
      for (let i = 0; i < 3000; i++) {
        const input: OAuth1Input = {
          method: pick(rand, ['GET', 'get', 'DELETE', 'PUT', 'POST']),
          url: randomUrl(rand),
          consumerKey: rand() < 0.9 ? CK : 'ck_ key+with/odd é',
          consumerSecret: CS,
          signatureMethod: pick(rand, ['HMAC-SHA1', 'HMAC-SHA256'] as const),
          homeUrl: rand() < 0.3 ? pick(rand, ['https://www.shop.test', 'http://shop.test/shop/', 'https://shop.test:8443']) : undefined,
          serverScheme: rand() < 0.1 ? 'http' : undefined,
          timestamp: TS,
          nonce: NONCE,
          formFields: rand() < 0.1 ? [['name', 'x']] : undefined,
        };
        const url = new URL(input.url);
        if (simpleQueryPairs(url.search.slice(1))) shortcut++;
        assert.deepEqual(signOAuth1(input), signOAuth1Generic(input), `request ${i}: ${input.method} ${input.url}`);
      }
      // The comparison means something only if both paths ran often.
      assert.ok(shortcut > 1500 && shortcut < 2900, `shortcut taken ${shortcut} times of 3,000`);
    });

    it('leaves anything PHP would parse differently to the whole procedure', () => {
      assert.deepEqual(simpleQueryPairs('per_page=1&page=2'), [['per_page', '1'], ['page', '2']]);
      assert.deepEqual(simpleQueryPairs('search=a+b%2B%zz'), [['search', 'a b+%zz']]);
      assert.deepEqual(simpleQueryPairs('&&a=1&'), [['a', '1']]);
      for (const query of ['a.b=1', 'a%20b=1', 'f[q]=1', '0=x', 'flag', '=x', 'a=1&a=2', 'oauth_nonce=x', 'per%5Fpage=1']) {
        assert.equal(simpleQueryPairs(query), undefined, query);
      }
      assert.equal(simpleQueryPairs(Array.from({ length: 501 }, (_, i) => `p${i}=1`).join('&')), undefined, 'max_input_vars territory');
    });
  });
});
