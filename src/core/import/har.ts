// A HAR file (a browser's or a proxy's recording, HAR 1.2) → one `.http` file on a store: the REST
// calls of the session (URLs under `/wp-json/` or `?rest_route=`), in the order they were made,
// each on `{{$store.url}}`. Everything that authenticates is dropped: Authorization, Cookie and
// other credential headers, WordPress nonces, consumer keys and tokens in the query, password-like
// form fields. Headers the browser adds by itself (Host, Content-Length, `:authority`, sec-*,
// Accept-Encoding, Connection, User-Agent, Origin, Referer) are left out too.
//
// Pure: no `vscode`, no I/O.

import { CREDENTIAL_HEADER, CREDENTIAL_PARAM, SECRET_NAME, decodeURIComponentSafe, slug, storeRelative, withoutCredentialParams, type ImportResult, type ImportedRequest } from './http-writer';
import { ImportError } from './postman';
import { trimTrailingSlashes } from '../url-text';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const BROWSER_HEADER = /^(:.*|host|content-length|connection|keep-alive|accept-encoding|user-agent|origin|referer|sec-.*|upgrade-insecure-requests|pragma|cache-control|dnt|te|priority|if-none-match|if-modified-since)$/i;

/** A JSON body without secret-looking fields (at any depth), and the names dropped. */
function scrubJson(text: string, dropped: string[]): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (SECRET_NAME.test(k) && (typeof x === 'string' || typeof x === 'number')) {
        dropped.push(k);
        continue;
      }
      out[k] = walk(x);
    }
    return out;
  };
  return JSON.stringify(walk(value), null, 2);
}

function scrubForm(text: string, dropped: string[]): string {
  return text.split('&').filter((pair) => {
    const name = decodeURIComponentSafe(pair.split('=')[0] ?? '');
    if (CREDENTIAL_PARAM.test(name) || SECRET_NAME.test(name)) {
      dropped.push(name);
      return false;
    }
    return pair !== '';
  }).join('\n&');
}

export function importHar(text: string, options: { storeName: string; /** Only entries on this origin (default: every REST call). */ origin?: string; includeAll?: boolean }): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ImportError(`This is not JSON (${(err as Error).message}). Save the recording from the browser's network panel as "HAR".`);
  }
  const entries = isObj(data) && isObj(data.log) && Array.isArray(data.log.entries) ? data.log.entries : undefined;
  if (!entries) throw new ImportError('This is not a HAR file: it has no log.entries.');
  const notes: string[] = [];
  const requests: ImportedRequest[] = [];
  let skipped = 0;
  const droppedHeaders = new Set<string>();
  const droppedParams = new Set<string>();
  const droppedFields = new Set<string>();
  const sorted = entries.filter(isObj).map((e, i) => ({ e, i, t: Date.parse(str(e.startedDateTime) ?? '') })).sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t || a.i - b.i));
  for (const { e } of sorted) {
    const req = isObj(e.request) ? e.request : undefined;
    const rawUrl = str(req?.url);
    if (!req || !rawUrl) continue;
    if (options.origin && !rawUrl.toLowerCase().startsWith(trimTrailingSlashes(options.origin.toLowerCase()))) { skipped++; continue; }
    const rel = storeRelative(rawUrl, options.includeAll ? options.origin ?? originOf(rawUrl) : undefined);
    if (rel === undefined) { skipped++; continue; }
    const cleaned = withoutCredentialParams(`{{$store.url}}${rel}`);
    cleaned.dropped.forEach((d) => droppedParams.add(d));
    const headers: [string, string][] = [];
    for (const h of Array.isArray(req.headers) ? req.headers.filter(isObj) : []) {
      const name = str(h.name) ?? '';
      if (!name || BROWSER_HEADER.test(name)) continue;
      if (CREDENTIAL_HEADER.test(name) || SECRET_NAME.test(name)) { droppedHeaders.add(name); continue; }
      if (headers.some(([n]) => n.toLowerCase() === name.toLowerCase())) continue;
      headers.push([name, str(h.value) ?? '']);
    }
    let body: string | undefined;
    const post = isObj(req.postData) ? req.postData : undefined;
    if (post) {
      const type = str(post.mimeType) ?? '';
      const dropped: string[] = [];
      let t = str(post.text);
      if (t === undefined && Array.isArray(post.params)) t = post.params.filter(isObj).map((p) => `${encodeURIComponent(str(p.name) ?? '')}=${encodeURIComponent(str(p.value) ?? '')}`).join('&');
      if (t !== undefined) {
        if (/json/i.test(type) || /^\s*[[{]/.test(t)) body = scrubJson(t, dropped);
        else if (/x-www-form-urlencoded/i.test(type)) body = scrubForm(t, dropped);
        else if (/multipart/i.test(type)) { notes.push(`${str(req.method)} ${rel}: its multipart body was not kept (a recording holds no files); add the parts by hand.`); }
        else body = t;
      }
      dropped.forEach((d) => droppedFields.add(d));
      if (body !== undefined && type && !headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', type]);
    }
    const method = (str(req.method) ?? 'GET').toUpperCase();
    const pathOnly = rel.split('?')[0]!.replace(/^\/wp-json\//, '');
    const status = isObj(e.response) && typeof e.response.status === 'number' ? e.response.status : undefined;
    requests.push({
      title: `${method} ${pathOnly}`,
      name: slug(`${method} ${pathOnly}`),
      comments: status ? [`Recorded answer: ${status}${isObj(e.response) && str(e.response.statusText) ? ` ${str(e.response.statusText)}` : ''}.`] : [],
      method,
      url: cleaned.url,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
  }
  if (requests.length === 0) throw new ImportError(`The recording has no REST call (no URL under /wp-json/ or ?rest_route=)${skipped ? `; ${skipped} other request(s) were left out` : ''}.`);
  if (skipped) notes.push(`${skipped} request(s) that are not REST calls (pages, scripts, images) were left out.`);
  if (droppedHeaders.size) notes.push(`Credential headers dropped: ${[...droppedHeaders].join(', ')}. The store's credentials are applied when a request is sent.`);
  if (droppedParams.size) notes.push(`Credential query parameters dropped: ${[...droppedParams].join(', ')}.`);
  if (droppedFields.size) notes.push(`Secret-looking body fields dropped: ${[...droppedFields].join(', ')}.`);
  const title = isObj(data) && isObj((data as Obj).log) && isObj(((data as Obj).log as Obj).creator) ? str((((data as Obj).log as Obj).creator as Obj).name) : undefined;
  return { files: [{ path: 'session.http', header: [`A recorded session${title ? ` (${title})` : ''}, imported from HAR: credentials dropped.`], requests }], notes };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
