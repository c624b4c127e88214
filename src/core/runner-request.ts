// The request the runner panel edits, as plain data, and what can be made of it: the URL on the
// store, a `.http` block that names the store (never a secret), a cURL command with secrets as
// environment-variable placeholders, and the reverse, a runner request from a pasted cURL command.
// The panel itself (issue 6) is a view over these functions; sending goes through the same
// applyStoreAuth + send as everything else.
//
// Pure: no `vscode`.

import { applyStoreAuth, type AppliedAuth, type ApplyOptions, type PlainRequest } from './auth/apply';
import { TokenRenewalError, type TokenManager, type TokenRenewal } from './auth/token-manager';
import { applyFreshToken, resendAfterExpiredToken } from './auth/token-send';
import { withBasicShorthands } from './auth/basic';
import { parseHttpDocument } from './http';
import { malformedPercentEscape } from './http/curl';
import { isSecretHeader } from './redact';
import { jsonProblem } from './json-problem';
import { send, type Exchange, type SendOptions } from './send';
import { credentialsWithheld, isStoreHost, type AuthMethod, type Store, type StoreSecrets } from './store';
import { shellWord, withEnvPlaceholders, type ShellPart } from './shell-quote';
import { METHODS, type BodyField, type BodyKind, type RunnerRequest } from './runner-types';
import { trimSlashes, trimTrailingSlashes } from './url-text';

export { METHODS, type BodyField, type BodyKind, type RunnerRequest } from './runner-types';


/** A blank request on a store: GET wc/v3/ (the caller puts the cursor after it). */
export function blankRequest(store?: string): RunnerRequest {
  return { store, method: 'GET', path: 'wc/v3/', query: [], headers: [], body: { kind: 'none', text: '' }, auth: 'store' };
}


