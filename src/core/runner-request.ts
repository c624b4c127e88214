// The request the runner panel edits, as plain data, and what can be made of it: the URL on the
// store, a `.http` block that names the store (never a secret), a cURL command with secrets as
// environment-variable placeholders, and the reverse, a runner request from a pasted cURL command.
// The panel itself (issue 6) is a view over these functions; sending goes through the same
// applyStoreAuth + send as everything else.
//
// Pure: no `vscode`.

import type { AppliedAuth } from './auth/apply';
import { parseHttpDocument } from './http';
import type { Store } from './store';

export type BodyKind = 'none' | 'json' | 'form' | 'text';

export interface RunnerRequest {
  /** Store id or name. */
  store?: string;
  method: string;
  /** Relative to the store's REST base (`wc/v3/products`), or an absolute URL. */
  path: string;
  query: { name: string; value: string; enabled: boolean }[];
  headers: { name: string; value: string; enabled: boolean }[];
  body: { kind: BodyKind; text: string };
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** The URL the request goes to: `<store base>/<rest prefix>/<path>?<enabled query>`. */
export function runnerUrl(req: RunnerRequest, store: Store | undefined): string {
  const path = req.path.trim();
  let base: string;
  if (/^https?:\/\//i.test(path)) base = path;
  else {
    if (!store) throw new Error('Pick a store, or enter a full URL starting with https://.');
    const prefix = store.options?.restPrefix ?? 'wp-json';
    base = `${store.baseUrl.replace(/\/+$/, '')}/${prefix}/${path.replace(/^\/+/, '').replace(new RegExp(`^${prefix}/`), '')}`;
  }
  const params = req.query.filter((q) => q.enabled && q.name.trim() !== '');
  if (params.length === 0) return base;
  const qs = params.map((q) => `${encodeURIComponent(q.name.trim())}=${encodeURIComponent(q.value)}`).join('&').replace(/%5B/g, '[').replace(/%5D/g, ']');
  return `${base}${base.includes('?') ? '&' : '?'}${qs}`;
}

/** A sentence when the body cannot be sent as it stands (JSON that does not parse), else undefined. */
export function bodyProblem(req: RunnerRequest): string | undefined {
  const text = req.body.text;
  if (req.body.kind !== 'json' || text.trim() === '') return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*$/s, '');
    if (!at) return `The JSON body does not parse: ${reason}.`;
    const before = text.slice(0, Number(at[1]));
    return `The JSON body does not parse at line ${before.split('\n').length}, column ${Number(at[1]) - before.lastIndexOf('\n')}: ${reason}.`;
  }
}

