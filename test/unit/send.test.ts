// send() against real servers on loopback: the sandbox store, and small purpose-built servers for
// what the sandbox never does (redirect to another origin, never answer).
import * as assert from 'assert';
import * as http from 'http';
import { AddressInfo } from 'net';
import { closeConnections, headerValue, send } from '../../src/core/send';
import { basicAuthorization } from '../../src/core/auth/basic';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import seed from '../fixtures/sandbox-seed.json';

const rw = seed.keys.find((k) => k.permissions === 'read_write')!;
const auth = basicAuthorization(rw.consumer_key, rw.consumer_secret);
const secrets = [rw.consumer_key, rw.consumer_secret];

function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('send (core, undici) against real loopback servers', () => {
  let sandbox: RunningSandbox;
  let permalinks: RunningSandbox;
  const servers: http.Server[] = [];

  before(async () => {
    sandbox = await startSandbox({ seed: seed as never });
    permalinks = await startSandbox({ seed: seed as never, plainPermalinks: true });
  });
  after(async () => {
    await closeConnections();
    await sandbox.stop();
    await permalinks.stop();
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('sends over verified TLS and records the exchange with phases, secrets masked', async () => {
    await closeConnections(); // a fresh connection, so its phases are measured
    const ex = await send({ method: 'get', url: `${sandbox.httpsUrl}/wp-json/wc/v3/products?per_page=3`, headers: [['Authorization', auth]] },
      { tls: { ca: sandbox.certificatePem }, secrets });
    assert.strictEqual(ex.error, undefined, ex.error?.message);
    assert.strictEqual(ex.response?.status, 200);
    assert.strictEqual(JSON.parse(Buffer.from(ex.response!.body).toString()).length, 3);
    assert.strictEqual(ex.request.method, 'GET');
    assert.deepStrictEqual(ex.request.headers.map(([n]) => n), ['Authorization', 'User-Agent'], 'the headers we sent are shown, the User-Agent we added included');
    assert.match(ex.request.headers[1]![1], /^woo-api-studio\/\d+\.\d+\.\d+/);
    const recorded = JSON.stringify(ex.request);
    for (const s of secrets) assert.ok(!recorded.includes(s), 'no secret in the recorded request');
    assert.ok(!recorded.includes(auth.slice(6)), 'no base64 credentials in the recorded request');
    assert.ok(ex.timings.connect !== undefined && ex.timings.tls !== undefined, `TCP and TLS phases measured: ${JSON.stringify(ex.timings)}`);
    assert.ok(ex.timings.firstByte! > 0 && ex.timings.total >= ex.timings.firstByte!);

    // undici may open a second connection while the first is being released; after that, it reuses.
    const later = [];
    for (let i = 0; i < 3; i++) later.push(await send({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/wc/v3/products`, headers: [['Authorization', auth]] }, { tls: { ca: sandbox.certificatePem } }));
    assert.ok(later.some((e) => e.timings.reusedConnection === true && e.timings.connect === undefined), 'keep-alive reuses a connection');
  });

  it('verifies TLS by default and says what to do about a self-signed certificate', async () => {
    const ex = await send({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/`, headers: [] });
    assert.strictEqual(ex.response, undefined);
    assert.ok(ex.error, 'refused');
    assert.match(ex.error.message, /self-signed|not trust/);
    const optedOut = await send({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/`, headers: [] }, { tls: { verify: false } });
    assert.strictEqual(optedOut.response?.status, 200);
  });

  it('follows redirects hop by hop, recording each, and stops at the first with followRedirects false', async () => {
    const url = `${permalinks.httpsUrl}/wp-json/wc/v3/products`;
    const followed = await send({ method: 'GET', url, headers: [['Authorization', auth]] }, { tls: { ca: permalinks.certificatePem }, secrets });
    assert.strictEqual(followed.redirects.length, 1);
    assert.strictEqual(followed.redirects[0].status, 301);
    assert.strictEqual(followed.redirects[0].location, `${url}/`);
    assert.strictEqual(followed.response?.status, 200);
    assert.match(followed.response?.contentType ?? '', /text\/html/, 'plain permalinks end on the HTML front page');
    assert.ok(followed.request.url.endsWith('/products/'), 'the final request is the redirected one');

    const stopped = await send({ method: 'GET', url, headers: [] }, { tls: { ca: permalinks.certificatePem }, followRedirects: false });
    assert.strictEqual(stopped.response?.status, 301);
    assert.strictEqual(stopped.redirects.length, 0);
  });

  it('never forwards credentials to another origin on a redirect', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const target = await listen((req, res) => { seen.push(req.headers); res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ url: req.url })); });
    const origin = await listen((req, res) => { res.statusCode = 302; res.setHeader('location', `${target.url}/landed?consumer_key=${rw.consumer_key}&consumer_secret=${rw.consumer_secret}&page=2`); res.end(); });
    servers.push(target.server, origin.server);
    const ex = await send({ method: 'GET', url: `${origin.url}/wp-json/wc/v3/products`, headers: [['Authorization', auth], ['Accept', 'application/json']] }, { secrets });
    assert.strictEqual(ex.response?.status, 200);
    assert.strictEqual(seen.length, 1);
    assert.strictEqual(seen[0].authorization, undefined, 'Authorization was not forwarded');
    assert.strictEqual(seen[0].accept, 'application/json', 'other headers are kept');
    const landed = JSON.parse(Buffer.from(ex.response!.body).toString()).url as string;
    assert.strictEqual(landed, '/landed?page=2', 'credential parameters were not forwarded either');
    assert.match(ex.redirects[0].note ?? '', /dropped Authorization/);
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const methods: string[] = [];
    const end = await listen((req, res) => { methods.push(req.method!); res.end('ok'); });
    const r303 = await listen((req, res) => { res.statusCode = 303; res.setHeader('location', `${end.url}/a`); res.end(); });
    const r307 = await listen((req, res) => { res.statusCode = 307; res.setHeader('location', `${end.url}/b`); res.end(); });
    servers.push(end.server, r303.server, r307.server);
    await send({ method: 'POST', url: r303.url, headers: [['Content-Type', 'application/json']], body: '{}' });
    await send({ method: 'POST', url: r307.url, headers: [['Content-Type', 'application/json']], body: '{}' });
    assert.deepStrictEqual(methods, ['GET', 'POST']);
  });

  it('cuts a response above the size cap and says so', async () => {
    const ex = await send({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/wc/v3/products?per_page=50`, headers: [['Authorization', auth]] },
      { tls: { ca: sandbox.certificatePem }, maxResponseBytes: 1000 });
    assert.strictEqual(ex.response?.truncated, true);
    assert.strictEqual(ex.response?.body.byteLength, 1000);
  });

  it('explains a refused connection, a bad URL, https on an http port, a timeout and a cancellation', async () => {
    const dead = await listen(() => undefined);
    const deadUrl = dead.url;
    dead.server.close();
    await new Promise((r) => setTimeout(r, 50));
    const refused = await send({ method: 'GET', url: `${deadUrl}/`, headers: [] });
    assert.strictEqual(refused.error?.code, 'ECONNREFUSED');
    assert.match(refused.error!.message, /Nothing is listening/);

    const bad = await send({ method: 'GET', url: 'not a url', headers: [] });
    assert.strictEqual(bad.error?.code, 'INVALID_URL');

    const wrongScheme = await send({ method: 'GET', url: sandbox.httpUrl.replace('http:', 'https:') + '/wp-json/', headers: [] }, { tls: { verify: false } });
    assert.match(wrongScheme.error?.message ?? '', /plain HTTP/);

    const silent = await listen(() => { /* never answers */ });
    servers.push(silent.server);
    const slow = await send({ method: 'GET', url: silent.url, headers: [] }, { timeoutMs: 300 });
    assert.strictEqual(slow.error?.code, 'TIMEOUT', JSON.stringify(slow.error));

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const cancelled = await send({ method: 'GET', url: silent.url, headers: [] }, { signal: controller.signal, timeoutMs: 5000 });
    assert.strictEqual(cancelled.error?.code, 'CANCELLED');
  });

  it('times out, cancels, and reports a dropped connection while the body is still arriving', async () => {
    // Headers and half the body at once, then nothing (or, for /drop, the connection cut).
    const stalls = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' });
      res.write('{"half":"of it');
      if (req.url === '/drop') setTimeout(() => res.socket?.destroy(), 50);
    });
    servers.push(stalls.server);

    const slow = await send({ method: 'GET', url: `${stalls.url}/`, headers: [] }, { timeoutMs: 300 });
    assert.strictEqual(slow.error?.code, 'TIMEOUT', JSON.stringify(slow.error));
    // What arrived before the deadline is kept, and said to be incomplete.
    assert.strictEqual(slow.response?.status, 200);
    assert.strictEqual(slow.response?.incomplete, true);
    assert.match(slow.error.message, /^The body is incomplete \(14 of the 20 bytes arrived\): No complete answer/);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const cancelled = await send({ method: 'GET', url: `${stalls.url}/`, headers: [] }, { signal: controller.signal, timeoutMs: 5000 });
    assert.strictEqual(cancelled.error?.code, 'CANCELLED', JSON.stringify(cancelled.error));
    assert.ok(Date.now() - started < 2000, 'the cancellation ends the wait for the body');

    const dropped = await send({ method: 'GET', url: `${stalls.url}/drop`, headers: [] }, { timeoutMs: 5000 });
    assert.ok(dropped.error, 'a body cut short is an error, not a short answer');
    assert.match(dropped.error!.message, /the connection closed after 14 of the 20 bytes/);
    assert.strictEqual(dropped.response?.status, 200, 'the status and headers that arrived are kept');
  });

  it('keeps response headers in order, repeated ones included', async () => {
    const ex = await send({ method: 'GET', url: `${sandbox.httpsUrl}/wp-json/wc/v3/products?per_page=2&page=2`, headers: [['Authorization', auth]] }, { tls: { ca: sandbox.certificatePem } });
    assert.ok(headerValue(ex.response!.headers, 'X-WP-TotalPages'));
    assert.match(headerValue(ex.response!.headers, 'link') ?? '', /rel="prev"/);
  });
});
