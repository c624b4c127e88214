// The sandbox's HTTP and HTTPS listeners and what Apache + PHP + WordPress do with a request
// before any REST code runs: build $_GET / $_POST / PHP_AUTH_*, drop the Authorization header when
// the server is configured to (stripAuthorization), pick the REST route (pretty /wp-json/…, or the
// rest_route query variable), or serve the front end (plain-permalinks 301, front page, 404).
// Every request is answered: errors become WordPress-shaped 500s, bodies over the cap 413s, and
// requests Node cannot parse a JSON 400/501 written straight to the socket.
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { Authenticator, type AuthRequest } from './auth';
import { wpError } from './errors';
import { criticalErrorHtml, frontPageHtml, notFoundHtml } from './front-page';
import { behindProxy, firewallAnswer, plainHttpOnTlsPort, securityPluginError } from './intermediaries';
import { requestUriPath } from './oauth-verify';
import { PhpArray, phpBytesToText, phpParseMultipart, phpParseStr, phpToPlain, type PlainValue } from './php-query';
import { registerRoutes } from './resources';
import { NOCACHE_HEADERS, phpJsonEncode, RestServer, type Params } from './rest-server';
import { Shop } from './shop';
import { parseHomeOption, siteUrls, usableHostHeader, type HomeOption } from './site';
import { createTokenPlugin, tokenRequest, type TokenPluginServer } from './tokens';
import type { SandboxOptions, SandboxSeed } from './types';
import { trimBoth, trimEnd } from './text';

/** Request bodies above this answer 413 (PHP's post_max_size is 8 MB; 10 MB leaves room for tests). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** How many request lines the sandbox's request log keeps. */
const REQUEST_LOG_LINES = 10_000;
/** Past this much the connection is cut instead of drained (a client that never stops sending). */
const HARD_BODY_LIMIT = 4 * MAX_BODY_BYTES;

