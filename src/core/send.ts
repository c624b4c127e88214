// Sends one request and records the exchange: the request exactly as it went on the wire (headers
// we added included, secrets masked), every redirect hop, the response, and where the time went.
// send() never throws: transport failures come back as `exchange.error`, a sentence saying what
// happened and what to try.
//
// Redirects are followed here, not by undici, so that each hop is recorded, credentials never
// reach another origin, and `@no-redirect` can stop at the first answer (REFERENCE C.10 #4: a
// silently followed redirect is one of the ways a WooCommerce request loses its credentials).
//
// Pure of `vscode`; undici for HTTP (see README for the version choice).

import * as diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, buildConnector, request as undiciRequest } from 'undici';
import { isSecretHeader, redactHeader, redactText, redactUrl, withHeaderCredentials, type SecretLabels } from './redact';
import { redactBytes } from './redact-bytes';
import { DEFAULT_USER_AGENT } from './version';
import { headerValue } from './headers';

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string | Uint8Array;
}

export interface TlsOptions {
  /** Verify the server's certificate (default true). */
  verify?: boolean;
  /** Extra certificate authorities to trust (PEM), e.g. the sandbox store's own certificate. */
  ca?: string;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** Whole exchange, redirects included. Default 30 s. */
  timeoutMs?: number;
  /** Response bodies above this are cut, and the exchange says so. Default 50 MiB. */
  maxResponseBytes?: number;
  /** Default true; `@no-redirect` sets false. */
  followRedirects?: boolean;
  maxRedirects?: number;
  tls?: TlsOptions;
  /** The secret values in play (consumer key and secret, passwords, tokens): masked in every copy kept. */
  secrets?: readonly string[];
  /** Where some of `secrets` came from: those are shown as their label (`⟨$processEnv NAME⟩`) instead of dots. */
  secretLabels?: SecretLabels;
  /**
   * How the request's body is shown in the exchange when it is not the body's own text: a body read
   * from a file is shown as `⟨file ./order.json (1,277 B)⟩` (secrets still masked in the rest).
   */
  bodyShown?: string;
  /** The User-Agent for a request that has none of its own: the store's, else woo-api-studio/<version>. */
  userAgent?: string;
  /**
   * Receives each answer's Set-Cookie values as they came, before masking: the one cookie a client
   * must keep (a JWT plugin's refresh cookie) is otherwise never seen unmasked.
   */
  onSetCookie?: (values: readonly string[]) => void;
}

export interface RecordedRequest {
  method: string;
  /** Secrets masked. */
  url: string;
  /** Secrets masked; in the order sent. */
  headers: [string, string][];
  /** Secrets masked; absent when there was no body. Binary bodies are described, not copied. */
  body?: string;
  bodyBytes: number;
}

export interface RecordedResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  /**
   * The body as received (up to the cap), except the request's known secrets in any of their forms
   * (a server that echoes the request would show them): the rest is the server's, shown as such.
   */
  body: Uint8Array;
  bodyBytes: number;
  /** True when the cap cut the body. */
  truncated: boolean;
  /** True when the connection closed before the whole body arrived: `body` is the part that did. */
  incomplete?: boolean;
  contentType?: string;
}

export interface Hop {
  request: RecordedRequest;
  status: number;
  location: string;
  /** What we changed for the next hop, in words ("dropped Authorization: another origin"). */
  note?: string;
}

export interface Timings {
  /** Milliseconds; undefined when the phase did not happen (reused connection, IP literal, plain HTTP). */
  dns?: number;
  connect?: number;
  tls?: number;
  /** From sending the request to the first byte of the final response's headers. */
  firstByte?: number;
  /** Everything, redirects included. */
  total: number;
  reusedConnection?: boolean;
}

export interface TransportError {
  code: string;
  /** A sentence for the user: what happened and what to try. */
  message: string;
}

