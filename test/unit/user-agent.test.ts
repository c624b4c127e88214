// Every request says what it is (some firewalls refuse requests without a User-Agent):
// woo-api-studio/<version from package.json>, unless the store sets its own (store option
// userAgent, WOO_STORE_<NAME>_USER_AGENT in the CLI); a User-Agent the request writes itself wins.
// Checked on a real loopback server that records what arrived.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { storesFromEnv } from '../../src/core/env-stores';
import { diagnoseStore } from '../../src/core/explain/probes';
import { parseHttpDocument, requestAt } from '../../src/core/http';
import { runRequest } from '../../src/core/run-request';
import { closeConnections, send } from '../../src/core/send';
import type { Store } from '../../src/core/store';
import { repoRoot } from './helpers/sandbox-http';

const VERSION = (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

describe('User-Agent on every request', () => {
  let server: http.Server;
  let base: string;
  const seen: (string | undefined)[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers['user-agent']);
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });
  beforeEach(() => { seen.length = 0; });
  after(async () => {
    await closeConnections();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is woo-api-studio/<version> by default, shown in the recorded request', async () => {
    const ex = await send({ method: 'GET', url: `${base}/a`, headers: [] });
    assert.deepEqual(seen, [`woo-api-studio/${VERSION}`]);
    assert.ok(ex.request.headers.some(([n, v]) => n === 'User-Agent' && v === `woo-api-studio/${VERSION}`), 'no hidden header: the exchange shows it');
  });

  it('is the store\'s own when it sets one, and the request\'s own header wins over both', async () => {
    await send({ method: 'GET', url: `${base}/b`, headers: [] }, { userAgent: 'shop-sync/2.1' });
    await send({ method: 'GET', url: `${base}/c`, headers: [['user-agent', 'curl/8.5.0']] }, { userAgent: 'shop-sync/2.1' });
    assert.deepEqual(seen, ['shop-sync/2.1', 'curl/8.5.0']);
  });

  it('a .http request sent through a store with userAgent carries it; WOO_STORE_<NAME>_USER_AGENT sets it in the CLI', async () => {
    const { stores } = storesFromEnv({ WOO_STORE_SHOP_URL: base, WOO_STORE_SHOP_AUTH: 'none', WOO_STORE_SHOP_USER_AGENT: 'ci-bot/1.0' });
    assert.equal(stores[0]!.options?.userAgent, 'ci-bot/1.0');
    const doc = parseHttpDocument('@store = shop\n\nGET {{$store.url}}/d\n\n###\n# @store shop\nGET {{$store.url}}/e\nUser-Agent: mine/3\n');
    for (const line of [2, 6]) {
      const request = requestAt(doc, line);
      assert.ok(request);
      const r = await runRequest({ doc, request, stores, secretsFor: async () => ({}), variables: {}, readBodyFile: async () => new Uint8Array(), readCaFile: async () => '' });
      assert.equal(r.exchange?.response?.status, 200, r.notSent);
    }
    assert.deepEqual(seen, ['ci-bot/1.0', 'mine/3']);
  });

  it('the doctor\'s probes carry the store\'s User-Agent too', async () => {
    const store: Store = { id: 'ua', name: 'ua', baseUrl: base, authMethod: 'none', options: { userAgent: 'probe-agent/9' } };
    await diagnoseStore(store, {}, { send });
    assert.ok(seen.length >= 2, `${seen.length} probes`);
    assert.ok(seen.every((ua) => ua === 'probe-agent/9'), seen.join(', '));
  });
});
