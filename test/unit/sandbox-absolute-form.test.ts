// The sandbox is not a proxy: a request line in absolute form (`GET http://evil.example/… HTTP/1.1`,
// with or without a matching Host header) is answered as the sandbox itself, never as the host it
// names: its Home URL, links, Location headers and pages name the sandbox's own address. Raw
// sockets, so that the request line goes out exactly as written.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';

function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('the sandbox answers an absolute-form request as itself', () => {
  for (const plainPermalinks of [false, true]) {
    describe(plainPermalinks ? 'plain permalinks' : 'pretty permalinks', () => {
      let sandbox: RunningSandbox;
      let port: number;
      before(async () => {
        sandbox = await startSandbox({ plainPermalinks });
        port = Number(new URL(sandbox.httpUrl).port);
      });
      after(() => sandbox.stop());

      for (const host of ['evil.example', undefined]) {
        for (const target of ['/wp-json/', '/', '/shop', '/?rest_route=/']) {
          it(`GET http://evil.example${target}${host ? ` with Host: ${host}` : ' with its own Host'}`, async () => {
            const text = await raw(port, `GET http://evil.example${target} HTTP/1.1\r\nHost: ${host ?? `127.0.0.1:${port}`}\r\nConnection: close\r\n\r\n`);
            assert.match(text, /^HTTP\/1\.1 \d{3} /);
            assert.ok(!text.includes('evil.example'), `the answer names evil.example:\n${text.slice(0, 1500)}`);
            if (target === '/wp-json/' && !plainPermalinks) assert.ok(text.includes(`"home":"http:\\/\\/127.0.0.1:${port}"`), text.slice(0, 1500));
          });
        }
      }

      it('an origin-form request still answers as the host it was sent to, as WordPress does', async () => {
        const text = await raw(port, `GET /${plainPermalinks ? '?rest_route=/' : 'wp-json/'} HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`);
        assert.ok(text.includes(`"home":"http:\\/\\/localhost:${port}"`), text.slice(0, 1500));
      });
    });
  }
});