export interface Exchange {
  startedAt: string;
  /** The request of the final hop, as sent. */
  request: RecordedRequest;
  response?: RecordedResponse;
  redirects: Hop[];
  timings: Timings;
  error?: TransportError;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const CREDENTIAL_PARAMS = /^(consumer_key|consumer_secret|oauth_[a-z_]+|access_token|password)$/i;

// ---------------------------------------------------------------------------------------------
// Connection pools with timed connections.

interface ConnectionTimes { dns?: number; connect?: number; tls?: number }

// Which send() a new connection's phases belong to: the first request written on that socket.
// The connector notes each new socket's phases; undici's diagnostics channels say which request it
// creates (synchronously, inside the request() call below, while `creating` names the send()) and
// on which socket each request's headers go out. (An AsyncLocalStorage around the request did the
// same, but on Node 20 it costs every request 50-100 µs of CPU: measured in `npm run bench`.)
const socketPhases = new WeakMap<object, ConnectionTimes & { claimed?: boolean }>();
const requestTimes = new WeakMap<object, ConnectionTimes>();
let creating: ConnectionTimes | undefined;
diagnosticsChannel.subscribe('undici:request:create', (message) => {
  if (creating) requestTimes.set((message as { request: object }).request, creating);
});
diagnosticsChannel.subscribe('undici:client:sendHeaders', (message) => {
  const { request, socket } = message as { request: object; socket: object };
  const times = requestTimes.get(request);
  const phases = socketPhases.get(socket);
  if (!times || !phases || phases.claimed) return;
  phases.claimed = true;
  times.dns = phases.dns;
  times.connect = phases.connect;
  times.tls = phases.tls;
});

const agents = new Map<string, Agent>();

function agentFor(tls: TlsOptions | undefined): Agent {
  const verify = tls?.verify !== false;
  const key = `${verify}|${tls?.ca ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    const connect = buildConnector({ rejectUnauthorized: verify, ca: tls?.ca, timeout: 10_000 });
    agent = new Agent({
      connect: (opts, callback) => {
        const start = performance.now();
        let looked: number | undefined;
        let tcp: number | undefined;
        const socket = connect(opts, (err, sock) => {
          if (sock && !err) {
            const done = performance.now();
            socketPhases.set(sock, {
              dns: looked !== undefined ? looked - start : undefined,
              connect: (tcp ?? done) - (looked ?? start),
              tls: opts.protocol === 'https:' && tcp !== undefined ? done - tcp : undefined,
            });
          }
          // undici's callback type is a union of (error, null) and (null, socket): pass it through as one.
          (callback as (e: Error | null, s: unknown) => void)(err, sock);
        }) as unknown as Socket | undefined;
        socket?.once?.('lookup', () => { looked = performance.now(); });
        socket?.once?.('connect', () => { tcp = performance.now(); });
        return socket as never;
      },
      keepAliveTimeout: 10_000,
    });
    agents.set(key, agent);
  }
  return agent;
}

/** Closes pooled connections (tests, deactivate). */
export async function closeConnections(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.close().catch(() => undefined)));
}

// ---------------------------------------------------------------------------------------------

/**
 * Asked before every send: a sentence means "send nothing, say this instead". The editor sets it
 * while its folder is in Restricted Mode (an untrusted workspace), as a backstop behind each
 * command's own check, so no path of the extension can reach the network from such a folder.
 */
let outboundGate: (() => string | undefined) | undefined;

export function setOutboundGate(gate: (() => string | undefined) | undefined): void {
  outboundGate = gate;
}

export async function send(req: OutgoingRequest, options: SendOptions = {}): Promise<Exchange> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  // The request's own credentials too (the base64 of a Basic header, an X-Api-Key): a server may echo them.
  const secrets = withHeaderCredentials(options.secrets ?? [], req.headers);
  const refused = outboundGate?.();
  if (refused !== undefined) {
    return { startedAt, request: recordRequest({ ...req, method: req.method.toUpperCase() }, secrets, options), redirects: [], timings: { total: 0 }, error: { code: 'RESTRICTED_MODE', message: refused } };
  }
  // One abort source for the deadline and the caller's cancellation.
  const abort = new Abort();
  const timeout = { aborted: false };
  const timer = setTimeout(() => { timeout.aborted = true; abort.abort(); }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  timer.unref?.();
  const onCancel = () => abort.abort();
  if (options.signal?.aborted) abort.abort();
  else options.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    return await sendHops(req, options, abort, timeout, started, startedAt, secrets);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
  }
}

/**
 * What undici listens to for cancellation: it takes any object with `aborted`, `reason` and
 * add/removeEventListener. An AbortController costs every request ~10 µs on Node 20 (measured in the
 * send benchmark's profiles); this costs nothing until it fires. (AbortSignal.any is slower still
 * and keeps its sources alive.)
 */
class Abort {
  aborted = false;
  reason: Error | undefined;
  private listeners: (() => void)[] = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = Object.assign(new Error('The request was aborted.'), { name: 'AbortError' });
    for (const listener of this.listeners.splice(0)) listener();
  }
}

async function sendHops(req: OutgoingRequest, options: SendOptions, signal: Abort, timeout: { aborted: boolean }, started: number, startedAt: string, secrets: readonly string[]): Promise<Exchange> {
  const follow = options.followRedirects !== false;
  const maxRedirects = options.maxRedirects ?? 10;

  const redirects: Hop[] = [];
  // Some firewalls refuse requests without a User-Agent: every request says what it is, unless
  // it names itself (a request's own header wins).
  const headers = req.headers.some(([n]) => n.toLowerCase() === 'user-agent') ? req.headers : [...req.headers, ['User-Agent', options.userAgent || DEFAULT_USER_AGENT] as [string, string]];
  let current: OutgoingRequest = { ...req, headers, method: req.method.toUpperCase() };
  // Recorded once per hop, inside the loop, before any finish().
  let record!: RecordedRequest;
  const times: ConnectionTimes = {};
  let firstByte: number | undefined;

  const finish = (extra: Partial<Exchange>): Exchange => ({
    startedAt,
    request: record,
    redirects,
    timings: { ...times, firstByte, total: performance.now() - started, reusedConnection: times.connect === undefined && extra.response !== undefined },
    ...extra,
  });

  for (let hop = 0; ; hop++) {
    let url: URL;
    try {
      url = new URL(current.url);
    } catch {
      record = recordRequest(current, secrets, options, req.body);
      return finish({ error: { code: 'INVALID_URL', message: `"${redactUrl(current.url, secrets, options.secretLabels)}" is not a valid URL. Check the request line: it needs http:// or https:// and a host.` } });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      record = recordRequest(current, secrets, options, req.body);
      return finish({ error: { code: 'UNSUPPORTED_PROTOCOL', message: `Only http:// and https:// URLs can be sent; this one starts with ${url.protocol}//.` } });
    }
    record = recordRequest(current, secrets, options, req.body);
    const sentAt = performance.now();
    let response: RecordedResponse;
    let location: string | undefined;
    try {
      const answer = await exchangeOnce(current, url, options, signal, times, secrets);
      response = answer.response;
      location = answer.location;
      firstByte = answer.firstByteAt - sentAt;
      // What arrived is kept: the status and headers are the server's answer, the body is partial.
      if (answer.bodyError) return finish({ response, error: describeIncompleteBody(answer.bodyError, url, response, answer.expectedBytes, options, timeout) });
    } catch (err) {
      return finish({ error: describeTransportError(err, url, options, timeout) });
    }