export interface Outgoing {
  status: number;
  /** An array for a header sent several times (Set-Cookie). */
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

/** What arrived on the wire, before PHP's interpretation. */
export interface Incoming {
  isSsl: boolean;
  method: string;
  /** The request-target as sent (bytes as latin1). */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** host:port of the listener, used when the Host header is unusable. */
  listenerHost: string;
}

const CRITICAL_ERROR_MESSAGE = '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>';

const asParams = (v: PlainValue): Params => {
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  return typeof v === 'object' ? v : {};
};

/** The content type without parameters, lower-cased (how PHP picks its POST handler). */
const mediaType = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/** PHP_AUTH_USER / PHP_AUTH_PW as mod_php fills them from `Authorization: Basic …`. */
export function phpBasicAuth(authorization: string | undefined): { user: string; password: string } | undefined {
  if (!authorization || authorization.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  // php_base64_decode() in non-strict mode skips characters outside the alphabet.
  const token = authorization.slice(6).replace(/[^A-Za-z0-9+/]/g, '');
  const decoded = Buffer.from(token, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class SandboxApp {
  readonly shop: Shop;
  private readonly auth: Authenticator;
  private readonly rest = new RestServer();
  private readonly homeOption: HomeOption | undefined;
  /** The request lines received, as an access log has them (the most recent REQUEST_LOG_LINES). */
  readonly requestLines: string[] = [];
  /** The token plugin active on this WordPress (--token-plugin), if any. */
  private readonly tokens: TokenPluginServer | undefined;
  /** advanceClock(): seconds added to the clock after start. */
  private advanced = 0;

  constructor(
    seed: SandboxSeed,
    private readonly options: SandboxOptions,
  ) {
    this.shop = new Shop(seed, () => this.now());
    this.auth = new Authenticator(seed.keys, () => this.shop.users);
    registerRoutes(this.rest, this.shop);
    this.tokens = options.tokenPlugin ? createTokenPlugin(options.tokenPlugin, seed, options, this.rest, () => this.shop.users, () => this.now()) : undefined;
    this.homeOption = options.homeUrl ? parseHomeOption(options.homeUrl) : undefined;
  }

  /** Notes a request line as the web server's access log would: scheme, then the line as sent. */
  logRequestLine(isSsl: boolean, line: string): void {
    this.requestLines.push(`${isSsl ? 'https' : 'http'} "${line}"`);
    if (this.requestLines.length > REQUEST_LOG_LINES) this.requestLines.splice(0, this.requestLines.length - REQUEST_LOG_LINES);
  }

  /** The server clock (seconds), offset as configured. */
  now(): number {
    return Math.floor(Date.now() / 1000) + (this.options.clockOffsetSeconds ?? 0) + this.advanced;
  }

  advanceClock(seconds: number): void {
    this.advanced += seconds;
  }

  handle(arrived: Incoming): Outgoing {
    // In front of WordPress: a firewall rule answers before PHP runs; a TLS-ending proxy decides
    // what is_ssl() says and which X-Forwarded-Proto WordPress sees.
    const blocked = firewallAnswer(arrived, this.options);
    if (blocked) return blocked;
    const proxied = behindProxy(arrived, this.options);
    const incoming: Incoming = { ...arrived, isSsl: proxied.isSsl, headers: proxied.headers };
    const headers = { ...incoming.headers };
    // `RequestHeader unset Authorization early`: neither PHP_AUTH_* nor getallheaders() see it.
    if (this.options.stripAuthorization) delete headers['authorization'];

    const plain = this.options.plainPermalinks === true;
    const hostHeader = clientHost(incoming);
    // Without the option, the recorded store's: an http:// Home URL on the host the client used.
    const option = this.homeOption ?? { scheme: 'http' as const, hostPort: usableHostHeader(hostHeader) ?? incoming.listenerHost, path: '' };
    const site = siteUrls(option, incoming.isSsl, plain);

    // REQUEST_URI: the request-target; an absolute-form target keeps only its path and query.
    let requestUri = incoming.url;
    const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(requestUri);
    if (absolute) requestUri = requestUri.slice(absolute[0].length) || '/';
    const q = requestUri.indexOf('?');
    const queryString = q === -1 ? '' : requestUri.slice(q + 1);
    const get = phpParseStr(queryString);

    // $_POST: only real POSTs with a form body (REFERENCE C.6 step 3: PUT form bodies are not in $_POST).
    const type = mediaType(headers['content-type']);
    const bodyBytes = incoming.body.toString('latin1');
    let post = new PhpArray();
    if (incoming.method === 'POST') {
      if (type === 'application/x-www-form-urlencoded') post = phpParseStr(bodyBytes);
      else if (type === 'multipart/form-data') {
        const boundary = /boundary=("?)([^";]+)\1/i.exec(headers['content-type'] ?? '');
        if (boundary) post = phpParseMultipart(bodyBytes, boundary[2]!);
      }
    }

    // The REST route: WP::parse_request() takes rest_route from $_POST, then $_GET, then the
    // pretty-permalink rewrite `^wp-json/?$` / `^wp-json/(.*)?` on the raw path.
    const path = requestUriPath(requestUri);
    const homePath = site.homePath();
    let relative = trimBoth(path, '/');
    if (homePath && relative.toLowerCase().startsWith(homePath.toLowerCase())) relative = relative.slice(homePath.length).replace(/^\/+/, '');
    let restRoute: string | undefined;
    const fromPost = post.get('rest_route');
    const fromGet = get.get('rest_route');
    if (typeof fromPost === 'string') restRoute = phpBytesToText(fromPost);
    else if (typeof fromGet === 'string') restRoute = phpBytesToText(fromGet);
    else if (!plain && /^wp-json(\/|$)/.test(relative)) restRoute = '/' + phpBytesToText(relative.slice('wp-json'.length).replace(/^\//, ''));
    const isRest = restRoute !== undefined && restRoute !== '' && restRoute !== '0';

    const authRequest: AuthRequest = {
      isSsl: incoming.isSsl,
      isRestRequest: isRest,
      requestMethod: incoming.method,
      requestUri,
      get,
      post,
      phpAuth: phpBasicAuth(headers['authorization']),
      authorizationHeader: headers['authorization'],
      site,
      now: this.now(),
    };

    try {
      // A token plugin's determine_current_user runs at priority 10: when it names a user,
      // WooCommerce (15) and application passwords (20) step aside.
      const treq = this.tokens ? tokenRequest({ incoming, headers, requestUri, path, relative, get, post, type, isRest, site, now: this.now() }) : undefined;
      const page = treq && !isRest ? this.tokens!.page?.(treq) : undefined;
      if (page) return page;
      const tokenAuth = treq ? this.tokens!.authenticate(treq) : {};
      const auth = tokenAuth.userId ? { userId: tokenAuth.userId, key: undefined, error: undefined } : this.auth.authenticate(authRequest);
      const user = auth.userId ? this.shop.user(auth.userId) : undefined;

      if (isRest) {
        // rest_api_loaded(): untrailingslashit( rest_route ), '/' when that leaves nothing.
        const route = trimEnd(restRoute!, '/\\') || '/';
        let formBody: Params | undefined;
        if (incoming.body.length > 0 && (type === '' || type === 'application/x-www-form-urlencoded')) formBody = asParams(phpToPlain(phpParseStr(bodyBytes)));
        const out = this.rest.serve({
          route,
          requestMethod: incoming.method,
          query: asParams(phpToPlain(get)),
          rawQuery: get,
          post: asParams(phpToPlain(post)),
          formBody,
          rawBody: incoming.body,
          headers,
          user,
          key: auth.key,
          // A token plugin's error first, then a security plugin's filter (it runs before WooCommerce's and hides its error).
          authError: (treq && this.tokens!.authenticationError?.(treq, user?.id ?? 0)) || securityPluginError(user !== undefined, this.options) || auth.error,
          preDispatchError: tokenAuth.preDispatchError,
          site,
        });
        return { status: out.status, headers: out.headers, body: out.body };
      }
      return this.frontEnd(incoming, requestUri, relative, queryString, site, user !== undefined);
    } catch {
      // A PHP fatal error (PhpFatalError: a TypeError WooCommerce's code would hit), or a bug
      // here: WordPress's fatal error handler answers 500, never a hang or a crash.
      if (isRest) {
        const body = phpJsonEncode({ code: 'internal_server_error', message: CRITICAL_ERROR_MESSAGE, data: { status: 500 }, additional_errors: [] });
        return { status: 500, headers: { 'Content-Type': 'application/json; charset=UTF-8' }, body };
      }
      return { status: 500, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: criticalErrorHtml() };
    }
  }

  /** Not a REST request: WordPress's theme side. */
  private frontEnd(incoming: Incoming, requestUri: string, relative: string, queryString: string, site: ReturnType<typeof siteUrls>, loggedIn: boolean): Outgoing {
    const html = { 'Content-Type': 'text/html; charset=UTF-8' };
    const nocache = loggedIn ? NOCACHE_HEADERS : {};
    const apiLink = { Link: `<${site.rest('/')}>; rel="https://api.w.org/"` };
    const path = requestUriPath(requestUri);
    const redirect = (location: string): Outgoing => ({ status: 301, headers: { ...nocache, 'X-Redirect-By': 'WordPress', Location: location, ...html }, body: '' });

    const atHome = relative === '' || relative === 'index.php';
    // redirect_canonical(): a front-end request on another host than the Home URL's is sent there
    // (what makes "www" stores redirect); REST requests never pass through it.
    const homeHost = new URL(site.home('')).host.toLowerCase();
    const hostHeader = clientHost(incoming);
    const requestHost = (hostHeader ?? (isProxyForm(incoming) ? incoming.listenerHost : '')).toLowerCase();
    if (this.homeOption && requestHost && requestHost !== homeHost) {
      let target = relative ? `/${relative}` : '/';
      if (relative && (path.endsWith('/') || (this.options.plainPermalinks && !atHome))) target += '/';
      return redirect(`${site.home('')}${target}${queryString ? `?${queryString}` : ''}`);
    }
    if (this.options.plainPermalinks) {
      // Plain permalinks: any other path is the front page, once it ends with a slash (case 59 → 60).
      if (!atHome && !path.endsWith('/')) {
        const scheme = site.isSsl ? 'https' : 'http';
        const host = usableHostHeader(hostHeader) ?? incoming.listenerHost;
        return redirect(`${scheme}://${host}${path}/${queryString ? `?${queryString}` : ''}`);
      }
      return { status: 200, headers: { ...nocache, ...apiLink, ...html }, body: frontPageHtml(site) };
    }
    if (atHome) return { status: 200, headers: { ...nocache, ...apiLink, ...html }, body: frontPageHtml(site) };
    // handle_404() sends no-cache headers on every 404.
    return { status: 404, headers: { ...NOCACHE_HEADERS, ...apiLink, ...html }, body: notFoundHtml(site) };
  }
}

// ---------------------------------------------------------------------------------------------
// Listeners

/**
 * The sandbox is not a proxy: a request line in absolute form (`GET http://evil.example/…`) is
 * answered as the sandbox itself, its Host header ignored with the authority it names.
 */
function isProxyForm(incoming: Incoming): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(incoming.url);
}

/** The Host header the client sent, unless the request is in absolute form (then undefined). */
function clientHost(incoming: Incoming): string | undefined {
  return isProxyForm(incoming) ? undefined : incoming.headers['host'];
}

function formatHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Reads the body; bodies over MAX_BODY_BYTES are drained and reported as too large. */
function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HARD_BODY_LIMIT) {
        req.destroy();
        return;
      }
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

function writeRaw(socket: Duplex, status: number, reason: string, payload: object): void {
  if (!socket.writable) return;
  const body = phpJsonEncode(payload);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export interface Listeners {
  httpUrl: string;
  httpsUrl: string;
  close(): Promise<void>;
}

export async function listen(app: SandboxApp, options: SandboxOptions, tls: { key: string; cert: string }): Promise<Listeners> {
  const host = options.host ?? '127.0.0.1';
  const servers: net.Server[] = [];

  const makeHandler = (isSsl: boolean, server: () => net.Server) => (req: http.IncomingMessage, res: http.ServerResponse): void => {
    app.logRequestLine(isSsl, `${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}`);
    const send = (out: Outgoing): void => {
      if (res.headersSent) return;
      res.sendDate = false;
      res.statusCode = out.status;
      res.setHeader('Date', new Date(app.now() * 1000).toUTCString());
      res.setHeader('Server', 'WooCommerce-API-Studio-Sandbox (WordPress 6.4.1, WooCommerce 8.2.2 behaviour)');
      for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
      const body = typeof out.body === 'string' ? Buffer.from(out.body, 'utf8') : out.body;
      res.setHeader('Content-Length', body.length);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    readBody(req)
      .then((body) => {
        const address = server().address();
        const listenerHost = address && typeof address === 'object' ? `${formatHost(address.address)}:${address.port}` : `${formatHost(host)}`;
        if (body === 'too-large') {
          res.setHeader('Connection', 'close');
          send({
            status: 413,
            headers: { 'Content-Type': 'application/json; charset=UTF-8' },
            body: phpJsonEncode(wpError('sandbox_request_too_large', `The request body is larger than the sandbox accepts (${MAX_BODY_BYTES / 1024 / 1024} MB).`, 413, { max_bytes: MAX_BODY_BYTES })),
          });
          return;
        }
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        send(app.handle({ isSsl, method: req.method ?? 'GET', url: req.url ?? '/', headers, body, listenerHost }));
      })
      .catch(() => {
        if (!res.headersSent && !res.destroyed) {
          send({ status: 500, headers: { 'Content-Type': 'application/json; charset=UTF-8' }, body: phpJsonEncode({ code: 'internal_server_error', message: CRITICAL_ERROR_MESSAGE, data: { status: 500 }, additional_errors: [] }) });
        }
      });
  };

  const harden = (server: http.Server): void => {
    server.requestTimeout = 30_000;
    server.headersTimeout = 15_000;
    server.keepAliveTimeout = 5_000;
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      if (err.code === 'HPE_INVALID_METHOD') {
        writeRaw(socket, 501, 'Not Implemented', wpError('sandbox_method_not_supported', 'The sandbox cannot read this request method (Node.js only parses the standard HTTP methods); a real Apache server would pass it to WordPress.', 501));
      } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        writeRaw(socket, 408, 'Request Timeout', wpError('sandbox_request_timeout', 'The request was not completed in time.', 408));
      } else {
        writeRaw(socket, 400, 'Bad Request', wpError('sandbox_bad_request', 'The request is not valid HTTP.', 400));
      }
    });
    // CONNECT (proxy tunnels) is not part of a WordPress site. (Upgrade requests, e.g. curl's h2c
    // offer, have no listener on purpose: Node then serves them as ordinary requests.)
    server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => writeRaw(socket, 405, 'Method Not Allowed', wpError('sandbox_method_not_allowed', 'The sandbox is not a proxy; CONNECT is not supported.', 405)));
  };

  // Each handler reads its server when a request comes, after the server below exists.
  const httpServer: http.Server = http.createServer(makeHandler(false, () => httpServer));
  const httpsServer = https.createServer({ key: tls.key, cert: tls.cert }, makeHandler(true, () => tlsPort));
  httpsServer.on('tlsClientError', () => undefined); // a client that does not trust the certificate
  harden(httpServer);
  harden(httpsServer);
  // The HTTPS port looks at the first byte of each connection, as Apache's mod_ssl does: a TLS
  // handshake (0x16) goes on to the HTTPS server; plain HTTP gets Apache's 400 page.
  const tlsSockets = new Set<net.Socket>();
  const tlsPort: net.Server = net.createServer((socket) => {
    tlsSockets.add(socket);
    socket.once('close', () => tlsSockets.delete(socket));
    socket.setTimeout(15_000, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      if (chunk[0] !== 0x16) {
        const address = tlsPort.address();
        const listenerHost = address && typeof address === 'object' ? `${formatHost(address.address)}:${address.port}` : formatHost(host);
        app.logRequestLine(false, chunk.toString('latin1').split(/\r?\n/)[0] ?? '');
        socket.end(plainHttpOnTlsPort(listenerHost));
        return;
      }
      socket.pause();
      socket.unshift(chunk);
      httpsServer.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => undefined);
  });
  // The HTTPS server never listens itself; 'listening' starts its request and headers timeouts.
  tlsPort.on('listening', () => httpsServer.emit('listening'));
  servers.push(httpServer, httpsServer, tlsPort);

  const start = (server: net.Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        const address = server.address();
        resolve(address && typeof address === 'object' ? address.port : port);
      });
    });

  const closeAll = async (): Promise<void> => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s instanceof http.Server) s.closeAllConnections();
            // Called with ERR_SERVER_NOT_RUNNING for a server that is not listening (the HTTPS
            // server, which takes its connections from the TLS port).
            s.close(() => resolve());
            if (s instanceof http.Server) s.closeAllConnections();
            if (s === tlsPort) for (const socket of tlsSockets) socket.destroy();
          }),
      ),
    );
  };

  try {
    const httpPort = await start(httpServer, options.httpPort ?? 0);
    const httpsPort = await start(tlsPort, options.httpsPort ?? 0);
    const shown = formatHost(host);
    return { httpUrl: `http://${shown}:${httpPort}`, httpsUrl: `https://${shown}:${httpsPort}`, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
