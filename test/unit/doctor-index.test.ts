// The doctor asks /wp-json/ only for what it reads (_fields=home,url,authentication: a real store's
// whole index is about 1 MB) and keeps it per store between runs, like the runner's route index:
// the next run sends no index request, unless a probe disagrees with the cached one (then it is
// read again). Against the sandbox store.
import * as assert from 'node:assert/strict';
import { diagnoseStore, INDEX_FIELDS, type CachedStoreIndex } from '../../src/core/explain/probes';
import { closeConnections, send, type Exchange, type OutgoingRequest, type SendOptions } from '../../src/core/send';
import type { Store } from '../../src/core/store';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { credentials, fixtureSeed } from './helpers/sandbox-http';

const seed = fixtureSeed();
const { rwKey } = credentials(seed);
const secrets = { consumerKey: rwKey.consumer_key, consumerSecret: rwKey.consumer_secret };

describe('the doctor and the store\'s REST index', function () {
  this.timeout(30_000);
  const started: RunningSandbox[] = [];
  after(async () => {
    await closeConnections();
    await Promise.all(started.map((s) => s.stop()));
  });

  function recording(into: { req: OutgoingRequest; ex: Exchange }[]) {
    return async (req: OutgoingRequest, o: SendOptions): Promise<Exchange> => {
      const ex = await send(req, o);
      into.push({ req, ex });
      return ex;
    };
  }

  it('reads only home, url and authentication, keeps them per store, and skips the request next time', async () => {
    const sb = await startSandbox({ seed });
    started.push(sb);
    const store: Store = { id: 'c', name: 'c', baseUrl: sb.httpsUrl, authMethod: 'wc-basic' };
    let cache: CachedStoreIndex | undefined;
    const indexCache = { get: () => cache, set: (e: CachedStoreIndex) => { cache = e; } };
    const first: { req: OutgoingRequest; ex: Exchange }[] = [];
    const report = await diagnoseStore(store, secrets, { send: recording(first), tls: { ca: sb.certificatePem }, indexCache });
    assert.equal(report.healthy, true, report.summary);
    const index = first.find((x) => new URL(x.req.url).pathname === '/wp-json/');
    assert.ok(index, 'the index was read');
    assert.equal(new URL(index.req.url).searchParams.get('_fields'), INDEX_FIELDS);
    const body = JSON.parse(Buffer.from(index.ex.response!.body).toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['authentication', 'home', 'url'], 'only the fields asked for came back');
    assert.ok(cache && cache.index.home, 'kept for the next run');

    const second: { req: OutgoingRequest; ex: Exchange }[] = [];
    const again = await diagnoseStore(store, secrets, { send: recording(second), tls: { ca: sb.certificatePem }, indexCache });
    assert.equal(again.healthy, true);
    assert.ok(!second.some((x) => new URL(x.req.url).pathname === '/wp-json/'), 'no index request: it came from the cache');
    assert.equal(again.probes[0]!.name, 'index');
    assert.match(again.probes[0]!.result, /^Read at /);
  });

  it('reads the index again when the store fails with a cached one (it may be out of date)', async () => {
    const sb = await startSandbox({ seed, plainPermalinks: true });
    started.push(sb);
    const store: Store = { id: 'p', name: 'p', baseUrl: sb.httpsUrl, authMethod: 'wc-basic' };
    // Cached before the site went to plain permalinks.
    let cache: CachedStoreIndex | undefined = { index: { home: sb.httpsUrl, url: sb.httpsUrl, https: true, applicationPasswords: true }, readAt: new Date().toISOString() };
    const sent: { req: OutgoingRequest; ex: Exchange }[] = [];
    const report = await diagnoseStore(store, secrets, { send: recording(sent), tls: { ca: sb.certificatePem }, indexCache: { get: () => cache, set: (e) => { cache = e; } } });
    assert.equal(report.cause, 'plain-permalinks', report.summary);
    assert.ok(sent.some((x) => new URL(x.req.url).pathname === '/wp-json/'), 'read again');
    assert.equal(cache?.index.plainPermalinks, true, 'the cache now says so');
    assert.equal(report.probes.filter((p) => p.name === 'index').length, 1, 'one index probe in the report');
  });
});
