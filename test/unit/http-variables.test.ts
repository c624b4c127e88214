// Variable resolution: system variables (with injected time and randomness), file variables and
// their cycles, environments ($shared, JetBrains public/private), named responses (JSONPath,
// XPath, headers), stores, unknown variables with exact ranges, and the request as it is sent.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseHttpDocument } from '../../src/core/http/parse';
import {
  dotenvCandidates,
  environmentNames,
  jetbrainsEnvironment,
  mergeEnvironments,
  parseDotenv,
  parseEnvironmentFile,
  restClientEnvironment,
} from '../../src/core/http/environments';
import { addOffset, formatDate, isSystemVariable, resolveSystemVariable } from '../../src/core/http/system-variables';
import {
  requestStoreName,
  requestVariableReferences,
  resolveRequest,
  resolveVariable,
  substituteFileBody,
  variableReferences,
  type NamedExchange,
  type VariableContext,
} from '../../src/core/http/variables';
import { jsonPathQuery } from '../../src/core/http/jsonpath';
import { xpathValue } from '../../src/core/http/xpath';
import { encodeUrl } from '../../src/core/http/encode-url';
import type { Problem, Range } from '../../src/core/http/types';

const r = (sl: number, sc: number, el: number, ec: number): Range => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
const NOW = new Date('2024-01-31T12:34:56.789Z'); // a Wednesday
const fixed = (v: number) => () => v;

function run(text: string, ctx: VariableContext = {}) {
  const doc = parseHttpDocument(text);
  assert.ok(doc.requests.length >= 1, 'no request parsed');
  const req = doc.requests[doc.requests.length - 1];
  const out = resolveRequest(doc, req, { now: () => NOW, ...ctx });
  return { doc, req, request: out.request, problems: out.problems };
}

/** The value of one `{{…}}` placed in a URL query. */
function value(ref: string, ctx: VariableContext = {}): { value: string; problems: Problem[] } {
  const { request, problems } = run(`GET https://a/?v={{${ref}}}`, ctx);
  return { value: decodeURIComponent(request.url.slice('https://a/?v='.length)), problems };
}
const codes = (problems: Problem[]) => problems.map((p) => p.code);