    if (!follow || !isRedirect(response.status) || location === undefined) return finish({ response });
    if (hop >= maxRedirects) {
      return finish({ response, error: { code: 'TOO_MANY_REDIRECTS', message: `Stopped after ${maxRedirects} redirects; the server keeps redirecting (last to ${redactUrl(location, secrets, options.secretLabels)}). Check the store URL against the site's Home URL.` } });
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return finish({ response, error: { code: 'BAD_REDIRECT', message: `The server redirected to "${redactText(location, secrets, options.secretLabels)}", which is not a valid URL.` } });
    }
    const { request: nextRequest, note } = nextHop(current, url, next, response.status);
    redirects.push({ request: record, status: response.status, location: redactUrl(next.toString(), secrets, options.secretLabels), note });
    current = nextRequest;
  }
}

/** One HTTP request on the wire; returns the response with its body read (up to the cap). */
async function exchangeOnce(req: OutgoingRequest, url: URL, options: SendOptions, signal: Abort, times: ConnectionTimes, secrets: readonly string[]): Promise<{ response: RecordedResponse; firstByteAt: number; location?: string; bodyError?: unknown; expectedBytes?: number }> {
  const headers: string[] = [];
  for (const [name, value] of req.headers) headers.push(name, value);
  creating = times;
  const pending = undiciRequest(url, {
    method: req.method as never,
    headers,
    body: req.body === undefined || req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
    dispatcher: agentFor(url.protocol === 'https:' ? options.tls : undefined),
    signal: signal as never, // an EventTarget-shaped abort source, which undici accepts
    headersTimeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    bodyTimeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  creating = undefined;
  const res = await pending;
  const firstByteAt = performance.now();
  const cookies = res.headers['set-cookie'];
  if (options.onSetCookie && cookies !== undefined) options.onSetCookie(Array.isArray(cookies) ? cookies : [cookies]);
  const length = Number(res.headers['content-length']);
  const expectedBytes = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  const { body, bytes, truncated, error: bodyError } = await readBody(res.body, options.maxResponseBytes ?? DEFAULT_MAX_BYTES, expectedBytes);
  // The server's headers as received, except secrets: WordPress echoes the request's query in
  // `Link` (consumer_key and consumer_secret included), and cookies are sessions.
  const flat: [string, string][] = [];
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) flat.push([name, redactHeader(name, v, secrets, options.secretLabels)]);
  }
  const response: RecordedResponse = {
    status: res.statusCode,
    statusText: STATUS_TEXT[res.statusCode] ?? '',
    headers: flat,
    body: redactBytes(body, secrets, options.secretLabels),
    bodyBytes: bytes,
    truncated,
    contentType: headerValue(flat, 'content-type'),
  };
  if (bodyError) response.incomplete = true;
  // The redirect is followed to where the server said, not to the masked copy.
  const location = res.headers.location;
  return { response, firstByteAt, location: Array.isArray(location) ? location[0] : location, bodyError, expectedBytes };
}

