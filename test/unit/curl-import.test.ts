// A pasted cURL command whose URL has a malformed percent escape: a problem on the URL's range in a
// .http curl block, and a sentence from Import cURL (the runner's and the command's), never a
// URIError thrown at the user.
import * as assert from 'node:assert/strict';
import { parseHttpDocument } from '../../src/core/http';
import { fromCurl } from '../../src/core/runner-request';
import type { Store } from '../../src/core/store';

const stores: Store[] = [{ id: 'shop', name: 'shop', baseUrl: 'https://shop.example', authMethod: 'wc-basic' }];

describe('a cURL URL with a malformed % escape', () => {
  for (const [what, url, escape] of [
    ['% not followed by two hex digits', 'https://shop.example/wp-json/wc/v3/%zz?x=1', '%zz'],
    ['a cut UTF-8 sequence', 'https://shop.example/wp-json/wc/v3/products/%E0%A4%A', '%A'],
    ['escapes that are not UTF-8', 'https://shop.example/wp-json/wc/v3/products/%E0%A4', '%E0%A4'],
  ] as const) {
    it(`${what}: Import cURL says so in a sentence`, () => {
      let r: ReturnType<typeof fromCurl> | undefined;
      assert.doesNotThrow(() => { r = fromCurl(`curl -X GET '${url}' -H 'Accept: application/json'`, stores); });
      assert.equal(r!.request, undefined);
      assert.match(r!.problem ?? '', /percent/);
      assert.ok(r!.problem!.includes(escape), r!.problem);
      assert.doesNotMatch(r!.problem!, /URI malformed/);
    });

    it(`${what}: a curl block gets a problem on the URL's range`, () => {
      const text = `### pasted\ncurl -X GET '${url}' -H 'Accept: application/json'\n`;
      const doc = parseHttpDocument(text);
      const p = doc.problems.find((x) => x.code === 'curl-malformed-url');
      assert.ok(p, JSON.stringify(doc.problems));
      assert.equal(p.severity, 'warning');
      assert.deepEqual([p.range.start.line, p.range.start.character, p.range.end.character], [1, 12, 12 + url.length + 2]);
      assert.ok(p.message.includes(escape), p.message);
    });
  }

  it('a URL with good escapes still imports, decoded into the path', () => {
    const r = fromCurl("curl 'https://shop.example/wp-json/wc/v3/products/caf%C3%A9?search=a%20b'", stores);
    assert.equal(r.request?.path, 'wc/v3/products/café');
    assert.deepEqual(r.request?.query, [{ name: 'search', value: 'a b', enabled: true }]);
  });
});
