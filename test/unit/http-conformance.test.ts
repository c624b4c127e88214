// SPEC §8 conformance cases (docs/http-format.md), one `it` per case, expected values
// written out as literals. Where the tools disagree the case follows §9's recommendation; where §9
// is silent, REST Client (the spec's base). Cases about things outside src/core/http (Authorization
// shorthands, running scripts, httpYac JavaScript) assert what the parser and resolver hand on.

import * as assert from 'node:assert/strict';
import { parseHttpDocument } from '../../src/core/http/parse';
import { jetbrainsEnvironment, restClientEnvironment } from '../../src/core/http/environments';
import { resolveRequest, substituteFileBody, type NamedExchange, type VariableContext } from '../../src/core/http/variables';
import type { ParsedDocument, Problem, RequestTemplate } from '../../src/core/http/types';

// ── the §8 fixtures
const SETTINGS = {
  $shared: { version: 'v1', prodToken: 'foo', nonProdToken: 'bar' },
  local: { version: 'v2', host: 'localhost:3000', token: '{{$shared nonProdToken}}', secretKey: 'DEVSECRET' },
};
const NAMED = new Map<string, NamedExchange>([
  [
    'login',
    {
      request: { url: 'https://example.com/api/login', headers: {} },
      response: { status: 200, headers: { 'Content-Type': 'application/json', 'X-AuthToken': 'tok-123' }, body: '{"token":"jwt-abc","user":{"id":42}}' },
    },
  ],
  [
    'getReplies',
    {
      request: { url: 'https://example.com/replies', headers: {} },
      response: { status: 200, headers: { 'Content-Type': 'application/xml' }, body: '<replies><reply id="r1"><text>hi</text></reply><reply id="r2"/></replies>' },
    },
  ],
]);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function context(extra: Partial<VariableContext> = {}): VariableContext {
  return {
    environment: restClientEnvironment(SETTINGS, 'local'),
    processEnv: { USERNAME: 'alice', DEVSECRET: 's3cr3t' },
    dotenv: (name) => ({ API_KEY: 'abc123' } as Record<string, string>)[name],
    namedResponses: NAMED,
    now: () => new Date('2024-01-01T00:00:00.000Z'),
    random: seeded(7),
    utcOffsetMinutes: 480,
    ...extra,
  };
}

function only(text: string, languageId: 'http' | 'markdown' = 'http'): { doc: ParsedDocument; req: RequestTemplate } {
  const doc = parseHttpDocument(text, { languageId });
  assert.equal(doc.requests.length, 1, `expected one request, got ${doc.requests.length}`);
  return { doc, req: doc.requests[0] };
}

function resolved(text: string, extra: Partial<VariableContext> = {}) {
  const { doc, req } = only(text);
  const out = resolveRequest(doc, req, context(extra));
  return { doc, req, ...out };
}

const headerPairs = (req: RequestTemplate) => req.headers.map((h) => [h.name, h.value]);
const codes = (problems: Problem[]) => problems.map((p) => p.code);

