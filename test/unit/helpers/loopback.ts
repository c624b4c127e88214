// Small purpose-built HTTP servers on loopback, for what the sandbox store never does: echo the
// request back (as httpbin and some plugins do), send half a body and hang up, answer with a huge
// body or with terminal escape sequences. Real HTTP over real sockets, no stubs.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Loopback {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

export function listen(handler: http.RequestListener): Promise<Loopback> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  })));
}

/**
 * httpbin's /anything, and worse: the request's headers, query and body as JSON (slashes escaped
 * as PHP's json_encode does), the Authorization credentials decoded and re-encoded, and the whole
 * request in a response header.
 */
export function echoServer(): Promise<Loopback> {
  return listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://echo.invalid');
      const auth = req.headers.authorization ?? '';
      const token = auth.replace(/^\S+\s+/, '');
      const decoded = /^basic\s/i.test(auth) ? Buffer.from(token, 'base64').toString('utf8') : token;
      const echo = {
        method: req.method,
        url: req.url,
        args: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        credentials: decoded,
        // The credentials again, as a server would store them: in base64 at an odd offset.
        stored: Buffer.from(`user=${decoded};`).toString('base64'),
        storedUrlSafe: Buffer.from(`xx${decoded}`).toString('base64url'),
        percent: encodeURIComponent(decoded),
      };
      const text = JSON.stringify(echo).replace(/\//g, '\\/');
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Echo-Authorization': auth, 'X-Echo-Url': req.url ?? '' });
      res.end(text);
    });
  });
}