describe('http variables', () => {
  describe('references', () => {
    it('finds every {{…}} with offsets, trims names, never across a line break', () => {
      assert.deepEqual(variableReferences('a{{x}}b{{ y.z }}{{$randomInt 1 2}}'), [
        { name: 'x', start: 1, end: 6 },
        { name: 'y.z', start: 7, end: 16 },
        { name: '$randomInt 1 2', start: 16, end: 34 },
      ]);
      assert.deepEqual(variableReferences('{{a\n}} {{b}}'), [{ name: 'b', start: 7, end: 12 }]);
      assert.deepEqual(variableReferences('{{{x}}}'), [{ name: '{x', start: 0, end: 6 }]);
      assert.deepEqual(variableReferences('no refs {{ here'), []);
    });

    it('requestVariableReferences gives document ranges in URL, headers and body', () => {
      const doc = parseHttpDocument('GET https://{{host}}/x\n  ?q={{q}}\nX-{{h}}: {{v}}\n\n{"a": "{{b}}"}\n');
      assert.deepEqual(requestVariableReferences(doc.requests[0]), [
        { name: 'host', range: r(0, 12, 0, 20) },
        { name: 'q', range: r(1, 5, 1, 10) },
        { name: 'h', range: r(2, 2, 2, 7) },
        { name: 'v', range: r(2, 9, 2, 14) },
        { name: 'b', range: r(4, 7, 4, 12) },
      ]);
    });
  });

  describe('unknown variables', () => {
    it('stay as written and are reported on the exact {{…}} in URL, header name, header value and body', () => {
      const { request, problems } = run('POST https://{{host}}/x\nX-{{h}}: a {{ v }}\n\n{"a": "{{b}}"}\n');
      assert.equal(request.url, 'https://%7B%7Bhost%7D%7D/x');
      assert.deepEqual(request.headers, [['X-{{h}}', 'a {{ v }}']]);
      assert.equal(request.body, '{"a": "{{b}}"}');
      assert.deepEqual(problems.map((p) => [p.code, p.severity, p.range]), [
        ['unknown-variable', 'warning', r(0, 13, 0, 21)],
        ['unknown-variable', 'warning', r(1, 2, 1, 7)],
        ['unknown-variable', 'warning', r(1, 11, 1, 18)],
        ['unknown-variable', 'warning', r(3, 7, 3, 12)],
      ]);
      assert.match(problems[0].message, /"host" is not defined/);
    });

    it('empty {{ }} is left alone without a problem', () => {
      assert.deepEqual(run('GET https://a/{{ }}').problems, []);
    });
  });

  describe('system variables', () => {
    it('$guid: a UUID v4, new for every reference (not cached)', () => {
      let n = 0;
      const random = () => ((n++ * 37) % 256) / 256;
      const { request } = run('GET https://a/{{$guid}}/{{$guid}}', { random });
      const [, a, b] = request.url.split('/').slice(2);
      assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.notEqual(a, b);
      assert.match(value('$guid').value, /^[0-9a-f-]{36}$/); // crypto.randomUUID when no random is injected
    });

    it('$randomInt min max is in [min, max); bad arguments stay literal with a problem', () => {
      assert.equal(value('$randomInt 5 200', { random: fixed(0) }).value, '5');
      assert.equal(value('$randomInt 5 200', { random: fixed(0.999999) }).value, '199');
      assert.equal(value('$randomInt -10 -5', { random: fixed(0.5) }).value, '-8');
      for (const bad of ['$randomInt 10 5', '$randomInt 3 3', '$randomInt 1', '$randomInt a b']) {
        const v = value(bad);
        assert.equal(v.value, `{{${bad}}}`);
        assert.deepEqual(codes(v.problems), ['invalid-system-variable']);
      }
      const { problems } = run('GET https://a/{{$randomInt 9 1}}');
      assert.deepEqual(problems[0].range, r(0, 14, 0, 32));
    });

    it('$timestamp: Unix seconds, with offsets in every unit', () => {
      const base = Math.floor(NOW.getTime() / 1000);
      assert.equal(value('$timestamp').value, String(base));
      assert.equal(value('$timestamp -3 h').value, String(base - 3 * 3600));
      assert.equal(value('$timestamp 1 d').value, String(base + 86400));
      assert.equal(value('$timestamp 2 w').value, String(base + 14 * 86400));
      assert.equal(value('$timestamp 90 s').value, String(base + 90));
      assert.equal(value('$timestamp 5 m').value, String(base + 300));
      assert.equal(value('$timestamp 1500 ms').value, String(Math.floor((NOW.getTime() + 1500) / 1000)));
      assert.equal(value('$timestamp 1 M').value, String(Date.UTC(2024, 1, 29, 12, 34, 56) / 1000)); // Jan 31 + 1 month → Feb 29
      assert.equal(value('$timestamp 1 y').value, String(Date.UTC(2025, 0, 31, 12, 34, 56) / 1000));
      assert.equal(value('$timestamp -1 Q').value, String(Date.UTC(2023, 9, 31, 12, 34, 56) / 1000));
      assert.deepEqual(codes(value('$timestamp -1 fortnight').problems), ['invalid-system-variable']);
      assert.deepEqual(codes(value('$timestamp 99999999999 y').problems), ['invalid-system-variable']);
      assert.deepEqual(codes(value('$datetime iso8601 999999999 y').problems), ['invalid-system-variable']);
    });

    it('$datetime: rfc1123, iso8601, quoted Day.js formats, offsets; no format is a problem', () => {
      assert.equal(value('$datetime rfc1123').value, 'Wed, 31 Jan 2024 12:34:56 GMT');
      assert.equal(value('$datetime iso8601').value, '2024-01-31T12:34:56.789Z');
      assert.equal(value(`$datetime 'YYYY-MM-DD'`).value, '2024-01-31');
      assert.equal(value('$datetime "DD MMM YYYY HH:mm" -1 d').value, '30 Jan 2024 12:34');
      assert.equal(value('$datetime iso8601 1 M').value, '2024-02-29T12:34:56.789Z');
      assert.equal(value(`$datetime 'dddd Do [of] MMMM, h:mm A, Q, X'`).value, 'Wednesday 31st of January, 12:34 PM, 1, 1706704496');
      assert.deepEqual(codes(value('$datetime').problems), ['invalid-system-variable']);
      assert.deepEqual(codes(value('$datetime unix').problems), ['invalid-system-variable']);
    });

    it('$localDatetime uses the given zone', () => {
      const ctx = { utcOffsetMinutes: -300 };
      assert.equal(value('$localDatetime iso8601', ctx).value, '2024-01-31T07:34:56-05:00');
      assert.equal(value('$localDatetime rfc1123', ctx).value, 'Wed, 31 Jan 2024 07:34:56 -0500');
      assert.equal(value(`$localDatetime 'YYYY-MM-DD HH:mm Z' 1 d`, { utcOffsetMinutes: 330 }).value, '2024-02-01 18:04 +05:30');
    });

    it('$processEnv: value, %name through the environment, unset → empty with a warning; values are secrets', () => {
      const processEnv = { HOME_DIR: '/home/a', TOKEN_VAR: 'TOPSECRET-1' };
      assert.equal(value('$processEnv HOME_DIR', { processEnv }).value, '/home/a');
      const viaSetting = run('GET https://a/?t={{$processEnv %tokenName}}', { processEnv, environment: { tokenName: 'TOKEN_VAR' } });
      assert.ok(viaSetting.request.url.endsWith('TOPSECRET-1'));
      assert.deepEqual(viaSetting.request.secrets, ['TOPSECRET-1']);
      const unset = value('$processEnv NOPE', { processEnv });
      assert.equal(unset.value, '');
      assert.deepEqual(codes(unset.problems), ['process-env-unset']);
      assert.ok(!unset.problems.some((p) => p.message.includes('TOPSECRET')));
    });

    it('$dotenv: from the caller’s .env lookup; missing key or file stays literal with a problem', () => {
      const dotenv = (name: string) => (name === 'API_KEY' ? 'abc123' : undefined);
      assert.equal(value('$dotenv API_KEY', { dotenv }).value, 'abc123');
      assert.equal(value('$dotenv %k', { dotenv, environment: { k: 'API_KEY' } }).value, 'abc123');
      const missing = value('$dotenv OTHER', { dotenv });
      assert.equal(missing.value, '{{$dotenv OTHER}}');
      assert.deepEqual(codes(missing.problems), ['dotenv-missing']);
      assert.deepEqual(codes(value('$dotenv API_KEY').problems), ['dotenv-missing']);
      const { request } = run('GET https://a/{{$dotenv API_KEY}}', { dotenv });
      assert.deepEqual(request.secrets, ['abc123']);
    });

    it('JetBrains dynamic variables with arguments; bad ones are problems', () => {
      assert.equal(value('$random.integer(5)', { random: fixed(0.5) }).value, '2');
      assert.equal(value('$random.integer(10, 20)', { random: fixed(0.5) }).value, '15');
      assert.equal(value('$random.integer', { random: fixed(0.5) }).value, '500');
      assert.equal(value('$random.float(0, 2)', { random: fixed(0.25) }).value, '0.5');
      assert.equal(value('$random.alphabetic(3)', { random: fixed(0) }).value, 'AAA');
      assert.equal(value('$random.hexadecimal(2)', { random: fixed(0.99) }).value, 'FF');
      assert.equal(value('$random.email', { random: fixed(0) }).value, 'aaaaaaaa@example.com');
      assert.equal(value('$isoTimestamp').value, '2024-01-31T12:34:56.789Z');
      assert.deepEqual(codes(value('$random.integer(5, 1)').problems), ['invalid-system-variable']);
      assert.deepEqual(codes(value('$random.alphabetic(x)').problems), ['invalid-system-variable']);
      assert.deepEqual(codes(value('$random.color').problems), ['unsupported-system-variable']);
      assert.deepEqual(codes(value('$aadToken new').problems), ['unsupported-system-variable']);
    });

    it('isSystemVariable decides by the first token; an unknown $name falls through to the other kinds', () => {
      assert.equal(isSystemVariable('$guid'), true);
      assert.equal(isSystemVariable('$randomInt 1 2'), true);
      assert.equal(isSystemVariable('$index'), false);
      assert.equal(resolveSystemVariable('host'), undefined);
      assert.equal(value('$index', { environment: { $index: '3' } }).value, '3');
    });

    it('formatDate and addOffset directly', () => {
      const d = new Date('2023-03-31T23:05:09.007Z');
      assert.equal(formatDate(d, 'YY-M-D H:m:s.SSS dd ddd [YYYY] a hh kk DDD DDDD x'), '23-3-31 23:5:9.007 Fr Fri YYYY pm 11 23 90 090 1680303909007');
      assert.equal(formatDate(d, 'YYYY-MM-DD HH:mm ZZ', 60), '2023-04-01 00:05 +0100');
      assert.equal(addOffset(d, -1, 'M').toISOString(), '2023-02-28T23:05:09.007Z');
      assert.equal(addOffset(d, 1, 'd', 60).toISOString(), '2023-04-01T23:05:09.007Z');
    });
  });

  describe('file variables', () => {
    it('reference each other in any order; the last definition wins; escapes apply', () => {
      const { request, problems } = run('@url = {{base}}/v{{ver}}\n@base = https://old\n@base = https://new\n@ver = 3\n@esc = a\\tb\\\\c\\q\nGET {{url}}/x?e={{%esc}}');
      assert.equal(request.url, 'https://new/v3/x?e=a%09b%5Ccq');
      assert.deepEqual(problems, []);
    });

    it('may use system, environment and request variables', () => {
      const named = new Map<string, NamedExchange>([['auth', { request: { url: '', headers: {} }, response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"t":"T"}' } }]]);
      const { request, problems } = run('@h = {{host}}\n@ts = {{$timestamp}}\n@tok = {{auth.response.body.$.t}}\nGET https://{{h}}/?ts={{ts}}&t={{tok}}', { environment: { host: 'e.test' }, namedResponses: named });
      assert.equal(request.url, `https://e.test/?ts=${Math.floor(NOW.getTime() / 1000)}&t=T`);
      assert.deepEqual(problems, []);
    });

    it('cycles are reported where they close and left as written', () => {
      const { request, problems } = run('@a = x{{b}}\n@b = {{a}}y\n@self = {{self}}\nGET https://h/{{a}}/{{self}}');
      assert.equal(request.url, 'https://h/x%7B%7Ba%7D%7Dy/%7B%7Bself%7D%7D');
      assert.deepEqual(problems.map((p) => [p.code, p.range]), [
        ['variable-cycle', r(1, 5, 1, 10)],
        ['variable-cycle', r(2, 8, 2, 16)],
      ]);
      assert.match(problems[0].message, /a → b → a/);
    });

    it('an unknown name inside a definition is reported in the definition', () => {
      const { problems } = run('@a = {{missing}}\nGET https://h/{{a}}');
      assert.deepEqual(problems.map((p) => [p.code, p.range]), [['unknown-variable', r(0, 5, 0, 16)]]);
    });

    it('{{%name}} percent-encodes file variables only', () => {
      assert.equal(run('@q = a b&c\nGET https://h/?q={{%q}}').request.url, 'https://h/?q=a%20b%26c');
      assert.deepEqual(codes(run('GET https://h/{{%q}}', { environment: { q: 'x' } }).problems), ['unknown-variable']);
      assert.equal(run('@q = a\uD800\nGET https://h/?q={{%q}}').request.url, 'https://h/?q=a%EF%BF%BD'); // a lone surrogate cannot throw
    });
  });

  describe('precedence', () => {
    it('prompt > system > request > file > environment', () => {
      const text = '@x = file\n# @prompt x\nGET https://h/{{x}}';
      assert.ok(run(text, { prompts: { x: 'prompt' }, environment: { x: 'env' } }).request.url.endsWith('/prompt'));
      assert.ok(run('@x = file\nGET https://h/{{x}}', { environment: { x: 'env' } }).request.url.endsWith('/file'));
      assert.ok(run('GET https://h/{{x}}', { environment: { x: 'env' } }).request.url.endsWith('/env'));
      assert.match(run('@$guid = mine\nGET https://h/{{$guid}}').request.url, /\/[0-9a-f-]{36}$/);
    });

    it('a declared prompt without an answer is reported', () => {
      const { problems, request } = run('# @prompt code Your code\nGET https://h/{{code}}', { prompts: {} });
      assert.equal(request.url, 'https://h/%7B%7Bcode%7D%7D');
      assert.deepEqual(problems.map((p) => [p.code, p.range]), [['prompt-missing', r(1, 14, 1, 22)]]);
    });

    it('a dotted reference to a named request is the request’s; a bare name defined as a file variable is the file’s', () => {
      const text = '# @name login\nGET https://h/login\n###\n@login = file-value\nGET https://h/{{login}}/{{login.response.headers.X}}';
      const { request, problems } = run(text);
      assert.equal(request.url, 'https://h/file-value/%7B%7Blogin.response.headers.X%7D%7D');
      assert.deepEqual(problems.map((p) => [p.code, p.range]), [['request-not-sent', r(4, 24, 4, 52)]]);
    });
  });

  describe('named responses', () => {
    const body = JSON.stringify({
      token: 'jwt-abc',
      user: { id: 42, roles: ['a', 'b'] },
      items: [
        { id: 1, name: 'cheap', price: 5, on_sale: false },
        { id: 2, name: 'dear', price: 50, on_sale: true },
        { id: 3, name: '', price: 0, on_sale: null },
      ],
      empty: '',
      nothing: null,
      no: false,
      zero: 0,
    });
    const named = new Map<string, NamedExchange>([
      [
        'login',
        {
          request: { url: 'https://h/login', headers: { 'Content-Type': 'application/json' }, body: '{"u":"me"}' },
          response: { status: 200, headers: { 'Content-Type': 'application/json; charset=UTF-8', 'X-AuthToken': 'tok-123' }, body },
        },
      ],
      ['plain', { request: { url: '', headers: {} }, response: { status: 200, headers: { 'Content-Type': 'text/plain' }, body: '{"a":{"b":"forced"}}' } }],
      ['xml', { request: { url: '', headers: {} }, response: { status: 200, headers: { 'Content-Type': 'application/atom+xml' }, body: '<?xml version="1.0"?><!-- c --><feed a="1"><e id="x">one &amp; <b>two</b></e><e id="y"/></feed>' } }],
      ['nobody', { request: { url: '', headers: {} }, response: { status: 204, headers: {}, body: '' } }],
    ]);
    const v = (ref: string) => value(ref, { namedResponses: named });

    it('JSONPath: strings raw, other values as JSON, first match only', () => {
      assert.equal(v('login.response.body.$.token').value, 'jwt-abc');
      assert.equal(v('login.response.body.$.user.id').value, '42');
      assert.equal(v('login.response.body.$.user').value, '{"id":42,"roles":["a","b"]}');
      assert.equal(v('login.response.body.$.user.roles[1]').value, 'b');
      assert.equal(v('login.response.body.$.items[-1].id').value, '3');
      assert.equal(v("login.response.body.$['items'][1]['name']").value, 'dear');
      assert.equal(v('login.response.body.$.items[*].id').value, '1');
      assert.equal(v('login.response.body.$..price').value, '5');
      assert.equal(v('login.response.body.$.items[?(@.price > 10)].name').value, 'dear');
      assert.equal(v("login.response.body.$.items[?(@.on_sale == true && @.name != 'x')].id").value, '2');
      assert.equal(v('login.response.body.$.items[1:].id').value, '2');
      assert.equal(v('login.response.body.$.items.length').value, '3');
      assert.equal(v('login.response.body.user.roles[0]').value, 'a'); // no $, as jsonpath-plus allows
      assert.equal(v('login.response.body.$.nothing').value, 'null');
      assert.equal(v('login.response.body.$.no').value, 'false');
      assert.equal(v('login.response.body.$.zero').value, '0');
    });

    it('JSONPath with no match or an empty string is unresolved (P33); a bad path is a problem', () => {
      for (const ref of ['login.response.body.$.missing', 'login.response.body.$.empty', 'login.response.body.$.items[9]']) {
        const res = v(ref);
        assert.equal(res.value, `{{${ref}}}`);
        assert.deepEqual(codes(res.problems), ['response-value-not-found']);
      }
      assert.deepEqual(codes(v('login.response.body.$.items[?(@.a ~ 1)]').problems), ['invalid-request-variable']);
    });

    it('whole body, headers (any case), the request side, forced JSON', () => {
      assert.equal(v('login.response.body.*').value, body);
      assert.equal(v('login.response.headers.x-authtoken').value, 'tok-123');
      assert.equal(v('login.request.body.$.u').value, 'me');
      assert.equal(v('login.request.headers.content-type').value, 'application/json');
      assert.equal(v('plain.response.body.asJson.$.a.b').value, 'forced');
      assert.equal(v('plain.response.body.$.a.b').value, 'forced'); // lenient: the body reads as JSON
      assert.deepEqual(codes(v('login.response.headers.X-Missing').problems), ['response-value-not-found']);
      assert.deepEqual(codes(v('nobody.response.body.$.a').problems), ['response-value-not-found']);
    });

    it('XPath on XML bodies', () => {
      assert.equal(v('xml.response.body.//e[1]/@id').value, 'x');
      assert.equal(v('xml.response.body.//e[1]').value, 'one &amp; <b>two</b>');
      assert.equal(v('xml.response.body./feed/e[last()]/@id').value, 'y');
      assert.equal(v("xml.response.body.//e[@id='y']").value, '');
      assert.equal(v('xml.response.body./').value, '<feed a="1"><e id="x">one &amp; <b>two</b></e><e id="y"/></feed>');
      assert.equal(v('xml.response.body.//b/text()').value, 'two');
      assert.deepEqual(codes(v('xml.response.body.//nope').problems), ['response-value-not-found']);
      assert.deepEqual(codes(v('xml.response.body.//e[contains(., "x")]').problems), ['invalid-request-variable']);
    });

    it('incomplete references are problems', () => {
      assert.deepEqual(codes(v('login.response').problems), ['invalid-request-variable']);
      assert.deepEqual(codes(v('login.response.body').problems), ['invalid-request-variable']);
      assert.deepEqual(codes(v('login.response.headers').problems), ['invalid-request-variable']);
      assert.deepEqual(codes(v('login').problems), ['invalid-request-variable']);
    });

    it('chaining: the second request uses the first one’s response', () => {
      const text = '# @name login\nPOST https://h/login\n\n{"u":"me"}\n###\nGET https://h/me\nAuthorization: Bearer {{login.response.body.$.token}}\n';
      const doc = parseHttpDocument(text);
      const before = resolveRequest(doc, doc.requests[1], {});
      assert.deepEqual(before.problems.map((p) => [p.code, p.range]), [['request-not-sent', r(6, 22, 6, 53)]]);
      const first = resolveRequest(doc, doc.requests[0], {}).request;
      const responses = new Map<string, NamedExchange>([
        [first.name!, { request: { url: first.url, headers: Object.fromEntries(first.headers), body: first.body as string }, response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"token":"T1"}' } }],
      ]);
      const after = resolveRequest(doc, doc.requests[1], { namedResponses: responses });
      assert.deepEqual(after.request.headers, [['Authorization', 'Bearer T1']]);
      assert.deepEqual(after.problems, []);
    });
  });

  describe('environments', () => {
    const settings = {
      $shared: { version: 'v1', prodToken: 'foo', nonProdToken: 'bar', port: 8080, nested: { no: 1 } },
      local: { version: 'v2', token: 'pre-{{$shared nonProdToken}}-post', other: '{{$local version}}', missing: '{{$shared nope}}', plain: '{{x}}' },
      production: { token: '{{$shared prodToken}}' },
    };

    it('REST Client: $shared under the current environment, {{$shared k}} and {{$env k}} expanded, nothing else', () => {
      assert.deepEqual(restClientEnvironment(settings, 'local'), {
        version: 'v2',
        prodToken: 'foo',
        nonProdToken: 'bar',
        port: '8080',
        token: 'pre-bar-post',
        other: 'v2',
        missing: '{{$shared nope}}',
        plain: '{{x}}',
      });
      assert.equal(restClientEnvironment(settings, 'production').token, 'foo');
      assert.deepEqual(restClientEnvironment(settings), { version: 'v1', prodToken: 'foo', nonProdToken: 'bar', port: '8080' });
      assert.deepEqual(restClientEnvironment(settings, 'nope'), restClientEnvironment(settings));
      assert.deepEqual(restClientEnvironment('garbage', 'local'), {});
      assert.deepEqual(environmentNames(settings), ['local', 'production']);
    });

    it('an environment value is inserted as written (single pass, P15)', () => {
      const { request } = run('GET https://h/{{plain}}', { environment: restClientEnvironment(settings, 'local') });
      assert.equal(request.url, 'https://h/%7B%7Bx%7D%7D');
    });

    it('JetBrains: private overrides public, $shared underneath, objects dropped', () => {
      const pub = { $shared: { a: 'shared-pub', b: 'shared-pub' }, dev: { host: 'localhost:8080', token: 'public', SSLConfiguration: { clientCertificate: 'x' } }, prod: { host: 'p' } };
      const priv = { $shared: { b: 'shared-priv' }, dev: { token: 'private', secret: 's' } };
      assert.deepEqual(jetbrainsEnvironment(pub, priv, 'dev'), { a: 'shared-pub', b: 'shared-priv', host: 'localhost:8080', token: 'private', secret: 's' });
      assert.deepEqual(jetbrainsEnvironment(pub, undefined, 'prod'), { a: 'shared-pub', b: 'shared-pub', host: 'p' });
      assert.deepEqual(jetbrainsEnvironment(pub, priv), { a: 'shared-pub', b: 'shared-priv' });
      assert.deepEqual(environmentNames(pub, priv), ['dev', 'prod']);
      assert.deepEqual(mergeEnvironments({ a: '1', b: '1' }, undefined, { b: '2' }), { a: '1', b: '2' });
    });

    it('environment files: parsed, or a sentence that does not quote the file', () => {
      assert.deepEqual(parseEnvironmentFile('\uFEFF{"dev": {"a": "1", "n": 2}}'), { environments: { dev: { a: '1', n: '2' } } });
      const bad = parseEnvironmentFile('{"dev": {"token": "sekret-value"');
      assert.deepEqual(bad.environments, {});
      assert.ok(bad.error && !bad.error.includes('sekret'), bad.error);
      assert.match(parseEnvironmentFile('[1]').error ?? '', /JSON object/);
    });

    it('.env files and where they are looked for', () => {
      assert.deepEqual(parseDotenv('# c\nA=1\nexport B = two words # note\nC="x\\ny"\nD=\'raw\\n\'\nE=\nF="multi\nline"\n'), {
        A: '1',
        B: 'two words',
        C: 'x\ny',
        D: 'raw\\n',
        E: '',
        F: 'multi\nline',
      });
      const root = path.resolve('/srv/proj');
      assert.deepEqual(dotenvCandidates(path.join(root, 'api'), 'local', root), [
        path.join(root, 'api', '.env.local'),
        path.join(root, 'api', '.env'),
        path.join(root, '.env.local'),
        path.join(root, '.env'),
      ]);
      assert.deepEqual(dotenvCandidates(root, undefined, root), [path.join(root, '.env')]);
    });
  });

  describe('stores', () => {
    it('@store for the file, # @store for one request, variables allowed', () => {
      const text = '@store = {{shop}}\nGET https://h/a\n###\n# @store other-shop\nGET https://h/b\n';
      const doc = parseHttpDocument(text);
      assert.equal(doc.fileStore, '{{shop}}');
      assert.equal(requestStoreName(doc, doc.requests[0], { environment: { shop: 'main-shop' } }), 'main-shop');
      assert.equal(requestStoreName(doc, doc.requests[1]), 'other-shop');
      assert.equal(resolveRequest(doc, doc.requests[0], { environment: { shop: 'main-shop' } }).request.store, 'main-shop');
      assert.equal(resolveRequest(doc, doc.requests[1], {}).request.store, 'other-shop');
      assert.equal(requestStoreName(parseHttpDocument('GET https://h'), parseHttpDocument('GET https://h').requests[0]), undefined);
    });

    it('{{$store.url}} and {{$store.name}} expand from the caller’s store; none selected is an error on the reference', () => {
      const store = { name: 'Sandbox', url: 'https://shop.test:8443/' };
      const { request, problems } = run('@store = sandbox\nGET {{$store.url}}/wp-json/wc/v3/products?s={{$store.name}}', { store });
      assert.equal(request.url, 'https://shop.test:8443/wp-json/wc/v3/products?s=Sandbox');
      assert.deepEqual(problems, []);
      const none = run('GET {{$store.url}}/wp-json/');
      assert.deepEqual(none.problems.map((p) => [p.code, p.severity, p.range]), [['no-store', 'error', r(0, 4, 0, 18)]]);
      assert.deepEqual(codes(run('GET {{$store.url x}}/').problems), ['invalid-system-variable']);
    });
  });

  describe('the request as sent', () => {
    it('default headers go underneath; Host default only for relative URLs; Content-Length is left to the sender', () => {
      const { request } = run('GET https://h/\nuser-agent: mine\nContent-Length: 99\n', { defaultHeaders: { 'User-Agent': 'vscode-restclient', Host: 'x', Accept: '*/*' } });
      assert.deepEqual(request.headers, [
        ['user-agent', 'mine'],
        ['Accept', '*/*'],
      ]);
    });

    it('a relative URL without Host or @host is reported', () => {
      const { problems, request } = run('GET /wp-json/wc/v3/products');
      assert.equal(request.url, '/wp-json/wc/v3/products');
      assert.deepEqual(problems.map((p) => [p.code, p.range]), [['relative-url', r(0, 4, 0, 27)]]);
      assert.equal(run('GET /p', { environment: { host: 'h.test:443' } }).request.url, 'https://h.test:443/p');
    });

    it('form bodies: always / never strategies; ndjson gets a final newline; mixed bodies stream in order', () => {
      const form = 'POST https://h\nContent-Type: application/x-www-form-urlencoded\n\na=b c\n&d=é/{{v}}\n';
      assert.equal(run(form, { formParamEncoding: 'always', environment: { v: '&' } }).request.body, 'a=b%20c&d=%C3%A9%2F&');
      assert.equal(run(form, { formParamEncoding: 'never', environment: { v: 'x' } }).request.body, 'a=b c&d=é/x');
      assert.equal(run('POST https://h\nContent-Type: application/x-ndjson\n\n{"a":1}\n{"b":2}\n').request.body, '{"a":1}\n{"b":2}\n');
      const mixed = run('POST https://h\n\n[{{v}}\n<@ ./{{f}}.json\n]\n', { environment: { v: '0,', f: 'item' } }).request.body;
      assert.deepEqual(mixed, { parts: [{ text: '[0,\n' }, { file: './item.json', processVariables: true, range: r(3, 0, 3, 15) }, { text: '\n]' }] });
    });

    it('file body paths take variables; <@ file text is substituted without prompt answers', () => {
      const { doc, req, request } = run('# @prompt p\nPOST https://h\n\n<@ ./{{dir}}/x.json\n', { environment: { dir: 'data', k: 'v' }, prompts: { p: 'answer' } });
      assert.deepEqual(request.body, { file: './data/x.json', processVariables: true });
      const sub = substituteFileBody(doc, req, '{"k": "{{k}}", "p": "{{p}}"}\n{{$processEnv S}}', { environment: { k: 'v' }, prompts: { p: 'answer' }, processEnv: { S: 'sv' } }, r(3, 0, 3, 19));
      assert.equal(sub.text, '{"k": "v", "p": "{{p}}"}\nsv');
      assert.deepEqual(sub.problems.map((p) => [p.code, p.range]), [['unknown-variable', r(3, 0, 3, 19)]]);
      assert.deepEqual(sub.secrets, ['sv']);
    });

    it('GraphQL: variables substituted; invalid JSON is an error on the variables; GRAPHQL → POST + Content-Type', () => {
      const ok = run('GRAPHQL https://h/gql\n\nquery Q($id: ID!) { p(id: $id) { name } }\n\n{"id": "{{id}}"}\n', { environment: { id: '7' } });
      assert.equal(ok.request.method, 'POST');
      assert.deepEqual(ok.request.headers, [['Content-Type', 'application/json']]);
      assert.equal(ok.request.body, '{"query":"query Q($id: ID!) { p(id: $id) { name } }","operationName":"Q","variables":{"id":"7"}}');
      const bad = run('POST https://h/gql\nX-REQUEST-TYPE: GRAPHQL\n\nquery { a }\n\n{"id": \n');
      assert.deepEqual(bad.problems.map((p) => [p.code, p.severity, p.range]), [['invalid-graphql-variables', 'error', r(5, 0, 5, 7)]]);
    });

    it('curl blocks resolve variables too (reported on the argument)', () => {
      const { request, problems } = run(`curl -X POST '{{base}}/x' -H 'Authorization: Bearer {{tok}}' -d '{"a": "{{a}}"}'`, { environment: { base: 'https://h', tok: 'T' } });
      assert.equal(request.url, 'https://h/x');
      assert.deepEqual(request.headers, [
        ['Authorization', 'Bearer T'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ]);
      assert.equal(request.body, '{"a": "{{a}}"}'); // -d data is sent as written, not form-encoded
      assert.deepEqual(problems.map((p) => [p.code, p.range]), [['unknown-variable', r(0, 64, 0, 80)]]);
    });

    it('resolveVariable tells the kind and whether the value is secret', () => {
      const doc = parseHttpDocument('@f = 1\nGET https://h');
      assert.deepEqual(resolveVariable(doc, 'f', {}), { value: '1', kind: 'file', secret: false, problems: [] });
      assert.deepEqual(resolveVariable(doc, 'e', { environment: { e: '2' } }), { value: '2', kind: 'environment', secret: false, problems: [] });
      const secret = resolveVariable(doc, '$processEnv K', { processEnv: { K: 'kv' } });
      assert.equal(secret.kind, 'system');
      assert.equal(secret.secret, true);
      assert.deepEqual(codes(resolveVariable(doc, 'nope', {}).problems), ['unknown-variable']);
    });
  });

  describe('building blocks', () => {
    it('encodeUrl keeps valid escapes and reserved characters, encodes the rest', () => {
      assert.equal(encodeUrl('https://h/a b?x=%20&y=%zz&z=é#f'), 'https://h/a%20b?x=%20&y=%25zz&z=%C3%A9#f');
      assert.equal(encodeUrl(encodeUrl('https://h/{{x}} "q"')), 'https://h/%7B%7Bx%7D%7D%20%22q%22');
      assert.equal(encodeUrl('\uD800x'), '%EF%BF%BDx');
    });

    it('jsonPathQuery: unions, slices with steps, recursive wildcard, filters with $', () => {
      const doc = { a: [1, 2, 3, 4, 5], b: { c: { d: 1 } }, lim: 3 };
      assert.deepEqual(jsonPathQuery(doc, '$.a[0,2]'), [1, 3]);
      assert.deepEqual(jsonPathQuery(doc, '$.a[::2]'), [1, 3, 5]);
      assert.deepEqual(jsonPathQuery(doc, '$.a[-2:]'), [4, 5]);
      assert.deepEqual(jsonPathQuery(doc, '$.b.*'), [{ d: 1 }]);
      assert.deepEqual(jsonPathQuery(doc, '$..d'), [1]);
      assert.deepEqual(jsonPathQuery(doc, '$.a[?(@ >= $.lim)]'), [3, 4, 5]);
      assert.deepEqual(jsonPathQuery(doc, '$.a[?(!(@ < 5))]'), [5]);
      assert.throws(() => jsonPathQuery(doc, '$.a[(@.length-1)]'), /not supported/);
    });

    it('xpathValue tolerates sloppy XML and never throws on it', () => {
      assert.equal(xpathValue('<a><b x=1>t</b><c></a>', '//b/@x'), '1');
      assert.equal(xpathValue('<a><![CDATA[<raw>]]></a>', '/a'), '<![CDATA[<raw>]]>');
      assert.equal(xpathValue('not xml', '/a'), undefined);
      assert.equal(xpathValue('<a><b>1</b><b>2</b></a>', '/a/b[2]'), '2');
      assert.equal(xpathValue("<a><b k='v'>x</b></a>", "//b[@k='v']/.."), '<b k="v">x</b>');
    });
  });
});
