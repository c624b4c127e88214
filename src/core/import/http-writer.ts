// What every import writes: `.http` files that name a store (`@store = NAME`) and address it as
// `{{$store.url}}`, so the store's credentials (in SecretStorage, or WOO_STORE_* in CI) are applied
// when a request is sent and none is ever written. Shared by the Postman, OpenAPI, HAR and
// store-route importers; each says in notes what it left out and why.
//
// Pure: no `vscode`, no I/O.

import { trimTrailingSlashes } from '../url-text';

export interface ImportedRequest {
  /** The `###` title. */
  title: string;
  /** `# @name`, for chaining; a slug of the title when absent. */
  name?: string;
  /** Comment lines above the request (a description, a note about something dropped). */
  comments?: string[];
  method: string;
  /** With `{{$store.url}}` where the store's address was. */
  url: string;
  headers: [string, string][];
  body?: string;
}

export interface ImportedFile {
  /** Relative path, `/`-separated, ending in `.http`. */
  path: string;
  /** File variables (`@name = value`), none of them secret. */
  variables?: [string, string][];
  requests: ImportedRequest[];
  /** Comment lines at the top of the file. */
  header?: string[];
}

export interface ImportResult {
  files: ImportedFile[];
  /** Sentences about what was left out (secrets dropped, scripts not converted, …). */
  notes: string[];
}

/** Header names that carry credentials: never written. */
export const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-wp-nonce|x-api-key|x-auth-token|x-access-token|x-csrf-token|x-xsrf-token|x-woo-?commerce-?(key|secret))$/i;
/** Query parameters that carry credentials. */
export const CREDENTIAL_PARAM = /^(consumer_key|consumer_secret|oauth_[a-z_]+|access_token|api_key|apikey|token|_wpnonce|password|pass|pwd)$/i;
/** Variable, field or header names that look like a secret. */
export const SECRET_NAME = /(secret|password|passwd|pwd|token|api[_-]?key|consumer[_-]?key|private|credential|bearer|session|nonce|cookie|^auth$|authorization)/i;

/** A name usable after `# @name` and as a file variable: letters, digits, `_`, `-`. */
export function slug(text: string, fallback = 'request'): string {
  const s = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
  return s === '' ? fallback : s.slice(0, 60);
}

/** A file name for a title: a slug, unique among `taken`. */
export function uniquePath(base: string, taken: Set<string>, ext = '.http'): string {
  let p = `${slug(base, 'requests')}${ext}`;
  for (let i = 2; taken.has(p); i++) p = `${slug(base, 'requests')}-${i}${ext}`;
  taken.add(p);
  return p;
}

/** One line of a comment: no line breaks, so it cannot become a request line. */
function commentLine(text: string): string {
  return `# ${text.replace(/\s*[\r\n]+\s*/g, ' ').trim()}`.trimEnd();
}

/**
 * A body as the parser reads it back: trailing blank lines go (§2.5), a line that the parser would
 * take for something else (`###`, a comment, `??`, `> {%`, `< file`) is indented by one space, which
 * JSON and form bodies do not mind.
 */
function safeBody(body: string): string {
  return body.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n').map((l) => (/^(###|#|\/\/|\?\?|> ?\{%|>>|<>|< |<@)/.test(l) ? ` ${l}` : l)).join('\n');
}

export function writeHttpFile(file: ImportedFile, storeName: string): string {
  const out: string[] = [];
  for (const h of file.header ?? []) out.push(commentLine(h));
  out.push(`@store = ${storeName}`);
  for (const [n, v] of file.variables ?? []) out.push(`@${n} = ${v.replace(/\r?\n/g, '\\n')}`);
  const names = new Set<string>();
  for (const r of file.requests) {
    out.push('', `### ${r.title.replace(/[\r\n]+/g, ' ').trim()}`);
    let name = r.name ?? slug(r.title);
    for (let i = 2; names.has(name); i++) name = `${r.name ?? slug(r.title)}-${i}`;
    names.add(name);
    for (const c of r.comments ?? []) if (c.trim()) out.push(commentLine(c));
    out.push(`# @name ${name}`);
    out.push(`${r.method.toUpperCase()} ${r.url.replace(/\s/g, '%20')}`);
    for (const [n, v] of r.headers) out.push(`${n}: ${v.replace(/[\r\n]+/g, ' ')}`);
    if (r.body !== undefined && r.body.trim() !== '') out.push('', safeBody(r.body));
  }
  return out.join('\n') + '\n';
}

/**
 * The part of a URL after the store's address, for `{{$store.url}}`: after `/wp-json/` (kept), or
 * after the origin when `origin` is given and matches. Undefined when neither applies.
 */
export function storeRelative(url: string, origin?: string): string | undefined {
  const at = url.indexOf('/wp-json/');
  if (at >= 0) return url.slice(at);
  // `?rest_route=/wc/v3/x` becomes `/wp-json/wc/v3/x`: WooCommerce applies consumer keys only to
  // request URIs under the REST prefix (a cookie session in a browser does not need that).
  const rr = /[?&]rest_route=([^&#]*)/.exec(url);
  if (rr) {
    const rest = url.slice(url.indexOf('?') + 1).split('&').filter((p) => !p.startsWith('rest_route=')).join('&');
    return `/wp-json/${decodeURIComponentSafe(rr[1]!).replace(/^\/+/, '')}${rest ? `?${rest}` : ''}`;
  }
  if (origin && url.toLowerCase().startsWith(trimTrailingSlashes(origin.toLowerCase()))) return url.slice(trimTrailingSlashes(origin).length) || '/';
  return undefined;
}

/** A URL without credential parameters; the names dropped are returned for the note. */
export function withoutCredentialParams(url: string): { url: string; dropped: string[] } {
  const q = url.indexOf('?');
  if (q < 0) return { url, dropped: [] };
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const dropped: string[] = [];
  const kept = query.split('&').filter((pair) => {
    const name = decodeURIComponentSafe(pair.split('=')[0] ?? '');
    if (pair !== '' && CREDENTIAL_PARAM.test(name)) {
      dropped.push(name);
      return false;
    }
    return pair !== '';
  });
  return { url: url.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '') + (hash < 0 ? '' : url.slice(hash)), dropped };
}

export function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
