// The parser: exact ranges, every line kind, problems on the right lines, and totality (any text
// parses, nothing throws). Conformance with the SPEC's own cases is in http-conformance.test.ts.

import * as assert from 'node:assert/strict';
import { parseHttpDocument, requestAt } from '../../src/core/http/parse';
import { requestVariableReferences, resolveRequest } from '../../src/core/http/variables';
import { textBodyLines } from '../../src/core/http/body';
import type { ParsedDocument, Problem, Range, RequestTemplate } from '../../src/core/http/types';

const r = (sl: number, sc: number, el: number, ec: number): Range => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
const one = (text: string): RequestTemplate => {
  const doc = parseHttpDocument(text);
  assert.equal(doc.requests.length, 1, `expected one request, got ${doc.requests.length}`);
  return doc.requests[0];
};
const problemsOf = (doc: ParsedDocument) => doc.problems.map((p) => [p.code, p.severity, p.range]);
const headerPairs = (req: RequestTemplate) => req.headers.map((h) => [h.name, h.value]);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('http parse', () => {
  describe('ranges', () => {
    const text = [
      '@store = my-shop', //                0
      '@base = {{$store.url}}/wp-json', //  1
      '', //                                2
      '### List products', //               3
      '# Lists the first page', //          4
      '# @name products', //                5
      'GET {{base}}/wc/v3/products', //     6
      '    ?per_page=5', //                 7
      'Accept:  application/json  ', //     8
      '', //                                9
      '###', //                             10
      '  POST https://x/y HTTP/1.1', //     11
      'Content-Type: application/json', //  12
      '', //                                13
      '{"a": 1}', //                        14
      '', //                                15
    ].join('\n');
    const doc = parseHttpDocument(text);

    it('file variables: whole line, name and value', () => {
      assert.deepEqual(
        doc.fileVariables.map((v) => [v.name, v.value, v.range, v.nameRange, v.valueRange]),
        [
          ['store', 'my-shop', r(0, 0, 0, 16), r(0, 1, 0, 6), r(0, 9, 0, 16)],
          ['base', '{{$store.url}}/wp-json', r(1, 0, 1, 30), r(1, 1, 1, 5), r(1, 8, 1, 30)],
        ],
      );
      assert.equal(doc.fileStore, 'my-shop');
      assert.equal(doc.lineCount, 16);
    });

    it('request blocks, delimiter, request line, url pieces, headers, metadata', () => {
      assert.equal(doc.requests.length, 2);
      const [a, b] = doc.requests;
      assert.equal(a.index, 0);
      assert.equal(b.index, 1);
      assert.deepEqual(a.range, r(4, 0, 9, 0));
      assert.deepEqual(a.delimiterRange, r(3, 0, 3, 17));
      assert.equal(a.title, 'List products');
      assert.equal(a.name, 'products');
      assert.deepEqual(a.requestLineRange, r(6, 0, 6, 27));
      assert.deepEqual(a.urlLines, [
        { text: '{{base}}/wc/v3/products', range: r(6, 4, 6, 27) },
        { text: '?per_page=5', range: r(7, 4, 7, 15) },
      ]);
      assert.equal(a.url, '{{base}}/wc/v3/products?per_page=5');
      assert.deepEqual(a.headers, [{ name: 'Accept', value: 'application/json', range: r(8, 0, 8, 25), nameRange: r(8, 0, 8, 6), valueRange: r(8, 9, 8, 25) }]);
      assert.deepEqual(a.metadata.entries, [{ key: 'name', value: 'products', range: r(5, 0, 5, 16) }]);
      assert.deepEqual(b.range, r(11, 0, 15, 0));
      assert.deepEqual(b.requestLineRange, r(11, 2, 11, 27));
      assert.deepEqual(b.urlLines, [{ text: 'https://x/y', range: r(11, 7, 11, 18) }]);
      assert.equal(b.title, undefined);
      assert.equal(b.name, undefined);
      // Consecutive body lines are not kept one by one: textBodyLines makes them from the text.
      assert.deepEqual(b.body, { kind: 'text', text: '{"a": 1}', range: r(14, 0, 14, 8) });
      assert.deepEqual(b.body?.kind === 'text' && textBodyLines(b.body), [{ text: '{"a": 1}', range: r(14, 0, 14, 8) }]);
      assert.deepEqual(doc.problems, []);
    });

    it('requestAt: the block around the line; nothing on ### lines or request-less blocks', () => {
      const at = (line: number) => requestAt(doc, line)?.index;
      assert.equal(at(0), undefined); // variables-only block
      assert.equal(at(2), undefined);
      assert.equal(at(3), undefined); // ### line
      assert.equal(at(4), 0);
      assert.equal(at(9), 0);
      assert.equal(at(10), undefined);
      assert.equal(at(11), 1);
      assert.equal(at(15), 1);
      assert.equal(at(16), undefined);
      assert.equal(at(-1), undefined);
    });

    it('a document without ### is one block', () => {
      const d = parseHttpDocument('\n# c\nGET https://a\n\n');
      assert.equal(requestAt(d, 0)?.index, 0);
      assert.equal(requestAt(d, 4)?.index, 0);
    });

    it('CRLF: characters exclude the CR; a lone CR is not a line break', () => {
      const d = parseHttpDocument('GET https://a/b\r\nX-A: 1\r\n\r\nline1\rstill1\r\nline2\r\n');
      const req = d.requests[0];
      assert.deepEqual(req.requestLineRange, r(0, 0, 0, 15));
      assert.deepEqual(req.headers[0].valueRange, r(1, 5, 1, 6));
      assert.equal(req.body?.kind === 'text' && req.body.text, 'line1\rstill1\nline2');
      assert.equal(d.lineCount, 6);
    });
  });

  describe('request line', () => {
    it('URL only is GET; HTTP/x is split off; method case-insensitive and upper-cased', () => {
      assert.deepEqual([one('https://a/b HTTP/2').method, one('https://a/b HTTP/2').url, one('https://a/b HTTP/2').httpVersion], ['GET', 'https://a/b', 'HTTP/2']);
      assert.equal(one('delete https://a').method, 'DELETE');
      assert.equal(one('propfind https://a').method, 'PROPFIND');
      assert.equal(one('GET https://a/http/1 HTTP/1.1').url, 'https://a/http/1');
    });

    it('{{variable}} URLs and relative paths', () => {
      assert.equal(one('GET {{base}}/x').url, '{{base}}/x');
      assert.equal(one('POST /x').url, '/x');
      assert.equal(one('{{base}}/x').method, 'GET');
    });

    it('an unknown upper-case method before a URL is kept, with an info problem (REST Client would send GET)', () => {
      const d = parseHttpDocument('PURGE https://a/cache');
      assert.equal(d.requests[0].method, 'PURGE');
      assert.equal(d.requests[0].url, 'https://a/cache');
      assert.deepEqual(problemsOf(d), [['unknown-method', 'info', r(0, 0, 0, 5)]]);
      assert.equal(one('Purge https://a').url, 'Purge https://a'); // not upper case: REST Client's GET
    });

    it('a method with no URL is an error', () => {
      const d = parseHttpDocument('POST   ');
      assert.equal(d.requests[0].method, 'POST');
      assert.equal(d.requests[0].url, '');
      assert.deepEqual(problemsOf(d), [['missing-url', 'error', r(0, 0, 0, 4)]]);
    });

    it('HTTP/1.1 on the first of several query lines is taken, with a warning (REST Client loses the query)', () => {
      const d = parseHttpDocument('GET https://a/c HTTP/1.1\n  ?page=2\n  &size=10\n');
      assert.equal(d.requests[0].url, 'https://a/c?page=2&size=10');
      assert.equal(d.requests[0].httpVersion, 'HTTP/1.1');
      assert.deepEqual(problemsOf(d), [['http-version-position', 'warning', r(0, 0, 0, 24)]]);
    });

    it('comment lines between continuation lines are transparent', () => {
      assert.equal(one('GET https://a/c\n# note\n  ?x=1\n// more\n  &y=2\n').url, 'https://a/c?x=1&y=2');
    });

    it('GRAPHQL method makes a GraphQL body', () => {
      const req = one('GRAPHQL https://a/graphql\n\nquery Q { a }\n\n{"x": 1}\n');
      assert.equal(req.method, 'GRAPHQL');
      assert.deepEqual(req.body?.kind === 'graphql' && [req.body.query, req.body.variables, req.body.operationName], ['query Q { a }', '{"x": 1}', 'Q']);
    });
  });

  describe('structure before the request line', () => {
    it('metadata forms: # @k v, // @k v, #@k, ## @k, # @name = v, # @name=v, unknown keys kept', () => {
      const req = one('#@name a\n## @no-cookie-jar\n// @note be careful\n# @timeout 5 s\n# @Store  shop-2 \n# @noRedirect\nGET https://a\n');
      assert.equal(req.name, 'a');
      assert.equal(req.metadata.noCookieJar, true);
      assert.equal(req.metadata.noRedirect, true);
      assert.equal(req.metadata.note, 'be careful');
      assert.equal(req.metadata.timeout, '5 s');
      assert.equal(req.metadata.store, 'shop-2');
      assert.equal(one('# @name = x\nGET https://a').name, 'x');
      assert.equal(one('# @name=y\nGET https://a').name, 'y');
      assert.equal(one('# @prompt\nGET https://a').metadata.prompts.length, 0);
    });

    it('title: text after ###, else the first plain comment above the request line', () => {
      assert.equal(one('# Get the product\n# @name p\nGET https://a').title, 'Get the product');
      assert.equal(one('# Get the product\nGET https://a').name, undefined);
      const d = parseHttpDocument('####   Spaced title   \n# comment\nGET https://a');
      assert.equal(d.requests[0].title, 'Spaced title');
      assert.equal(d.requests[0].name, 'Spaced title');
    });

    it('variables before the request line are skipped; a pasted response is not a request', () => {
      const d = parseHttpDocument('@a = 1\n@b=2\nGET https://a/{{a}}\n###\n  HTTP/1.1 404 Not Found\n@c = 3\n');
      assert.equal(d.requests.length, 1);
      assert.deepEqual(d.fileVariables.map((v) => v.name), ['a', 'b', 'c']);
    });

    it('metadata after the request line has no effect and is reported', () => {
      const d = parseHttpDocument('GET https://a\n# @name late\nAccept: x\n');
      assert.equal(d.requests[0].name, undefined);
      assert.deepEqual(problemsOf(d), [['metadata-after-request-line', 'warning', r(1, 0, 1, 12)]]);
    });

    it('an indented ### is a comment, with a warning', () => {
      const d = parseHttpDocument('GET https://a\n\n  ### not a separator\nGET https://b\n');
      assert.equal(d.requests.length, 1);
      assert.deepEqual(problemsOf(d), [
        ['indented-delimiter', 'warning', r(2, 2, 2, 21)],
        ['request-line-in-body', 'warning', r(3, 0, 3, 13)],
      ]);
    });

    it('JetBrains pre-request script (inline and file) and httpYac {{ }} script', () => {
      const req = one('< ./pre.js\n< {% request.variables.set("a", "1") %}\n{{\n  exports.b = 2;\n}}\nGET https://a\n');
      assert.deepEqual(req.scripts.map((s) => [s.when, s.flavor, s.file, s.source, s.range]), [
        ['pre-request', 'jetbrains', './pre.js', undefined, r(0, 0, 0, 10)],
        ['pre-request', 'jetbrains', undefined, 'request.variables.set("a", "1")', r(1, 0, 1, 39)],
        ['pre-request', 'httpyac', undefined, '  exports.b = 2;', r(2, 0, 4, 2)],
      ]);
      assert.equal(req.url, 'https://a');
    });

    it('an unterminated script is an error and swallows the rest of the block', () => {
      const d = parseHttpDocument('< {%\n  x();\nGET https://a\n###\nGET https://b\n');
      assert.deepEqual(d.requests.map((q) => q.url), ['https://b']);
      assert.deepEqual(problemsOf(d), [['unterminated-script', 'error', r(0, 0, 0, 4)]]);
    });

    it('duplicate names are reported on the second @name', () => {
      const d = parseHttpDocument('# @name a\nGET https://a\n###\n# @name a\nGET https://b\n');
      assert.deepEqual(problemsOf(d), [['duplicate-name', 'warning', r(3, 0, 3, 9)]]);
      assert.deepEqual(parseHttpDocument('### Create\nPOST https://a\n### Create\nPOST https://b\n').problems, []);
    });
  });

  describe('headers', () => {
    it('split at the first colon, trimmed; duplicates kept in order', () => {
      const req = one('GET https://a\nX-Url: https://b:8080/x\n  Spaced :  v  \nX-Url: 2\n');
      assert.deepEqual(headerPairs(req), [
        ['X-Url', 'https://b:8080/x'],
        ['Spaced', 'v'],
        ['X-Url', '2'],
      ]);
    });

    it('a line without a colon: empty value and a warning; a JSON line means a missing blank line (P10)', () => {
      const d = parseHttpDocument('POST https://a\nX-Flag\n{"a": 1}\n');
      assert.deepEqual(headerPairs(d.requests[0]), [
        ['X-Flag', ''],
        ['{"a"', '1}'],
      ]);
      assert.deepEqual(problemsOf(d), [
        ['header-without-colon', 'warning', r(1, 0, 1, 6)],
        ['missing-blank-line', 'warning', r(2, 0, 2, 8)],
      ]);
    });

    it('a request line among the headers is reported (forgotten ###)', () => {
      const d = parseHttpDocument('GET https://a\nAccept: x\nGET https://b\n');
      assert.deepEqual(problemsOf(d).map((p) => p[0]), ['request-line-in-headers']);
    });

    it('a variable definition after the request line is not a header', () => {
      const d = parseHttpDocument('GET https://a\n@x = 1\nAccept: y\n');
      assert.deepEqual(headerPairs(d.requests[0]), [['Accept', 'y']]);
      assert.deepEqual(d.fileVariables.map((v) => v.name), ['x']);
      assert.deepEqual(problemsOf(d), [['variable-in-request', 'warning', r(1, 0, 1, 6)]]);
    });
  });

  describe('body', () => {
    it('verbatim after the blank line: indentation kept, comments removed, trailing blanks trimmed', () => {
      const req = one('POST https://a\n\n  indented\n# gone\n\n  tail  \n\n# trailing comment\n\n');
      assert.equal(req.body?.kind === 'text' && req.body.text, '  indented\n\n  tail  ');
    });

    it('a text body\'s lines and their variables sit where the document has them, whether or not comment lines were removed and in LF or CRLF', () => {
      for (const eol of ['\n', '\r\n']) {
        const whole = one(['POST https://a', '', '{', '  "sku": "{{sku}}-{{ n }}",', '  "x": 1', '}', ''].join(eol));
        const gapped = one(['POST https://a', '', '{', '# removed', '  "sku": "{{sku}}-{{ n }}",', '  "x": 1', '}', ''].join(eol));
        for (const [req, skip] of [[whole, 0], [gapped, 1]] as const) {
          const body = req.body;
          assert.ok(body?.kind === 'text');
          assert.equal(body.text, '{\n  "sku": "{{sku}}-{{ n }}",\n  "x": 1\n}');
          assert.equal(body.lines === undefined, skip === 0, 'lines are kept only when comment lines were removed');
          assert.deepEqual(textBodyLines(body).map((l) => [l.text, l.range]), [
            ['{', r(2, 0, 2, 1)],
            ['  "sku": "{{sku}}-{{ n }}",', r(3 + skip, 0, 3 + skip, 27)],
            ['  "x": 1', r(4 + skip, 0, 4 + skip, 8)],
            ['}', r(5 + skip, 0, 5 + skip, 1)],
          ]);
          assert.deepEqual(requestVariableReferences(req), [
            { name: 'sku', range: r(3 + skip, 10, 3 + skip, 17) },
            { name: 'n', range: r(3 + skip, 18, 3 + skip, 25) },
          ]);
        }
      }
    });

    it('`< file` at column 0 only; <@ without encoding; an indented < is text', () => {
      assert.deepEqual(one('POST https://a\n\n<@ ./x.json\n').body, { kind: 'file', path: './x.json', processVariables: true, range: r(2, 0, 2, 11) });
      assert.equal(one('POST https://a\n\n  < ./x.json\n').body?.kind, 'text');
      assert.equal(one('POST https://a\n\n<./x.json\n').body?.kind, 'text');
    });

    it('inline lines and file lines together make a mixed body', () => {
      const req = one('POST https://a\n\n[\n<@utf16le ./item.json\n]\n');
      assert.equal(req.body?.kind, 'mixed');
      if (req.body?.kind !== 'mixed') return;
      assert.deepEqual(req.body.lines.map((l) => (l.kind === 'file' ? [l.path, l.processVariables, l.encoding] : l.text)), ['[', ['./item.json', true, 'utf16le'], ']']);
    });

    it('a variable definition in the body stays body text and is defined for the file (P16)', () => {
      const d = parseHttpDocument('POST https://a\n\nline\n@late = 1\n');
      assert.equal(d.requests[0].body?.kind === 'text' && d.requests[0].body.text, 'line\n@late = 1');
      assert.deepEqual(d.fileVariables.map((v) => [v.name, v.value]), [['late', '1']]);
      assert.deepEqual(problemsOf(d), [['variable-in-request', 'warning', r(3, 0, 3, 9)]]);
    });

    it('multipart without boundary, and without its closing line, are reported', () => {
      const a = parseHttpDocument('POST https://a\nContent-Type: multipart/form-data\n\n--x\n\nv\n');
      assert.deepEqual(problemsOf(a), [['multipart-no-boundary', 'warning', r(1, 0, 1, 33)]]);
      const b = parseHttpDocument('POST https://a\nContent-Type: multipart/form-data; boundary="x y"\n\n--x y\nContent-Disposition: form-data; name=a\n\nv\n');
      assert.deepEqual(problemsOf(b), [['multipart-unterminated', 'warning', r(6, 0, 6, 1)]]);
      const body = b.requests[0].body;
      assert.deepEqual(body?.kind === 'multipart' && [body.boundary, body.parts.map((p) => [p.name, p.headers.length, p.lines.length])], ['x y', [['a', 1, 1]]]);
    });
  });

  describe('after the body', () => {
    it('response handler file, single-line handler, redirect (>>!), response refs, assertions', () => {
      const req = one('GET https://a\n\nbody\n\n> ./check.js\n> {% client.log(1) %}\n>>! ./out.json\n<> ./a.json\n<> ./b.json\n?? status == 200\n');
      assert.equal(req.body?.kind === 'text' && req.body.text, 'body');
      assert.deepEqual(req.scripts.map((s) => [s.when, s.file, s.source]), [
        ['response', './check.js', undefined],
        ['response', undefined, 'client.log(1)'],
      ]);
      assert.deepEqual(req.outputRedirect, { path: './out.json', overwrite: true, range: r(6, 0, 6, 14) });
      assert.deepEqual(req.responseRefs.map((x) => x.path), ['./a.json', './b.json']);
      assert.deepEqual(req.assertions, [{ text: 'status == 200', range: r(9, 0, 9, 16) }]);
    });

    it('a section can follow the headers directly', () => {
      const req = one('GET https://a\nAccept: x\n> {%\n  client.log(2);\n%}\n');
      assert.deepEqual(headerPairs(req), [['Accept', 'x']]);
      assert.equal(req.body, undefined);
      assert.equal(req.scripts[0].source, '  client.log(2);');
    });

    it('text after a handler is ignored with one warning; an unterminated handler is an error', () => {
      const d = parseHttpDocument('GET https://a\n\n> {% x %}\nstray 1\nstray 2\n###\nGET https://b\n\n> {%\nnever closed\n');
      assert.deepEqual(problemsOf(d), [
        ['text-after-response-handler', 'warning', r(3, 0, 4, 7)],
        ['unterminated-script', 'error', r(8, 0, 8, 4)],
      ]);
      assert.equal(d.requests.length, 2);
    });

    it('a markdown-style quote line is body text, not a handler', () => {
      assert.equal(one('POST https://a\n\n> quoted text\n').body?.kind === 'text', true);
    });
  });

  describe('cURL blocks', () => {
    const curl = (text: string) => {
      const d = parseHttpDocument(text);
      assert.equal(d.requests.length, 1);
      return { req: d.requests[0], doc: d };
    };

    it('-XPOST, clustered flags, --data-urlencode, -b, -A, --oauth2-bearer', () => {
      const { req, doc } = curl(`curl -sSL -XPOST "https://a/b?q=1" --data-urlencode 'q=a b&c' -b 'a=1; b=2' -A agent/1 --oauth2-bearer tok`);
      assert.equal(req.method, 'POST');
      assert.equal(req.url, 'https://a/b?q=1');
      assert.deepEqual(headerPairs(req), [
        ['Cookie', 'a=1; b=2'],
        ['User-Agent', 'agent/1'],
        ['Authorization', 'Bearer tok'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ]);
      assert.equal(req.body?.kind === 'text' && req.body.text, 'q=a%20b%26c');
      assert.equal(req.applyDefaultHeaders, false);
      assert.deepEqual(doc.problems, []);
    });

    it('-d twice joins with &, -d @file is a file body, -G moves data to the query, -I is HEAD, --json', () => {
      const joined = curl(`curl https://a -d a=1 -d b=2`).req;
      assert.equal(joined.body?.kind === 'text' && joined.body.text, 'a=1&b=2');
      assert.deepEqual(curl(`curl https://a --data-binary @./in.json -H 'Content-Type: application/json'`).req.body?.kind, 'file');
      const g = curl(`curl -G https://a/s?x=1 -d q=2`).req;
      assert.deepEqual([g.method, g.url, g.body], ['GET', 'https://a/s?x=1&q=2', undefined]);
      assert.equal(curl('curl -I https://a').req.method, 'HEAD');
      const j = curl(`curl --json '{"a":1}' https://a`).req;
      assert.deepEqual([j.method, headerPairs(j)], ['POST', [['Content-Type', 'application/json'], ['Accept', 'application/json']]]);
    });

    it('quotes keep inner whitespace (REST Client collapses it, P27); $"…" and escapes', () => {
      const req = curl(`curl https://a -H "X-A: two  spaces" -d $'line1\\nline2' -d "say \\"hi\\""`).req;
      assert.deepEqual(headerPairs(req)[0], ['X-A', 'two  spaces']);
      assert.equal(req.body?.kind === 'text' && req.body.text, 'line1\nline2&say "hi"');
    });

    it('-u with variables keeps the Basic u:p shorthand for the auth step', () => {
      assert.deepEqual(headerPairs(curl('curl -u {{user}}:{{pass}} https://a').req), [['Authorization', 'Basic {{user}}:{{pass}}']]);
      assert.deepEqual(headerPairs(curl('curl -u ck_1 https://a').req), [['Authorization', 'Basic Y2tfMTo=']]);
    });

    it('unknown options, unterminated quotes and a missing URL are problems, not exceptions', () => {
      const a = curl(`curl --frobnicate https://a`);
      assert.deepEqual(problemsOf(a.doc), [['curl-unsupported-option', 'info', r(0, 5, 0, 17)]]);
      assert.equal(a.req.url, 'https://a');
      const b = curl(`curl https://a -d 'open`);
      assert.deepEqual(problemsOf(b.doc).map((p) => p[0]), ['curl-unterminated-quote']);
      assert.equal(b.req.body?.kind === 'text' && b.req.body.text, 'open');
      const c = curl('curl -X POST');
      assert.deepEqual(problemsOf(c.doc).map((p) => p[0]), ['curl-no-url']);
      assert.deepEqual(problemsOf(curl('curl https://a -F a=@x').doc).map((p) => p[0]), ['curl-unsupported-option']);
    });

    it('curl.example.com is a URL, not a curl command (P27)', () => {
      const req = one('curl.example.com/x');
      assert.equal(req.curl, undefined);
      assert.equal(req.url, 'curl.example.com/x');
    });

    it('a handler after a curl command is a section, not an argument', () => {
      const req = curl('curl https://a\n\n> {% client.log(1) %}\n').req;
      assert.equal(req.url, 'https://a');
      assert.equal(req.scripts.length, 1);
    });
  });

  describe('Markdown', () => {
    it('every ```http / ```rest fence is one request; ### inside a fence is a comment; text outside is ignored', () => {
      const md = '# Title\n\nGET https://not-a-request\n\n```http\n### one\nGET https://a\n```\n\n```rest\nPOST https://b\n\nx\n```\n```js\nGET https://c\n```\n';
      const d = parseHttpDocument(md, { languageId: 'markdown' });
      assert.deepEqual(d.requests.map((q) => [q.method, q.url, q.range.start.line, q.range.end.line]), [
        ['GET', 'https://a', 4, 7],
        ['POST', 'https://b', 9, 13],
      ]);
      assert.equal(requestAt(d, 4)?.url, 'https://a');
      assert.equal(requestAt(d, 2), undefined);
      assert.equal(requestAt(d, 8), undefined);
      assert.deepEqual(d.problems, []);
    });

    it('an unclosed fence is reported and not run', () => {
      const d = parseHttpDocument('```http\nGET https://a\n', { languageId: 'markdown' });
      assert.deepEqual(d.requests, []);
      assert.deepEqual(problemsOf(d), [['unterminated-fence', 'warning', r(0, 0, 0, 7)]]);
    });
  });

  describe('totality', () => {
    const nasty = [
      '', '\n', '\r\n', '\r', '###', '####\n###', '#', '//', '@', '@=', '@ = x', '# @', '# @=', '# @prompt', '< {%', '> {%', '{{', '}}', '{{\n',
      'curl', "curl '", 'curl "\\', 'curl -X', 'curl -H', 'curl \\', 'GET', 'GET ', ' GET https://a HTTP/', 'HTTP/1.1', '?', '&', '/',
      'POST https://a\nContent-Type: multipart/form-data; boundary=\n\n--\n--', 'POST https://a\nX-Request-Type: graphql\n\n\n\n',
      'GRAPHQL x\n\n', '\u0000\u0001\uFFFF', '\uD800', '<>', '>>', '??', '>> ', '<@', '<@ ', '< ', 'a'.repeat(100000), '{{'.repeat(20000), ' '.repeat(50000) + 'HTTP/x',
    ];

    for (const [i, text] of nasty.entries()) {
      it(`never throws on hostile input #${i}`, () => {
        for (const languageId of ['http', 'markdown'] as const) {
          const doc = parseHttpDocument(text, { languageId });
          checkInvariants(text, doc);
          for (const req of doc.requests) resolveRequest(doc, req, {});
        }
      });
    }

    it('fuzz: random line soup with a fixed seed parses, resolves and keeps every range inside the document', () => {
      const fragments = [
        '', '   ', '###', '### t', '  ###', '# c', '// c', '# @name n', '# @name = n', '# @prompt p d', '# @no-redirect', '# @store s', '@v = {{v}}', '@w = {{$guid}}',
        'GET https://a/{{v}}', 'post /x HTTP/1.1', '  ?a=1', '&b=2', '  /p', 'Host: h:8443', 'Content-Type: multipart/form-data; boundary=b',
        'Content-Type: application/x-www-form-urlencoded', 'X-Request-Type: GraphQL', 'Accept', '{"a": {{w}}}', '< ./f', '<@latin1 ./f', '--b', '--b--',
        '> {%', '%}', '> ./h.js', '>> o', '<> r', '?? status == 200', '{{', '}}', '< {%', 'curl -X POST https://c -d x', "curl 'q", '\\',
        'HTTP/1.1 200 OK', '```http', '```rest', '```', '{{$randomInt 1}}', '{{n.response.body.$.a}}', '{{%v}}', 'query Q { a }',
        '@v = \uD800', '{{$datetime iso8601 999999999 y}}', '{{$store.url}}', '{{$processEnv %v}}',
      ];
      const random = seeded(20240601);
      for (let n = 0; n < 400; n++) {
        const count = 1 + Math.floor(random() * 40);
        const lines: string[] = [];
        for (let k = 0; k < count; k++) lines.push(fragments[Math.floor(random() * fragments.length)]);
        const text = lines.join(random() < 0.2 ? '\r\n' : '\n');
        for (const languageId of ['http', 'markdown'] as const) {
          const doc = parseHttpDocument(text, { languageId });
          checkInvariants(text, doc);
          for (const req of doc.requests) {
            const out = resolveRequest(doc, req, { environment: { v: '1' }, random, now: () => new Date(0) });
            for (const p of out.problems) checkRange(doc, p.range, text);
          }
        }
      }
    });

    it('a 10,000-request document parses completely', () => {
      const parts: string[] = ['@store = big-shop', '@base = {{$store.url}}/wp-json/wc/v3', ''];
      for (let i = 0; i < 10000; i++) {
        parts.push(`### product ${i}`, `# @name p${i}`, `POST {{base}}/products?i=${i}`, 'Content-Type: application/json', '', `{"name": "Product ${i}", "regular_price": "${i}.00"}`, '');
      }
      const text = parts.join('\n');
      assert.ok(text.length > 500000);
      const doc = parseHttpDocument(text);
      assert.equal(doc.requests.length, 10000);
      assert.equal(doc.requests[9999].name, 'p9999');
      assert.equal(doc.requests[9999].index, 9999);
      assert.equal(doc.fileStore, 'big-shop');
      assert.deepEqual(doc.problems, []);
      assert.equal(requestAt(doc, doc.requests[5000].requestLineRange.start.line)?.name, 'p5000');
    });
  });
});

function checkRange(doc: ParsedDocument, range: Range, text: string): void {
  const lines = text.split(/\r?\n/);
  assert.ok(range.start.line >= 0 && range.end.line < Math.max(1, doc.lineCount), `range ${JSON.stringify(range)} outside ${doc.lineCount} lines`);
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `inverted ${JSON.stringify(range)}`);
  assert.ok(range.start.character >= 0 && range.start.character <= lines[range.start.line].length, `start char ${JSON.stringify(range)}`);
  assert.ok(range.end.character <= lines[range.end.line].length, `end char ${JSON.stringify(range)}`);
}

