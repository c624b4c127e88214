// indexHttpDocument (what code lenses use) must find exactly the request lines parseHttpDocument finds.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { indexHttpDocument, parseHttpDocument } from '../../src/core/http';

const PIECES = [
  '###', '### named', '   ### indented', '# comment', '// comment', '# @name x', '# @store shop', '# @no-auth', '@host = https://example.com',
  '@store = shop', 'GET https://example.com/a', 'POST {{host}}/b HTTP/1.1', 'https://example.com/c', 'PURGE https://x/y', '    ?page=2',
  '    &per_page=5', 'Content-Type: application/json', '', '', '{"a": 1}', '< ./body.json', '<@ ./body.json', '< {%', 'request.variables.set("a", 1)',
  '%}', '> {% client.test() %}', 'HTTP/1.1 200 OK', 'curl -X POST https://example.com -d \'x\'', '```http', '```', '{{', '}}', '?? status == 200',
];

function soup(seed: number, lines: number): string {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: lines }, () => PIECES[Math.floor(rnd() * PIECES.length)]).join(rnd() < 0.5 ? '\n' : '\r\n');
}

function lines(text: string, languageId: 'http' | 'markdown' = 'http') {
  return {
    index: indexHttpDocument(text, { languageId }).map((r) => r.requestLineRange),
    parse: parseHttpDocument(text, { languageId }).requests.map((r) => r.requestLineRange),
  };
}

describe('the request-line index agrees with the full parse', () => {
  it('on 300 random documents of every line kind, .http and Markdown', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = soup(seed, 10 + (seed % 60));
      for (const lang of ['http', 'markdown'] as const) {
        const { index, parse } = lines(text, lang);
        assert.deepStrictEqual(index, parse, `seed ${seed} (${lang})`);
      }
    }
  });

  it('on the sample workspace and the test fixtures', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const files = ['samples/01-products.http', 'samples/02-why-401.http', 'test/fixtures/workspace/products.http'];
    for (const f of files) {
      const { index, parse } = lines(fs.readFileSync(path.join(root, f), 'utf8'));
      assert.ok(parse.length > 0, f);
      assert.deepStrictEqual(index, parse, f);
    }
  });
});