/**
 * The response body, up to `cap` bytes (the rest is not read: the stream is destroyed). Through
 * 'data' events rather than `for await`, whose async iterator costs every request a few µs more.
 * With a Content-Length the bytes go straight into one buffer of that size (a 50 MB body costs
 * 50 MB, not the chunks plus their concatenation). A connection that fails mid-body resolves with
 * the part that arrived and the error, not a rejection: the status and headers were the server's.
 */
function readBody(stream: Readable, cap: number, expected: number | undefined): Promise<{ body: Buffer; bytes: number; truncated: boolean; error?: unknown }> {
  return new Promise((resolve) => {
    let chunks: Buffer[] | undefined;
    let whole = expected !== undefined && expected <= cap ? Buffer.allocUnsafe(expected) : undefined;
    if (!whole) chunks = [];
    let bytes = 0;
    let settled = false;
    const settle = (truncated: boolean, error?: unknown) => {
      if (settled) return;
      settled = true;
      const body = whole ? whole.subarray(0, bytes) : chunks!.length === 1 ? chunks![0] : Buffer.concat(chunks!);
      resolve({ body, bytes, truncated, error });
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      let part = chunk;
      let cut = false;
      if (bytes + part.length > cap) {
        part = part.subarray(0, cap - bytes);
        cut = true;
      }
      if (whole && bytes + part.length > whole.length) {
        // More than the Content-Length said: collect the rest as it comes.
        chunks = [whole.subarray(0, bytes)];
        whole = undefined;
      }
      if (whole) part.copy(whole, bytes);
      else chunks!.push(part);
      bytes += part.length;
      if (cut) {
        settle(true);
        stream.destroy();
      }
    });
    stream.once('end', () => settle(false));
    stream.once('error', (err) => settle(false, err));
    stream.once('close', () => settle(false, Object.assign(new Error('The connection closed before the whole response body arrived.'), { code: 'UND_ERR_SOCKET' })));
  });
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * The request for the next hop. As browsers do: 303 (and 301/302 after a POST) becomes a GET
 * without a body; 307/308 keep method and body. Credentials go only to the same origin.
 */
export function nextHop(prev: OutgoingRequest, from: URL, to: URL, status: number): { request: OutgoingRequest; note?: string } {
  const notes: string[] = [];
  let method = prev.method;
  let body = prev.body;
  let headers = prev.headers;
  if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
    if (method !== 'GET') notes.push(`${method} became GET (${status})`);
    method = 'GET';
    body = undefined;
    headers = headers.filter(([n]) => !/^(content-type|content-length)$/i.test(n));
  }
  if (to.origin !== from.origin) {
    const dropped = headers.filter(([n]) => isSecretHeader(n)).map(([n]) => n);
    if (dropped.length) {
      headers = headers.filter(([n]) => !isSecretHeader(n));
      notes.push(`dropped ${dropped.join(', ')}: ${to.origin} is another origin`);
    }
    const droppedParams = [...to.searchParams.keys()].filter((k) => CREDENTIAL_PARAMS.test(k));
    if (droppedParams.length) {
      for (const k of new Set(droppedParams)) to.searchParams.delete(k);
      notes.push(`dropped ${[...new Set(droppedParams)].join(', ')} from the query: ${to.origin} is another origin`);
    }
  }
  return { request: { method, url: to.toString(), headers, body }, note: notes.length ? notes.join('; ') : undefined };
}