describe('http conformance (SPEC §8)', () => {
  it('C01 URL only', () => {
    const { doc, req, request, problems } = resolved('https://example.com/comments/1');
    assert.equal(req.method, 'GET');
    assert.equal(req.url, 'https://example.com/comments/1');
    assert.deepEqual(req.headers, []);
    assert.equal(req.body, undefined);
    assert.equal(req.name, undefined);
    assert.deepEqual(doc.fileVariables, []);
    assert.deepEqual(doc.problems, []);
    assert.equal(request.url, 'https://example.com/comments/1');
    assert.deepEqual(problems, []);
  });

  it('C02 full request line, headers, JSON body', () => {
    const { req, request } = resolved(
      'POST https://example.com/comments HTTP/1.1\ncontent-type: application/json\n\n{\n    "name": "sample",\n    "time": "Wed, 21 Oct 2015 18:27:50 GMT"\n}\n',
    );
    assert.equal(req.method, 'POST');
    assert.equal(req.url, 'https://example.com/comments');
    assert.equal(req.httpVersion, 'HTTP/1.1');
    assert.deepEqual(headerPairs(req), [['content-type', 'application/json']]);
    assert.equal(req.body?.kind, 'text');
    assert.equal(request.body, '{\n    "name": "sample",\n    "time": "Wed, 21 Oct 2015 18:27:50 GMT"\n}');
    assert.equal(req.name, undefined);
  });

  it('C03 method case: patch is PATCH', () => {
    const { req, request } = resolved('patch https://example.com/a');
    assert.equal(req.method, 'PATCH');
    assert.equal(req.url, 'https://example.com/a');
    assert.equal(request.method, 'PATCH');
  });

  it('C04 multi-line query', () => {
    const { req, request, doc } = resolved('GET https://example.com/comments\n    ?page=2\n    &pageSize=10\n');
    assert.equal(req.url, 'https://example.com/comments?page=2&pageSize=10');
    assert.deepEqual(req.headers, []);
    assert.equal(req.body, undefined);
    assert.equal(request.url, 'https://example.com/comments?page=2&pageSize=10');
    assert.deepEqual(doc.problems, []);
  });

  it('C06 version after the last continuation line', () => {
    const { req, doc } = resolved('GET https://example.com/comments\n    ?page=2\n    &pageSize=10 HTTP/1.1\n');
    assert.equal(req.url, 'https://example.com/comments?page=2&pageSize=10');
    assert.equal(req.httpVersion, 'HTTP/1.1');
    assert.deepEqual(doc.problems, []);
  });

  it('C07 JetBrains path continuation (§9: supported)', () => {
    const { req, request } = resolved('GET https://example.com:8080\n    /api\n    /html\n    /get\n    ?id=123\n    &value=content\n');
    assert.equal(req.url, 'https://example.com:8080/api/html/get?id=123&value=content');
    assert.deepEqual(req.headers, []);
    assert.equal(request.url, 'https://example.com:8080/api/html/get?id=123&value=content');
  });

  it('C08 duplicate headers: kept in order when parsed, merged with , and ; when resolved', () => {
    const { req, request } = resolved('GET https://example.com/data\nAccept: application/json\naccept: text/plain\nCookie: a=1\nCookie: b=2\n');
    assert.deepEqual(headerPairs(req), [
      ['Accept', 'application/json'],
      ['accept', 'text/plain'],
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
    ]);
    assert.deepEqual(request.headers, [
      ['Accept', 'application/json,text/plain'],
      ['Cookie', 'a=1;b=2'],
    ]);
  });

  it('C09 no headers, body after the blank line', () => {
    const { req, request } = resolved('POST https://example.com/echo\n\n{"a":1}\n');
    assert.equal(req.method, 'POST');
    assert.deepEqual(req.headers, []);
    assert.equal(request.body, '{"a":1}');
  });

  it('C11 extra leading blank line kept, trailing ones trimmed (REST Client; §9 is silent)', () => {
    const { request } = resolved('POST https://example.com/echo\nContent-Type: text/plain\n\n\nhello\n\n');
    assert.equal(request.body, '\nhello');
  });

  it('C12 comment lines inside the body are removed, trailing comments kept', () => {
    const { request } = resolved(
      'POST https://example.com/echo\nContent-Type: application/json\n\n{\n  # "ignore": "this",\n  // "also": "ignored",\n  "some": "thing" // trailing comment is NOT removed\n}\n',
    );
    assert.equal(request.body, '{\n  "some": "thing" // trailing comment is NOT removed\n}');
  });

  it('C14 body from a file, no substitution', () => {
    const { req, request } = resolved('POST https://example.com/comments HTTP/1.1\nContent-Type: application/xml\nAuthorization: token xxx\n\n< ./demo.xml\n');
    assert.deepEqual(headerPairs(req), [
      ['Content-Type', 'application/xml'],
      ['Authorization', 'token xxx'],
    ]);
    assert.deepEqual(req.body, { kind: 'file', path: './demo.xml', processVariables: false, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 12 } } });
    assert.deepEqual(request.body, { file: './demo.xml', processVariables: false });
    assert.deepEqual(request.headers, [
      ['Content-Type', 'application/xml'],
      ['Authorization', 'token xxx'],
    ]);
  });

  it('C15 body from a file with variables and latin1 encoding', () => {
    const { doc, req, request } = resolved('POST https://example.com/comments\nContent-Type: application/xml\n\n<@latin1 ./demo.xml\n');
    assert.deepEqual(request.body, { file: './demo.xml', processVariables: true, encoding: 'latin1' });
    // the sender reads demo.xml as latin1, then substitutes:
    const { text, problems } = substituteFileBody(doc, req, '<a>{{host}}</a>', context());
    assert.equal(text, '<a>localhost:3000</a>');
    assert.deepEqual(problems, []);
  });

  it('C17 multi-line form body, automatic encoding', () => {
    const { request } = resolved('POST https://api.example.com/login HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nname=foo\n&password=b@r baz\n');
    assert.equal(request.body, 'name=foo&password=b@r%20baz');
  });

  it('C18 multipart: inline part and file part, CRLF after every line', () => {
    const B = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
    const { req, request } = resolved(
      [
        'POST https://api.example.com/user/upload',
        `Content-Type: multipart/form-data; boundary=${B}`,
        '',
        `--${B}`,
        'Content-Disposition: form-data; name="text"',
        '',
        'title',
        `--${B}`,
        'Content-Disposition: form-data; name="image"; filename="1.png"',
        'Content-Type: image/png',
        '',
        '< ./1.png',
        `--${B}--`,
      ].join('\n'),
    );
    assert.deepEqual(headerPairs(req), [['Content-Type', `multipart/form-data; boundary=${B}`]]);
    assert.equal(req.body?.kind, 'multipart');
    if (req.body?.kind !== 'multipart') return;
    assert.equal(req.body.boundary, B);
    assert.deepEqual(req.body.parts.map((p) => [p.name, p.filename, p.lines.map((l) => (l.kind === 'file' ? `<${l.path}` : l.text))]), [
      ['text', undefined, ['title']],
      ['image', '1.png', ['<./1.png']],
    ]);
    assert.deepEqual(request.body, {
      parts: [
        {
          text:
            `--${B}\r\nContent-Disposition: form-data; name="text"\r\n\r\ntitle\r\n` +
            `--${B}\r\nContent-Disposition: form-data; name="image"; filename="1.png"\r\nContent-Type: image/png\r\n\r\n`,
        },
        { file: './1.png', processVariables: false, range: { start: { line: 11, character: 0 }, end: { line: 11, character: 9 } } },
        { text: `\r\n--${B}--\r\n` },
      ],
    });
  });

  it('C20 GraphQL operationName; mutation has none; header value in any case', () => {
    const { req, request } = resolved(
      'POST https://example.com/graphql\nContent-Type: application/json\nX-Request-Type: graphql\n\nquery GetRepo($n: String!) { repository(name: $n) { name } }\n',
    );
    assert.equal(req.body?.kind, 'graphql');
    assert.equal(request.body, '{"query":"query GetRepo($n: String!) { repository(name: $n) { name } }","operationName":"GetRepo","variables":{}}');
    assert.deepEqual(request.headers, [['Content-Type', 'application/json']]); // X-Request-Type removed, no Content-Type added
    const mutation = resolved('POST https://example.com/graphql\nContent-Type: application/json\nX-Request-Type: GraphQL\n\nmutation AddStar { addStar { id } }\n');
    assert.equal(mutation.request.body, '{"query":"mutation AddStar { addStar { id } }","variables":{}}');
  });

  it('C21 cURL command', () => {
    const { req, request } = resolved(`curl -X POST https://api.example.com/items -H 'Content-Type: application/json' -d '{"a": 1}'`, {
      defaultHeaders: { 'User-Agent': 'vscode-restclient' },
    });
    assert.equal(req.curl, true);
    assert.equal(req.method, 'POST');
    assert.equal(req.url, 'https://api.example.com/items');
    assert.deepEqual(headerPairs(req), [['Content-Type', 'application/json']]);
    assert.equal(request.body, '{"a": 1}');
    assert.deepEqual(request.headers, [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'vscode-restclient'],
    ]);
  });

  it('C22 cURL with continuations, --url and -u, no -H: no default headers', () => {
    const { req, request, doc } = resolved("curl --request GET \\\n  --url 'https://api.example.com/me?x=1' \\\n  -u alice:s3cret\n", {
      defaultHeaders: { 'User-Agent': 'vscode-restclient' },
    });
    assert.equal(req.method, 'GET');
    assert.equal(req.url, 'https://api.example.com/me?x=1');
    assert.deepEqual(request.headers, [['Authorization', 'Basic YWxpY2U6czNjcmV0']]);
    assert.equal(request.body, undefined);
    assert.deepEqual(doc.problems, []);
  });

  it('C23 named request with metadata', () => {
    const { req, request } = resolved(
      '# @name login\n# @no-redirect\n// @note\nPOST https://example.com/api/login HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nname=foo&password=bar\n',
    );
    assert.equal(req.name, 'login');
    assert.deepEqual(Object.fromEntries(req.metadata.entries.map((e) => [e.key, e.value ?? true])), { name: 'login', 'no-redirect': true, note: true });
    assert.equal(req.metadata.noRedirect, true);
    assert.equal(req.metadata.note, '');
    assert.equal(request.noRedirect, true);
    assert.equal(request.name, 'login');
    assert.equal(request.body, 'name=foo&password=bar');
  });

  it('C25 JetBrains naming forms: # @name = login wins over the ### title', () => {
    const doc = parseHttpDocument('### Login\n# @name = login\nGET https://example.com/me\n');
    assert.equal(doc.requests.length, 1);
    assert.equal(doc.requests[0].name, 'login');
    assert.equal(doc.requests[0].title, 'Login');
    const titled = parseHttpDocument('### Login\nGET https://example.com/me\n');
    assert.equal(titled.requests[0].name, 'Login');
  });

  it('C26 prompt variables', () => {
    const text =
      '# @prompt username\n# @prompt refCode Your reference code display on webpage\n# @prompt password\nPOST https://example.com/verify-otp/{{refCode}} HTTP/1.1\nContent-Type: application/json\n\n{"username": "{{username}}", "password": "{{password}}"}\n';
    const { req, request, problems } = resolved(text, { prompts: { username: 'u1', refCode: 'R9', password: 'pw' } });
    assert.deepEqual(req.metadata.prompts.map((p) => [p.name, p.description]), [
      ['username', undefined],
      ['refCode', 'Your reference code display on webpage'],
      ['password', undefined],
    ]);
    assert.equal(request.url, 'https://example.com/verify-otp/R9');
    assert.equal(request.body, '{"username": "u1", "password": "pw"}');
    assert.deepEqual(request.secrets, ['pw']); // "password" is a masked prompt
    assert.deepEqual(problems, []);
  });

  it('C28 percent-encoded file variable', () => {
    const { request, problems } = resolved('@name = Strunk & White\nGET https://example.com/authors/{{%name}}\n');
    assert.equal(request.url, 'https://example.com/authors/Strunk%20%26%20White');
    assert.deepEqual(problems, []);
  });

  it('C29 environment with $shared', () => {
    const { request, problems } = resolved('GET https://{{host}}/api/{{version}}/comments/1 HTTP/1.1\nAuthorization: {{token}}\n');
    assert.equal(request.url, 'https://localhost:3000/api/v2/comments/1');
    assert.deepEqual(request.headers, [['Authorization', 'bar']]);
    assert.deepEqual(problems, []);
  });

  it('C31 request variable via XPath', () => {
    const { request, problems } = resolved('GET https://example.com/comments/{{getReplies.response.body.//reply[1]/@id}}?t={{getReplies.response.body.//reply[1]/text}}\n');
    assert.equal(request.url, 'https://example.com/comments/r1?t=hi');
    assert.deepEqual(problems, []);
  });

  it('C32 system variables', () => {
    const text = [
      'POST https://api.example.com/comments HTTP/1.1',
      'Content-Type: application/json',
      'Date: {{$datetime rfc1123}}',
      '',
      '{',
      '  "request_id": "{{$guid}}",',
      '  "updated_at": "{{$timestamp}}",',
      '  "created_at": "{{$timestamp -1 d}}",',
      '  "review_count": "{{$randomInt 5 200}}",',
      `  "custom_date": "{{$datetime 'YYYY-MM-DD'}}",`,
      '  "local_iso": "{{$localDatetime iso8601}}",',
      '  "user": "{{$processEnv USERNAME}}",',
      '  "secret": "{{$processEnv %secretKey}}",',
      '  "api_key": "{{$dotenv API_KEY}}"',
      '}',
    ].join('\n');
    const { request, problems } = resolved(text);
    assert.deepEqual(problems, []);
    const date = request.headers.find(([n]) => n === 'Date')?.[1] ?? '';
    assert.match(date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.equal(date, 'Mon, 01 Jan 2024 00:00:00 GMT');
    const body = JSON.parse(request.body as string) as Record<string, string>;
    assert.match(body.request_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(body.updated_at, /^\d{10}$/);
    assert.equal(body.updated_at, '1704067200');
    assert.equal(Number(body.created_at), Number(body.updated_at) - 86400);
    const count = Number(body.review_count);
    assert.ok(Number.isInteger(count) && count >= 5 && count < 200, body.review_count);
    assert.equal(body.custom_date, '2024-01-01');
    assert.match(body.local_iso, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    assert.equal(body.local_iso, '2024-01-01T08:00:00+08:00');
    assert.equal(body.user, 'alice');
    assert.ok(body.secret === 's3cr3t', 'secret comes from %secretKey → DEVSECRET → the process environment');
    assert.ok(body.api_key === 'abc123', 'api_key comes from .env');
    assert.ok(request.secrets.includes('s3cr3t') && request.secrets.includes('abc123') && request.secrets.includes('alice'), 'env-derived values are marked secret');
  });

  it('C34 Authorization shorthands are handed on as written (expanded by core/auth)', () => {
    const written = [
      'Basic user:passwd',
      'Basic user passwd',
      'basic user passwd',
      'Basic dXNlcjpwYXNzd2Q=',
      'Basic user my secret pass',
      'Basic user:pa:ss',
      'Digest user passwd',
      'Bearer abc',
    ];
    for (const value of written) {
      const { req, request, problems } = resolved(`GET https://httpbin.org/anything\nAuthorization: ${value}\n`);
      assert.deepEqual(headerPairs(req), [['Authorization', value]]);
      assert.deepEqual(request.headers, [['Authorization', value]]);
      assert.deepEqual(problems, []);
    }
  });

  it('C35 relative URL plus Host: https for 8443, http otherwise', () => {
    const a = resolved('GET /api/items?x=1 HTTP/1.1\nHost: example.com:8443\n');
    assert.equal(a.request.url, 'https://example.com:8443/api/items?x=1');
    assert.deepEqual(a.request.headers, [['Host', 'example.com:8443']]);
    assert.deepEqual(a.problems, []);
    const b = resolved('GET /api/items?x=1 HTTP/1.1\nHost: example.com\n');
    assert.equal(b.request.url, 'http://example.com/api/items?x=1');
  });

  it('C36 blocks that produce no request: variables still defined', () => {
    const doc = parseHttpDocument('@baseUrl = https://example.com\n@other = 1\n\n###\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{"ok":true}\n###\n# just a comment\n');
    assert.deepEqual(doc.requests, []);
    assert.deepEqual(doc.fileVariables.map((v) => [v.name, v.value]), [
      ['baseUrl', 'https://example.com'],
      ['other', '1'],
    ]);
    assert.deepEqual(doc.problems, []);
  });

  it('C38 @no-redirect plus @no-cookie-jar: both honoured (P25 fixed)', () => {
    const { request } = resolved('# @no-redirect\n# @no-cookie-jar\nGET https://example.com/login\n');
    assert.equal(request.noRedirect, true);
    assert.equal(request.noCookieJar, true);
  });

  it('C39 Markdown fenced request; ```http title is not a fence', () => {
    const { req, doc } = only('Some docs.\n\n```http\nGET https://example.com/a\nAccept: application/json\n```\n', 'markdown');
    assert.equal(req.method, 'GET');
    assert.equal(req.url, 'https://example.com/a');
    assert.deepEqual(headerPairs(req), [['Accept', 'application/json']]);
    assert.equal(req.range.start.line, 2); // the lens goes on the ```http line
    assert.deepEqual(doc.problems, []);
    assert.equal(parseHttpDocument('```http title\nGET https://example.com/a\n```\n', { languageId: 'markdown' }).requests.length, 0);
  });

  it('C40 JetBrains pre-request script and response handler are kept, not run, and not body', () => {
    const text = [
      '### Get token',
      '< {%',
      '  request.variables.set("clientId", "abc");',
      '%}',
      'POST https://example.com/auth',
      'Content-Type: application/json',
      '',
      '{"client": "{{clientId}}"}',
      '',
      '> {%',
      '  client.global.set("auth_token", response.body.token);',
      '  client.test("ok", function () { client.assert(response.status === 200, "status"); });',
      '%}',
      '',
      '###',
      'GET https://example.com/profile',
      'Authorization: Bearer {{auth_token}}',
    ].join('\n');
    const doc = parseHttpDocument(text);
    assert.equal(doc.requests.length, 2);
    const [r1, r2] = doc.requests;
    assert.equal(r1.name, 'Get token');
    assert.deepEqual(r1.scripts.map((s) => [s.when, s.range.start.line, s.range.end.line]), [
      ['pre-request', 1, 3],
      ['response', 9, 12],
    ]);
    assert.equal(r1.scripts[0].source, '  request.variables.set("clientId", "abc");');
    assert.equal(r1.method, 'POST');
    assert.equal(r1.url, 'https://example.com/auth');
    assert.deepEqual(headerPairs(r1), [['Content-Type', 'application/json']]);
    assert.equal(r1.body?.kind === 'text' && r1.body.text, '{"client": "{{clientId}}"}');
    assert.deepEqual(doc.problems, []);
    // Scripts are not run: clientId stays as written, with a problem on its exact range.
    const res1 = resolveRequest(doc, r1, context());
    assert.equal(res1.request.body, '{"client": "{{clientId}}"}');
    assert.deepEqual(res1.problems.map((p) => [p.code, p.range]), [['unknown-variable', { start: { line: 7, character: 12 }, end: { line: 7, character: 24 } }]]);
    assert.equal(r2.method, 'GET');
    const res2 = resolveRequest(doc, r2, context({ environment: { auth_token: 'tok' } }));
    assert.deepEqual(res2.request.headers, [['Authorization', 'Bearer tok']]);
  });

  it('C41 JetBrains dynamic variables', () => {
    const { request, problems } = resolved(
      'POST https://example.com/users\nContent-Type: application/json\n\n{"id": "{{$random.uuid}}", "n": {{$random.integer(1, 10)}}, "ts": {{$timestamp}}, "iso": "{{$isoTimestamp}}", "r": {{$randomInt}}, "s": "{{$random.alphanumeric(8)}}", "h": "{{$random.hexadecimal(4)}}", "e": "{{$random.email}}", "u": "{{$uuid}}"}\n',
    );
    assert.deepEqual(problems, []);
    const b = JSON.parse(request.body as string) as Record<string, string | number>;
    const uuid4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    assert.match(String(b.id), uuid4);
    assert.match(String(b.u), uuid4);
    assert.ok(Number.isInteger(b.n) && (b.n as number) >= 1 && (b.n as number) < 10);
    assert.equal(b.ts, 1704067200);
    assert.equal(b.iso, '2024-01-01T00:00:00.000Z');
    assert.ok(Number.isInteger(b.r) && (b.r as number) >= 0 && (b.r as number) <= 1000);
    assert.match(String(b.s), /^[A-Za-z0-9_]{8}$/);
    assert.match(String(b.h), /^[0-9A-F]{4}$/);
    assert.match(String(b.e), /^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  it('C42 JetBrains env files (private wins), output redirect, response reference', () => {
    const environment = jetbrainsEnvironment({ dev: { host: 'localhost:8080', token: 'public' } }, { dev: { token: 'private' } }, 'dev');
    const { req, request, problems } = resolved(
      'GET https://{{host}}/api/json/get?id=123\nAuthorization: Bearer {{token}}\n\n>> ./responses/get.json\n<> ./previous-response.200.json\n',
      { environment },
    );
    assert.equal(request.url, 'https://localhost:8080/api/json/get?id=123');
    assert.deepEqual(request.headers, [['Authorization', 'Bearer private']]);
    assert.equal(req.body, undefined);
    assert.equal(request.body, undefined);
    assert.deepEqual(req.outputRedirect && [req.outputRedirect.path, req.outputRedirect.overwrite], ['./responses/get.json', false]);
    assert.deepEqual(req.responseRefs.map((r) => r.path), ['./previous-response.200.json']);
    assert.deepEqual(problems, []);
  });

  it('C43 httpYac expressions are not evaluated; assertions kept; name from @name', () => {
    const text =
      '@user = {{ "mario".toUpperCase() }}\n# @name created\nPOST https://httpbin.org/anything?u={{user}}&even={{ 4 % 2 === 0 }}\nContent-Type: application/json\n\n{"a": 1}\n\n?? status == 200\n?? header content-type includes json\n?? body json.a == 1\n?? duration < 2000\n';
    const { req, request, problems, doc } = resolved(text);
    assert.equal(req.name, 'created');
    assert.equal(req.method, 'POST');
    assert.equal(req.url, 'https://httpbin.org/anything?u={{user}}&even={{ 4 % 2 === 0 }}');
    assert.deepEqual(headerPairs(req), [['Content-Type', 'application/json']]);
    assert.equal(request.body, '{"a": 1}');
    assert.deepEqual(req.assertions.map((a) => a.text), ['status == 200', 'header content-type includes json', 'body json.a == 1', 'duration < 2000']);
    assert.deepEqual(doc.problems, []);
    // JavaScript in {{ }} is httpYac-only: left as written, one problem per expression.
    assert.deepEqual(problems.map((p) => [p.code, p.range.start.line, p.range.start.character]), [
      ['unknown-variable', 0, 8],
      ['unknown-variable', 2, 50],
    ]);
    assert.equal(request.url, 'https://httpbin.org/anything?u=%7B%7B%20%22mario%22.toUpperCase()%20%7D%7D&even=%7B%7B%204%20%25%202%20===%200%20%7D%7D');
  });

  it('C44 httpYac import/ref/loop/oauth2: metadata kept, header unchanged, $index unknown', () => {
    const doc = parseHttpDocument('# @import ./auth.http\n###\n# @ref login\n# @loop for 3\nGET https://example.com/items/{{$index}}\nAuthorization: oauth2 client_credentials local\n');
    assert.equal(doc.requests.length, 1);
    const req = doc.requests[0];
    assert.equal(req.metadata.ref, 'login');
    assert.equal(req.metadata.loop, 'for 3');
    assert.deepEqual(headerPairs(req), [['Authorization', 'oauth2 client_credentials local']]);
    const { request, problems } = resolveRequest(doc, req, context());
    assert.deepEqual(request.headers, [['Authorization', 'oauth2 client_credentials local']]);
    assert.deepEqual(codes(problems), ['unknown-variable']);
    assert.deepEqual(problems[0].range, { start: { line: 4, character: 30 }, end: { line: 4, character: 40 } });
  });

  it('C46 global region with a host variable: prepended to a path URL (httpYac rule)', () => {
    const doc = parseHttpDocument('@host=https://httpbin.org\n###\nGET /anything?q=1\n');
    assert.equal(doc.requests.length, 1);
    const { request, problems } = resolveRequest(doc, doc.requests[0], context());
    assert.equal(request.url, 'https://httpbin.org/anything?q=1');
    assert.deepEqual(problems, []);
  });
});
