// send() when the answer goes wrong half-way, against real loopback servers: a body cut after the
// headers keeps what arrived (the exchange view and the runner show the status, the headers, the
// partial body and say it is incomplete); headers too large are said in a sentence.
import * as assert from 'assert';
import * as net from 'net';
import { formatExchange } from '../../src/core/exchange-format';
import { responseView } from '../../src/core/runner-messages';
import { closeConnections, send } from '../../src/core/send';
import { listen, type Loopback } from './helpers/loopback';

describe('send() when the answer breaks off', () => {
  let server: Loopback;
  before(async () => {
    server = await listen((req, res) => {
      if (req.url === '/half') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000', 'X-WP-Total': '250' });
        res.write(`[${'1,'.repeat(200)}`);
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      if (req.url === '/half-chunked') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('the first half');
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  after(async () => { await closeConnections(); await server.close(); });

  it('keeps the status, headers and partial body of a response cut mid-body, and says the body is incomplete', async () => {
    const ex = await send({ method: 'GET', url: `${server.url}/half`, headers: [] });
    assert.ok(ex.response, `the response that arrived is kept: ${ex.error?.message}`);
    assert.strictEqual(ex.response.status, 200);
    assert.ok(ex.response.headers.some(([n, v]) => n === 'x-wp-total' && v === '250'));
    assert.strictEqual(ex.response.bodyBytes, 401);
    assert.strictEqual(Buffer.from(ex.response.body).toString(), `[${'1,'.repeat(200)}`);
    assert.strictEqual(ex.response.incomplete, true);
    assert.strictEqual(ex.error?.code, 'INCOMPLETE_BODY');
    assert.match(ex.error.message, /^The body is incomplete: the connection closed after 401 of the 1,000 bytes/);

    const text = formatExchange(ex);
    assert.match(text, /^# Note: The body is incomplete/m);
    assert.match(text, /^HTTP\/1\.1 200 OK$/m);
    assert.match(text, /^x-wp-total: 250$/m);
    assert.match(text, /# The body is incomplete: the connection closed after 401 B\.$/m);

    const view = responseView(ex, { maxBodyBytes: 1 << 20, secrets: [] });
    assert.strictEqual(view.status, 200);
    assert.match(view.error ?? '', /incomplete/);
    assert.ok(view.headers.some(([n]) => n === 'x-wp-total'));
    assert.strictEqual(view.body.kind, 'text', 'a cut JSON body is shown as text, not parsed');
    assert.match((view.body as { note?: string }).note ?? '', /incomplete/);
  });

  it('without a Content-Length too', async () => {
    const ex = await send({ method: 'GET', url: `${server.url}/half-chunked`, headers: [] });
    assert.strictEqual(ex.response?.status, 200);
    assert.strictEqual(Buffer.from(ex.response!.body).toString(), 'the first half');
    assert.match(ex.error?.message ?? '', /^The body is incomplete: the connection closed after 14 bytes/);
  });

  it('says in a sentence that the headers were too large, and what to try', async () => {
    const raw = net.createServer((socket) => {
      socket.on('error', () => { /* the client hangs up */ });
      socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\nSet-Cookie: big=${'x'.repeat(64 * 1024)}\r\nContent-Length: 0\r\n\r\n`));
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const ex = await send({ method: 'GET', url: `http://127.0.0.1:${(raw.address() as net.AddressInfo).port}/`, headers: [] });
      assert.strictEqual(ex.response, undefined);
      assert.strictEqual(ex.error?.code, 'UND_ERR_HEADERS_OVERFLOW');
      assert.match(ex.error.message, /answered with headers larger than this client accepts/);
      assert.doesNotMatch(ex.error.message, /Headers Overflow Error/);
    } finally {
      raw.close();
    }
  });
});