/** The headers to send: the enabled ones, plus the body's Content-Type when the user set none. */
export function runnerHeaders(req: RunnerRequest): [string, string][] {
  const headers: [string, string][] = req.headers.filter((h) => h.enabled && h.name.trim() !== '').map((h) => [h.name.trim(), h.value]);
  const has = (n: string) => headers.some(([k]) => k.toLowerCase() === n);
  if (req.body.kind === 'json' && !has('content-type')) headers.push(['Content-Type', 'application/json']);
  if (req.body.kind === 'form' && !has('content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  return headers;
}

/** A `.http` block for this request: it names the store, and its URL uses {{$store.url}}; never a secret. */
export function toHttpBlock(req: RunnerRequest, store: Store | undefined, title?: string): string {
  const lines: string[] = [`### ${title ?? `${req.method} ${req.path}`}`];
  if (store) lines.push(`# @store ${store.name}`);
  const url = runnerUrl(req, store);
  lines.push(`${req.method} ${store && url.startsWith(store.baseUrl) ? `{{$store.url}}${url.slice(store.baseUrl.replace(/\/+$/, '').length)}` : url}`);
  for (const [n, v] of runnerHeaders(req)) lines.push(`${n}: ${v}`);
  if (req.body.kind !== 'none' && req.body.text !== '' && !['GET', 'HEAD'].includes(req.method)) lines.push('', req.body.text.replace(/\n+$/, ''));
  return lines.join('\n') + '\n';
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The request as a cURL command. By default every secret the store's auth added is replaced by an
 * environment variable (`$WOO_CONSUMER_KEY`, `$WOO_CONSUMER_SECRET`, `$WOO_APP_PASSWORD`,
 * `$WOO_TOKEN`), so the command can be shared; `includeSecrets` puts the values in.
 */
export function toCurl(sent: { method: string; url: string; headers: [string, string][]; body?: string }, applied: Pick<AppliedAuth, 'secrets'> | undefined, options: { includeSecrets?: boolean; store?: Store } = {}): string {
  const names = ['WOO_CONSUMER_KEY', 'WOO_CONSUMER_SECRET'];
  const secretVars = new Map<string, string>();
  if (!options.includeSecrets) {
    const method = options.store?.authMethod;
    (applied?.secrets ?? []).forEach((s, i) => {
      const name = method === 'app-password' ? 'WOO_APP_PASSWORD' : method === 'bearer' ? 'WOO_TOKEN' : names[i] ?? `WOO_SECRET_${i + 1}`;
      if (!secretVars.has(s)) secretVars.set(s, name);
    });
  }
  // A secret inside base64 (Basic) cannot be replaced in place: rebuild that header with -u instead.
  let user: string | undefined;
  const headers = sent.headers.filter(([n, v]) => {
    if (n.toLowerCase() !== 'authorization' || !/^Basic\s/i.test(v) || options.includeSecrets || secretVars.size === 0) return true;
    const decoded = Buffer.from(v.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const u = decoded.slice(0, sep);
    const p = decoded.slice(sep + 1);
    user = `${secretVars.has(u) ? `$${secretVars.get(u)}` : u}:${secretVars.has(p) ? `$${secretVars.get(p)}` : p}`;
    return false;
  });
  const mask = (text: string) => {
    let out = text;
    for (const [secret, name] of [...secretVars].sort((a, b) => b[0].length - a[0].length)) {
      out = out.split(secret).join(`\${${name}}`).split(encodeURIComponent(secret)).join(`\${${name}}`);
    }
    return out;
  };
  // Placeholders need double quotes so the shell expands them; everything else is single-quoted.
  const quote = (s: string) => (s.includes('${') || s.includes('$WOO_') ? `"${s.replace(/(["\\`])/g, '\\$1')}"` : shellQuote(s));
  const parts = ['curl', '-X', sent.method, quote(mask(sent.url))];
  if (user) parts.push('-u', `"${user}"`);
  for (const [n, v] of headers) parts.push('-H', quote(mask(`${n}: ${v}`)));
  if (sent.body !== undefined && sent.body !== '') parts.push('--data-raw', quote(mask(sent.body)));
  return parts.join(' ');
}

/** A runner request from a pasted cURL command (the .http parser's cURL reader does the shell work). */
export function fromCurl(command: string, stores: readonly Store[]): { request?: RunnerRequest; problem?: string } {
  const doc = parseHttpDocument(command.trim().replace(/\\\r?\n/g, ' '));
  const t = doc.requests[0];
  if (!t || !t.curl) return { problem: 'That is not a cURL command: it should start with "curl" and name a URL.' };
  let url: URL;
  try {
    url = new URL(t.url);
  } catch {
    return { problem: `The cURL command's URL "${t.url}" is not a full http(s) URL.` };
  }
  const store = stores.find((s) => url.href.startsWith(s.baseUrl.replace(/\/+$/, '') + '/'));
  const prefix = `/${store?.options?.restPrefix ?? 'wp-json'}/`;
  const base = store ? new URL(store.baseUrl) : undefined;
  const rel = store && url.pathname.startsWith(`${base!.pathname.replace(/\/+$/, '')}${prefix}`) ? url.pathname.slice(`${base!.pathname.replace(/\/+$/, '')}${prefix}`.length) : undefined;
  const query = [...url.searchParams].map(([name, value]) => ({ name, value, enabled: true }));
  const bodyText = t.body && t.body.kind === 'text' ? t.body.text : '';
  const type = t.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  const kind: BodyKind = bodyText === '' ? 'none' : /json/i.test(type) || /^\s*[[{]/.test(bodyText) ? 'json' : /x-www-form-urlencoded/i.test(type) ? 'form' : 'text';
  return {
    request: {
      store: rel !== undefined ? store!.id : undefined,
      method: t.method,
      path: rel ?? `${url.origin}${url.pathname}`,
      query,
      // Credentials pasted with the command stay out of the panel: the store's own are applied instead.
      headers: t.headers.filter((h) => h.name.toLowerCase() !== 'authorization').map((h) => ({ name: h.name, value: h.value, enabled: true })),
      body: { kind, text: bodyText },
    },
  };
}