function recordRequest(req: OutgoingRequest, secrets: readonly string[], options: Pick<SendOptions, 'secretLabels' | 'bodyShown'> = {}, originalBody: OutgoingRequest['body'] = req.body): RecordedRequest {
  const labels = options.secretLabels;
  const headers: [string, string][] = req.headers.map(([n, v]) => [n, redactHeader(n, v, secrets, labels)]);
  let body: string | undefined;
  let bodyBytes = 0;
  if (req.body !== undefined) {
    bodyBytes = typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.byteLength;
    // The caller's description of this body (a file's label): what went out, named, not copied.
    if (options.bodyShown !== undefined && req.body === originalBody) body = redactText(options.bodyShown, secrets, labels);
    else if (typeof req.body === 'string') body = redactText(req.body, secrets, labels);
    else body = `(${bodyBytes} bytes of binary data)`;
  }
  return { method: req.method, url: redactUrl(req.url, secrets, labels), headers, body, bodyBytes };
}

export { headerValue };

// ---------------------------------------------------------------------------------------------
// Transport failures, in words.

function describeTransportError(err: unknown, url: URL, options: SendOptions, timeout: { aborted: boolean }): TransportError {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.cause?.code ?? e?.code ?? (e?.name === 'AbortError' ? 'ABORTED' : 'UNKNOWN');
  const host = url.host;
  const secs = Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000);
  if (e?.name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED' || e?.name === 'TimeoutError') {
    if (timeout.aborted) return { code: 'TIMEOUT', message: `No complete answer from ${host} within ${secs} s. The store may be slow or unreachable; try again, or raise the timeout.` };
    return { code: 'CANCELLED', message: 'The request was cancelled.' };
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code, message: `The host ${url.hostname} could not be found (DNS lookup failed). Check the store URL for typos, and your network or VPN.` };
    case 'ECONNREFUSED':
      return { code, message: `Nothing is listening at ${host}: the connection was refused. Is the store (or the sandbox store) running, and is the port right?` };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      // A TLS server closes plain HTTP without a word: on http:// that is the first suspect.
      if (url.protocol === 'http:') return { code, message: `${host} closed the connection before answering. If this port speaks HTTPS (a TLS server drops plain HTTP without an answer), use https://${host}${url.pathname} instead; otherwise a firewall or proxy may be cutting the request.` };
      return { code, message: `${host} closed the connection before answering. A firewall, proxy or security plugin may be cutting the request; try again, or check the server's logs.` };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code, message: `Could not connect to ${host} in time. The host may be down, or a firewall drops the connection.` };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return { code, message: `${host} answered with headers larger than this client accepts (16 KiB in all). Something on the server adds huge headers, most often oversized cookies, a long Link header or a plugin's debug headers; check the response in a browser's network tab or with curl -I, and trim them on the server.` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'TIMEOUT', message: `${host} accepted the connection but did not answer within ${secs} s.` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code, message: `${host} cannot be reached from this machine (no route). Check your network or VPN.` };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return { code, message: `${host} presents a self-signed TLS certificate, so it cannot be verified. For a local store you trust, turn off TLS verification for this store (option verifyTls: false) or give its certificate as caCertificateFile; never for a live store.` };
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return { code, message: `The TLS certificate of ${host} is signed by an authority this machine does not trust, or the server does not send its intermediate certificates. Fix the server's certificate chain, or trust the authority with the store's caCertificateFile option.` };
    case 'CERT_HAS_EXPIRED':
      return { code, message: `The TLS certificate of ${host} has expired. Renew it on the server.` };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code, message: `The TLS certificate of ${host} is for another name. Use the host name the certificate was issued for (with or without www, as the site uses).` };
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return { code, message: `TLS failed with ${host}: the port may speak plain HTTP. Try http:// for this port, or the store's HTTPS port.` };
    default: {
      const detail = redactText(String(e?.cause?.message ?? e?.message ?? err), options.secrets ?? [], options.secretLabels);
      return { code, message: `The request to ${host} failed: ${detail}.` };
    }
  }
}

/** The sentence for a body that stopped coming after the status and headers arrived. */
function describeIncompleteBody(err: unknown, url: URL, res: RecordedResponse, expected: number | undefined, options: SendOptions, timeout: { aborted: boolean }): TransportError {
  const got = res.bodyBytes.toLocaleString('en-US');
  const of = expected !== undefined ? `${got} of the ${expected.toLocaleString('en-US')} bytes` : `${got} bytes`;
  const cause = describeTransportError(err, url, options, timeout);
  if (cause.code === 'CANCELLED' || cause.code === 'TIMEOUT') {
    return { code: cause.code, message: `The body is incomplete (${of} arrived): ${cause.message}` };
  }
  return {
    code: 'INCOMPLETE_BODY',
    message: `The body is incomplete: the connection closed after ${of} (the status and headers shown are the server's). A proxy, firewall or a PHP fatal error or timeout on the server may have cut it; try again, or check the server's error log.`,
  };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other',
  304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large',
  429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout',
};