/** The URL the request goes to: `<store base>/<rest prefix>/<path>?<enabled query>`. */
export function runnerUrl(req: RunnerRequest, store: Store | undefined): string {
  const path = req.path.trim();
  let base: string;
  if (/^https?:\/\//i.test(path)) base = path;
  else {
    if (!store) throw new Error('Pick a store, or enter a full URL starting with https://.');
    const prefix = store.options?.restPrefix ?? 'wp-json';
    base = `${trimTrailingSlashes(store.baseUrl)}/${prefix}/${path.replace(/^\/+/, '').replace(new RegExp(`^${prefix}/`), '')}`;
  }
  const params = req.query.filter((q) => q.enabled && q.name.trim() !== '');
  if (params.length === 0) return base;
  const qs = params.map((q) => `${encodeURIComponent(q.name.trim())}=${encodeURIComponent(q.value)}`).join('&').replace(/%5B/g, '[').replace(/%5D/g, ']');
  return `${base}${base.includes('?') ? '&' : '?'}${qs}`;
}

/** A sentence when the body cannot be sent as it stands (JSON that does not parse), else undefined. */
export function bodyProblem(req: RunnerRequest): string | undefined {
  return req.body.kind === 'json' ? jsonProblem(req.body.text) : undefined;
}

/** The headers to send: the enabled ones, plus the body's Content-Type when the user set none. */
export function runnerHeaders(req: RunnerRequest): [string, string][] {
  const headers: [string, string][] = req.headers.filter((h) => h.enabled && h.name.trim() !== '').map((h) => [h.name.trim(), h.value]);
  const has = (n: string) => headers.some(([k]) => k.toLowerCase() === n);
  if (req.body.kind === 'json' && !has('content-type')) headers.push(['Content-Type', 'application/json']);
  if (req.body.kind === 'form' && !has('content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  return headers;
}

function enabledFields(req: RunnerRequest): BodyField[] {
  return (req.body.fields ?? []).filter((f) => f.enabled && f.name.trim() !== '');
}

/** A form body's text: the enabled fields url-encoded, or the text as typed when there are no fields. */
export function formText(req: RunnerRequest): string {
  const fields = enabledFields(req);
  return fields.length ? fields.map((f) => `${encodeURIComponent(f.name.trim())}=${encodeURIComponent(f.value)}`).join('&') : req.body.text;
}

/**
 * A field or file name inside a part's Content-Disposition header, escaped as the HTML standard's
 * multipart/form-data encoding says (what browsers send): LF as %0A, CR as %0D, `"` as %22. A name
 * with a line break can then not end the header early or add a header of its own.
 */
export function formDataName(name: string): string {
  return name.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

/** A multipart/form-data body: each enabled field a part; a file field's part holds the file's bytes. */
export async function multipartBody(req: RunnerRequest, boundary: string, readFile: (path: string) => Promise<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (const f of enabledFields(req)) {
    const name = formDataName(f.name.trim());
    if (f.file !== undefined) {
      const base = f.file.split(/[\\/]/).pop()!;
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${formDataName(base)}"\r\nContent-Type: ${mimeOf(base)}\r\n\r\n`));
      chunks.push(Buffer.from(await readFile(f.file)));
      chunks.push(Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${f.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

function mimeOf(file: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', pdf: 'application/pdf', json: 'application/json', csv: 'text/csv', txt: 'text/plain' };
  return (ext && types[ext]) || 'application/octet-stream';
}

/** The store as the request uses it: its own auth method, or the per-request override. */
export function storeWithAuth(store: Store, auth: RunnerRequest['auth']): Store {
  return !auth || auth === 'store' ? store : { ...store, authMethod: auth };
}

export interface PreparedRunnerRequest {
  plain: PlainRequest;
  /** Its `secrets` include `typedSecrets`, so that every copy masks them. */
  applied: AppliedAuth;
  /** Passwords of a typed `Authorization: Basic user:pass` (not the store's). */
  typedSecrets: string[];
}

/**
 * The request ready to go: URL, headers, body, and the store's credentials (or the override's)
 * applied. Throws an Error whose message is a sentence when it cannot be sent as it stands.
 */
export async function prepareRunnerRequest(
  req: RunnerRequest,
  store: Store | undefined,
  secrets: StoreSecrets | undefined,
  options: {
    authOptions?: ApplyOptions; readFile?: (path: string) => Promise<Uint8Array>; boundary?: string;
    /** The store's token is applied by its token manager afterwards (runRunnerRequest): leave the credentials out here. */
    deferTokenAuth?: boolean;
  } = {},
): Promise<PreparedRunnerRequest> {
  const problem = bodyProblem(req);
  if (problem) throw new Error(`Not sent: ${problem}`);
  const hole = /\{(\w+)\}/.exec(req.path);
  if (hole) throw new Error(`Not sent: fill in {${hole[1]}} in the URL (for example the ID of the item).`);
  const url = runnerUrl(req, store);
  try {
    new URL(url);
  } catch {
    throw new Error(`Not sent: "${url}" is not a valid URL.`);
  }
  // Typed as REST Client takes it: `Basic user:pass` goes out base64-encoded, its password masked.
  const typedSecrets: string[] = [];
  const headers = withBasicShorthands(runnerHeaders(req), typedSecrets);
  let body: string | Uint8Array | undefined;
  let formFields: [string, string][] | undefined;
  const hasBody = !['GET', 'HEAD'].includes(req.method);
  if (hasBody && req.body.kind === 'form') {
    body = formText(req);
    formFields = req.method === 'POST' ? [...new URLSearchParams(body)] : undefined;
  } else if (hasBody && req.body.kind === 'multipart') {
    const boundary = options.boundary ?? `----WooApiStudio${Math.random().toString(16).slice(2)}`;
    if (!options.readFile && enabledFields(req).some((f) => f.file !== undefined)) throw new Error('Not sent: files cannot be read here.');
    try {
      body = await multipartBody(req, boundary, options.readFile ?? (() => Promise.resolve(new Uint8Array())));
    } catch (err) {
      throw new Error(`Not sent: a file of the multipart body cannot be read (${(err as Error).message}).`);
    }
    if (!headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', `multipart/form-data; boundary=${boundary}`]);
  } else if (hasBody && req.body.kind !== 'none' && req.body.text !== '') {
    body = req.body.text;
  }
  const plain: PlainRequest = { method: req.method, url, headers, body, formFields };
  const used = store && isStoreHost(url, store) ? storeWithAuth(store, req.auth) : undefined;
  const added = store && !used ? [credentialsWithheld(url, store)] : [];
  const ownHeader = plain.headers.some(([n]) => n.toLowerCase() === 'authorization');
  const deferred = options.deferTokenAuth && used && !ownHeader && (used.authMethod === 'jwt' || used.authMethod === 'oauth2');
  const applied = used && !deferred ? applyStoreAuth(plain, used, secrets, options.authOptions) : { request: plain, secrets: [], added };
  return { plain, applied: typedSecrets.length ? { ...applied, secrets: [...applied.secrets, ...typedSecrets] } : applied, typedSecrets };
}

export interface RunnerResult {
  exchange?: Exchange;
  applied?: AppliedAuth;
  /** The auth method that was applied (for the explanation). */
  authMethod: AuthMethod;
  /** Why nothing was sent, as a sentence. */
  notSent?: string;
  /** Token stores: the renewals this request needed, and the first attempt when it was sent again. */
  renewals?: TokenRenewal[];
  firstAttempt?: Exchange;
}

/** Prepares and sends: the runner panel's one HTTP path, the same send() as `.http` files. */
export async function runRunnerRequest(
  req: RunnerRequest,
  store: Store | undefined,
  secrets: StoreSecrets | undefined,
  options: {
    authOptions?: ApplyOptions; readFile?: (path: string) => Promise<Uint8Array>; ca?: string; signal?: AbortSignal; send?: Omit<SendOptions, 'signal' | 'tls' | 'secrets'>;
    /** jwt / oauth2 stores: the store's token manager (a fresh token before sending, one renewal after an expired-token answer). */
    tokens?: TokenManager;
  } = {},
): Promise<RunnerResult> {
  let authMethod: AuthMethod = store ? storeWithAuth(store, req.auth).authMethod : 'none';
  const manager = store && req.auth !== 'none' && (authMethod === 'jwt' || authMethod === 'oauth2') ? options.tokens : undefined;
  const renewals: TokenRenewal[] = [];
  let prepared: PreparedRunnerRequest;
  try {
    prepared = await prepareRunnerRequest(req, store, secrets, { ...options, deferTokenAuth: !!manager });
    if (manager && store && isStoreHost(prepared.plain.url, store) && !prepared.plain.headers.some(([n]) => n.toLowerCase() === 'authorization')) {
      const applied = await applyFreshToken(prepared.plain, manager, renewals, options.authOptions);
      prepared = { ...prepared, applied: { ...applied, secrets: [...applied.secrets, ...prepared.typedSecrets] } };
    }
  } catch (err) {
    return { authMethod, notSent: err instanceof TokenRenewalError ? `Not sent: ${err.message}` : (err as Error).message, renewals: err instanceof TokenRenewalError ? [...renewals, err.renewal] : undefined };
  }
  if (store && !isStoreHost(prepared.plain.url, store)) authMethod = 'none';
  const secretsKept = [...prepared.applied.secrets];
  const sendOptions = { userAgent: store?.options?.userAgent, ...options.send, signal: options.signal, tls: { verify: store?.options?.verifyTls !== false, ca: options.ca }, secrets: secretsKept };
  let exchange = await send(prepared.applied.request, sendOptions);
  let applied = prepared.applied;
  let firstAttempt: Exchange | undefined;
  if (manager && authMethod !== 'none') {
    ({ exchange, applied, firstAttempt } = await resendAfterExpiredToken({ exchange, applied }, {
      plain: prepared.plain, manager, renewals, options: options.authOptions, signal: options.signal,
      resend: (again) => {
        secretsKept.push(...again.secrets);
        return send(again.request, sendOptions);
      },
    }));
  }
  return { exchange, applied, authMethod, renewals: renewals.length ? renewals : undefined, firstAttempt };
}

/** A `.http` block for this request: it names the store, and its URL uses {{$store.url}}; never a secret. */
export function toHttpBlock(req: RunnerRequest, store: Store | undefined, title?: string): string {
  const lines: string[] = [`### ${title ?? `${req.method} ${req.path}`}`];
  if (store) lines.push(`# @store ${store.name}`);
  if (store && req.auth === 'none') lines.push('# @no-auth');
  const url = runnerUrl(req, store);
  lines.push(`${req.method} ${store && url.startsWith(store.baseUrl) ? `{{$store.url}}${url.slice(trimTrailingSlashes(store.baseUrl).length)}` : url}`);
  // A credential typed in the panel (X-Api-Key, a Bearer token…) stays out of the file: a variable to define instead.
  for (const [n, v] of runnerHeaders(req)) lines.push(`${n}: ${isSecretHeader(n) ? secretHeaderVariable(n, v) : v}`);
  const hasBody = !['GET', 'HEAD'].includes(req.method);
  if (hasBody && req.body.kind === 'multipart' && enabledFields(req).length) {
    const boundary = 'WooApiStudioBoundary';
    lines.push(`Content-Type: multipart/form-data; boundary=${boundary}`, '');
    for (const f of enabledFields(req)) {
      lines.push(`--${boundary}`);
      const name = formDataName(f.name.trim());
      if (f.file !== undefined) lines.push(`Content-Disposition: form-data; name="${name}"; filename="${formDataName(f.file.split(/[\\/]/).pop()!)}"`, '', `< ${f.file}`);
      else lines.push(`Content-Disposition: form-data; name="${name}"`, '', f.value);
    }
    lines.push(`--${boundary}--`);
  } else if (hasBody && req.body.kind === 'form' && formText(req) !== '') {
    lines.push('', formText(req));
  } else if (hasBody && req.body.kind !== 'none' && req.body.text !== '') {
    lines.push('', req.body.text.replace(/\n+$/, ''));
  }
  // The Tests tab's assertions follow the request as httpYac writes them (SPEC §10.1).
  const tests = (req.tests ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('//'));
  if (tests.length) lines.push('', ...tests.map((t) => (t.startsWith('??') ? t : `?? ${t}`)));
  return lines.join('\n') + '\n';
}

/**
 * The request as a cURL command. By default every secret the store's auth added is replaced by an
 * environment variable (`$WOO_CONSUMER_KEY`, `$WOO_CONSUMER_SECRET`, `$WOO_APP_PASSWORD`,
 * `$WOO_TOKEN`; a password typed in a Basic header: `$WOO_PASSWORD`), so the command can be shared;
 * `includeSecrets` puts the values in. Pasting it runs curl and nothing else, whatever the request
 * holds: every argument is single-quoted (core/shell-quote.ts), the placeholders outside the quotes.
 */
export function toCurl(sent: CurlSource, applied: Pick<AppliedAuth, 'secrets'> | undefined, options: CurlOptions = {}): string {
  const words = curlArguments(sent, applied, options).map((arg) => (arg.length === 1 && typeof arg[0] === 'string' && /^--?[A-Za-z][a-z-]*$/.test(arg[0]) ? arg[0] : shellWord(arg)));
  return ['curl', ...words].join(' ');
}

export interface CurlSource { method: string; url: string; headers: [string, string][]; body?: string }
export interface CurlOptions { includeSecrets?: boolean; store?: Store; typedSecrets?: readonly string[] }

/** Secrets shorter than this are not replaced inside longer text (every "a" would become $WOO_PASSWORD), as in redact.ts. */
const MIN_PLACEHOLDER_LENGTH = 4;

/**
 * curl's arguments (after `curl` itself), each as literal text and placeholders: what toCurl quotes,
 * and what the shell gives curl once the placeholders are set. `-g` because curl would otherwise
 * read `[…]` and `{…}` in the URL (WooCommerce's `filter[x]=…`) as its own URL patterns.
 */
export function curlArguments(sent: CurlSource, applied: Pick<AppliedAuth, 'secrets'> | undefined, options: CurlOptions = {}): ShellPart[][] {
  const names = ['WOO_CONSUMER_KEY', 'WOO_CONSUMER_SECRET'];
  const secretVars = new Map<string, string>();
  if (!options.includeSecrets) {
    const method = options.store?.authMethod;
    const typed = options.typedSecrets ?? [];
    for (const s of typed) if (s !== '' && !secretVars.has(s)) secretVars.set(s, 'WOO_PASSWORD');
    (applied?.secrets ?? []).filter((s) => !typed.includes(s)).forEach((s, i) => {
      const name = method === 'app-password' ? 'WOO_APP_PASSWORD' : method === 'bearer' ? 'WOO_TOKEN' : names[i] ?? `WOO_SECRET_${i + 1}`;
      if (s !== '' && !secretVars.has(s)) secretVars.set(s, name);
    });
  }
  // Every written form of a secret that can be replaced in place: raw and percent-encoded.
  const inText = new Map<string, string>();
  for (const [secret, name] of secretVars) {
    if (secret.length < MIN_PLACEHOLDER_LENGTH) continue;
    for (const form of [secret, encodeURIComponent(secret)]) if (!inText.has(form)) inText.set(form, name);
  }
  const mask = (text: string): ShellPart[] => withEnvPlaceholders(text, inText);
  const whole = (value: string): ShellPart[] => (secretVars.has(value) ? [{ env: secretVars.get(value)! }] : mask(value));
  // A secret inside base64 (Basic) cannot be replaced in place: rebuild that header with -u instead.
  let user: ShellPart[] | undefined;
  const headers = sent.headers.filter(([n, v]) => {
    if (user || n.toLowerCase() !== 'authorization' || !/^Basic\s/i.test(v) || secretVars.size === 0) return true;
    const token = v.replace(/^Basic\s+/i, '');
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    // Only a header curl -u gives back exactly (valid base64 of user:password, user without a colon).
    if (sep < 0 || Buffer.from(decoded, 'utf8').toString('base64') !== token.trim()) return true;
    const u = decoded.slice(0, sep);
    const p = decoded.slice(sep + 1);
    if (!secretVars.has(u) && !secretVars.has(p)) return true;
    user = [...whole(u), ':', ...whole(p)];
    return false;
  });
  const args: ShellPart[][] = [['-g'], ['-X'], [sent.method]];
  // A URL that begins with "-" would be read as an option.
  if (sent.url.startsWith('-')) args.push(['--url']);
  args.push(mask(sent.url));
  if (user) args.push(['-u'], user);
  for (const [n, v] of headers) args.push(['-H'], options.includeSecrets || !isSecretHeader(n) ? mask(`${n}: ${v}`) : secretHeader(n, v, mask));
  if (sent.body !== undefined && sent.body !== '') args.push(['--data-raw'], mask(sent.body));
  return args;
}

/**
 * A secret header (redact.ts's list) whose value is not one of the store's: its value becomes an
 * environment variable named after it (`X-Api-Key` → `$WOO_X_API_KEY`); an Authorization header
 * keeps its scheme (`Bearer "$WOO_AUTHORIZATION"`).
 */
function secretHeader(name: string, value: string, mask: (text: string) => ShellPart[]): ShellPart[] {
  const masked = mask(`${name}: ${value}`);
  if (masked.some((p) => typeof p !== 'string')) return masked;
  return [`${name}: ${schemeOf(name, value)}`, { env: `WOO_${name.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_')}` }];
}

/** `Bearer ` of an Authorization header's value (what may be shown of it), else ''. */
function schemeOf(name: string, value: string): string {
  return /^(?:proxy-)?authorization$/i.test(name.trim()) ? /^[A-Za-z][\w-]*\s+(?=\S)/.exec(value)?.[0] ?? '' : '';
}

/** The `{{variable}}` a secret header's value becomes in a saved .http block (the scheme of an Authorization kept). */
function secretHeaderVariable(name: string, value: string): string {
  return `${schemeOf(name, value)}{{${name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_')}}}`;
}

/**
 * A runner request for a request written elsewhere (a cURL command, a `.http` block): on the store
 * whose base URL it starts with (`preferred` first), its path relative to the REST prefix;
 * credentials it carried are dropped, since the store's own are applied when it is sent.
 */
export function runnerRequestFor(
  r: { method: string; url: string; headers: readonly [string, string][]; body?: string },
  stores: readonly Store[],
  preferred?: Store,
): { request?: RunnerRequest; problem?: string; leftOut?: string[] } {
  let url: URL;
  try {
    url = new URL(r.url);
  } catch {
    return { problem: `The URL "${r.url}" is not a full http(s) URL.` };
  }
  const within = (s: Store) => url.href.startsWith(trimTrailingSlashes(s.baseUrl) + '/');
  const store = preferred && within(preferred) ? preferred : stores.find(within);
  const prefix = `/${store?.options?.restPrefix ?? 'wp-json'}/`;
  const basePath = store ? trimTrailingSlashes(new URL(store.baseUrl).pathname) : '';
  const bad = malformedPercentEscape(r.url);
  if (bad) return { problem: `${bad.sentence} Correct it and import again.` };
  const rel = store && url.pathname.startsWith(`${basePath}${prefix}`) ? decodeURI(url.pathname.slice(`${basePath}${prefix}`.length)) : undefined;
  const credential = /^(consumer_key|consumer_secret|oauth_[a-z_]+|access_token)$/i;
  const query = [...url.searchParams].filter(([name]) => !credential.test(name)).map(([name, value]) => ({ name, value, enabled: true }));
  // What was left out, by name only (never a value): the importer says so.
  const leftOut = [
    ...[...new Set([...url.searchParams.keys()].filter((n) => credential.test(n)))].map((n) => `the ${n} parameter`),
    ...(url.username || url.password ? ['the user name and password in the URL'] : []),
    ...r.headers.filter(([n]) => isSecretHeader(n)).map(([n]) => `the ${n.trim()} header`),
  ];
  const bodyText = r.body ?? '';
  const type = r.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  const kind: BodyKind = bodyText === '' ? 'none' : /json/i.test(type) || /^\s*[[{]/.test(bodyText) ? 'json' : /x-www-form-urlencoded/i.test(type) ? 'form' : 'text';
  const fields = kind === 'form' ? [...new URLSearchParams(bodyText)].map(([name, value]) => ({ name, value, enabled: true })) : undefined;
  const implied = (n: string, v: string) => n.toLowerCase() === 'content-type' && ((kind === 'json' && /^application\/json\s*$/i.test(v)) || (kind === 'form' && /^application\/x-www-form-urlencoded\s*$/i.test(v)));
  return {
    request: {
      store: rel !== undefined ? store!.id : undefined,
      method: METHODS.includes(r.method.toUpperCase() as (typeof METHODS)[number]) ? r.method.toUpperCase() : 'GET',
      path: rel ?? `${url.origin}${url.pathname}`,
      query,
      headers: r.headers.filter(([n, v]) => !isSecretHeader(n) && !/^(content-length|host)$/i.test(n.trim()) && !implied(n, v)).map(([name, value]) => ({ name, value, enabled: true })),
      body: { kind, text: kind === 'form' ? '' : bodyText, ...(fields ? { fields } : {}) },
      auth: 'store',
    },
    leftOut,
  };
}

/** The sentence an import says about the credentials it left out (undefined: there were none). */
export function leftOutSentence(leftOut: readonly string[] | undefined, storeName: string | undefined): string | undefined {
  if (!leftOut?.length) return undefined;
  const list = leftOut.length === 1 ? leftOut[0] : `${leftOut.slice(0, -1).join(', ')} and ${leftOut[leftOut.length - 1]}`;
  return `Imported without its credentials: ${list} ${leftOut.length === 1 ? 'was' : 'were'} left out. ${storeName ? `The credentials of store "${storeName}" are applied when it is sent.` : 'Choose a store to send it with credentials.'}`;
}

/**
 * A runner tab's title, from its request's path: the method and the route below wc/v3/ (or below
 * /wp-json/ for an address typed whole), "New request" while the path is only the namespace.
 */
export function runnerTitle(req: Pick<RunnerRequest, 'method' | 'path'>): string {
  let path = req.path.trim();
  if (/^https?:\/\//i.test(path)) {
    try {
      const u = new URL(path);
      const at = u.pathname.indexOf('/wp-json/');
      path = at >= 0 ? u.pathname.slice(at + '/wp-json/'.length) : `${u.host}${u.pathname}`;
    } catch {
      // Still being typed: the text as it is.
    }
  }
  const route = trimTrailingSlashes(trimSlashes(path).replace(/^wc\/v3\/?/, ''));
  if (route === '') return 'New request';
  const title = `${req.method} ${route}`;
  return title.length > 40 ? `${title.slice(0, 39)}…` : title;
}

/** A runner request from a pasted cURL command (the .http parser's cURL reader does the shell work). */
export function fromCurl(command: string, stores: readonly Store[]): { request?: RunnerRequest; problem?: string; leftOut?: string[] } {
  const doc = parseHttpDocument(command.trim().replace(/\\\r?\n/g, ' '));
  const t = doc.requests[0];
  if (!t || !t.curl) return { problem: 'That is not a cURL command: it should start with "curl" and name a URL.' };
  const r = runnerRequestFor({ method: t.method, url: t.url, headers: t.headers.map((h) => [h.name, h.value]), body: t.body && t.body.kind === 'text' ? t.body.text : undefined }, stores);
  if (!r.problem) return r;
  const bad = malformedPercentEscape(t.url);
  return { problem: bad ? `The cURL command's URL cannot be imported. ${bad.sentence} Correct it and paste the command again.` : `The cURL command's URL "${t.url}" is not a full http(s) URL.` };
}