function checkInvariants(text: string, doc: ParsedDocument): void {
  assert.equal(doc.lineCount, text.split(/\r?\n/).length);
  let previousEnd = -1;
  doc.requests.forEach((req, i) => {
    assert.equal(req.index, i);
    assert.ok(req.range.start.line > previousEnd, 'requests are ordered and do not overlap');
    previousEnd = req.range.end.line;
    for (const range of [req.range, req.requestLineRange, ...req.headers.flatMap((h) => [h.range, h.nameRange, h.valueRange]), ...req.urlLines.map((u) => u.range)]) checkRange(doc, range, text);
    if (req.body) checkRange(doc, req.body.range, text);
    assert.ok(req.requestLineRange.start.line >= req.range.start.line && req.requestLineRange.end.line <= req.range.end.line);
    // Each text is what its range covers in the document: the lines a block is parsed from are
    // the document's own lines (a `.http` file cuts them out block by block).
    const lines = text.split(/\r?\n/);
    const at = (range: Range) => (range.start.line === range.end.line ? lines[range.start.line].slice(range.start.character, range.end.character) : undefined);
    if (!req.curl) {
      for (const h of req.headers) {
        assert.equal(at(h.nameRange), h.name, `header name at ${JSON.stringify(h.nameRange)}`);
        assert.equal(at(h.valueRange), h.value, `header value at ${JSON.stringify(h.valueRange)}`);
      }
      for (const u of req.urlLines) assert.equal(at(u.range), u.text, `URL line at ${JSON.stringify(u.range)}`);
    }
    if (req.delimiterRange) {
      const d = lines[req.delimiterRange.start.line];
      assert.ok(d.startsWith('###') && req.delimiterRange.end.character === d.length, `delimiter at ${JSON.stringify(req.delimiterRange)}`);
    }
  });
  for (const v of doc.fileVariables) for (const range of [v.range, v.nameRange, v.valueRange]) checkRange(doc, range, text);
  for (const p of doc.problems as Problem[]) checkRange(doc, p.range, text);
}
