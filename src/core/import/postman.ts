// A Postman collection (format v2.1, also v2.0) → `.http` files on a store. Top-level folders become
// files, deeper folders `###` sections titled "Folder / Request"; collection variables become file
// variables (secret-looking ones are dropped, with a note saying where to put them); Postman auth
// (collection, folder or request) is dropped: the store's credentials apply, and the note says so
// when a secret was in it. The store's address (the URL up to `/wp-json/`, or the `{{baseUrl}}`-like
// variable it starts with) becomes `{{$store.url}}`. Scripts (pre-request, tests) are not converted.
//
// Pure: no `vscode`, no I/O.

import {
  CREDENTIAL_HEADER, SECRET_NAME, decodeURIComponentSafe, slug, storeRelative, uniquePath, withoutCredentialParams,
  type ImportResult, type ImportedFile, type ImportedRequest,
} from './http-writer';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class ImportError extends Error {}

interface KeyValue { key: string; value: string; disabled: boolean; type?: string; src?: string }

function keyValues(v: unknown): KeyValue[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((x) => ({ key: str(x.key) ?? '', value: typeof x.value === 'string' ? x.value : x.value === undefined ? '' : JSON.stringify(x.value), disabled: x.disabled === true, type: str(x.type), src: Array.isArray(x.src) ? x.src.map(String).join(',') : str(x.src) }));
}

/** A Postman URL (a string, or an object with raw / host / path / query) as text. */
function urlText(u: unknown): string {
  if (typeof u === 'string') return u;
  if (!isObj(u)) return '';
  if (typeof u.raw === 'string') return u.raw;
  const host = Array.isArray(u.host) ? u.host.join('.') : str(u.host) ?? '';
  const p = Array.isArray(u.path) ? u.path.map(String).join('/') : str(u.path) ?? '';
  const protocol = str(u.protocol);
  const query = keyValues(u.query).filter((q) => !q.disabled).map((q) => `${q.key}=${q.value}`).join('&');
  return `${protocol ? `${protocol}://` : ''}${host}${str(u.port) ? `:${u.port}` : ''}/${p}${query ? `?${query}` : ''}`;
}

function authNote(auth: unknown, where: string): string | undefined {
  if (!isObj(auth) || typeof auth.type !== 'string' || auth.type === 'noauth') return undefined;
  const fields = isObj(auth[auth.type]) ? Object.values(auth[auth.type] as Obj) : Array.isArray(auth[auth.type]) ? (auth[auth.type] as unknown[]) : [];
  const hadSecret = fields.some((f) => isObj(f) && typeof f.value === 'string' && f.value !== '' && !/^\{\{.*\}\}$/.test(f.value));
  return `${where}: Postman ${auth.type} auth dropped; the store's credentials are applied when the request is sent${hadSecret ? ' (it held a secret, which was not written: keep it in the store, WooCommerce: Edit Store or WOO_STORE_* in CI)' : ''}.`;
}

/** Which collection variable holds the store's address: the one URLs start with, before `/wp-json/`. */
function baseVariableOf(urls: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const u of urls) {
    const m = /^\{\{\s*([^}\s]+)\s*\}\}/.exec(u);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function collectUrls(items: unknown[], out: string[] = []): string[] {
  for (const it of items) {
    if (!isObj(it)) continue;
    if (Array.isArray(it.item)) collectUrls(it.item, out);
    else if (isObj(it.request) || typeof it.request === 'string') out.push(urlText(isObj(it.request) ? it.request.url : it.request));
  }
  return out;
}

function bodyOf(req: Obj, headers: [string, string][], notes: string[], title: string): string | undefined {
  const body = req.body;
  if (!isObj(body) || body.disabled === true) return undefined;
  const hasType = () => headers.some(([n]) => n.toLowerCase() === 'content-type');
  switch (body.mode) {
    case 'raw': {
      const raw = str(body.raw) ?? '';
      const lang = isObj(body.options) && isObj(body.options.raw) ? str(body.options.raw.language) : undefined;
      if (!hasType() && (lang === 'json' || /^\s*[[{]/.test(raw))) headers.push(['Content-Type', 'application/json']);
      if (!hasType() && lang === 'xml') headers.push(['Content-Type', 'application/xml']);
      return raw;
    }
    case 'urlencoded': {
      if (!hasType()) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
      const pairs = keyValues(body.urlencoded).filter((p) => !p.disabled);
      const kept = pairs.filter((p) => !SECRET_NAME.test(p.key) || /^\{\{.*\}\}$/.test(p.value));
      if (kept.length < pairs.length) notes.push(`${title}: form field(s) ${pairs.filter((p) => !kept.includes(p)).map((p) => p.key).join(', ')} held secrets and were left out.`);
      return kept.map((p, i) => `${i ? '&' : ''}${p.key}=${p.value}`).join('\n');
    }
    case 'formdata': {
      const boundary = 'WooApiStudioImport';
      headers.splice(0, headers.length, ...headers.filter(([n]) => n.toLowerCase() !== 'content-type'));
      headers.push(['Content-Type', `multipart/form-data; boundary=${boundary}`]);
      const parts: string[] = [];
      for (const p of keyValues(body.formdata).filter((x) => !x.disabled)) {
        if (SECRET_NAME.test(p.key) && !/^\{\{.*\}\}$/.test(p.value)) {
          notes.push(`${title}: form-data field ${p.key} held a secret and was left out.`);
          continue;
        }
        parts.push(`--${boundary}`);
        if (p.type === 'file') {
          const file = p.src ?? p.value;
          parts.push(`Content-Disposition: form-data; name="${p.key}"; filename="${file.split(/[\\/]/).pop()}"`, '', `< ${file}`);
        } else parts.push(`Content-Disposition: form-data; name="${p.key}"`, '', p.value);
      }
      parts.push(`--${boundary}--`);
      return parts.join('\n');
    }
    case 'graphql': {
      headers.push(['X-Request-Type', 'GraphQL']);
      const g = isObj(body.graphql) ? body.graphql : {};
      const vars = str(g.variables);
      return `${str(g.query) ?? ''}${vars && vars.trim() ? `\n\n${vars}` : ''}`;
    }
    case 'file':
      notes.push(`${title}: its body is a file in Postman; write it as "< ./path" under the headers.`);
      return undefined;
    default:
      return undefined;
  }
}

/** Reads a collection; throws ImportError with a sentence when it is not one. */
export function importPostman(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ImportError(`This is not JSON (${(err as Error).message}). Export the collection from Postman as "Collection v2.1".`);
  }
  const coll = isObj(data) && isObj(data.collection) ? data.collection : data; // the Postman API wraps it
  if (!isObj(coll) || !isObj(coll.info) || !Array.isArray(coll.item)) throw new ImportError('This is not a Postman collection: it has no "info" and "item". Export it from Postman as "Collection v2.1".');
  const schema = str(coll.info.schema) ?? '';
  if (schema && !/collection\/v2\.[01]/.test(schema)) throw new ImportError(`This collection's format is not v2.0 or v2.1 (${schema}). Export it again as "Collection v2.1".`);
  const notes: string[] = [];
  const title = str(coll.info.name) ?? 'Postman collection';
  const baseVar = baseVariableOf(collectUrls(coll.item));

  // Collection variables: file variables, except the store's address and anything secret.
  const variables: [string, string][] = [];
  for (const v of keyValues(coll.variable)) {
    if (!v.key || v.disabled || v.key === baseVar) continue;
    if (SECRET_NAME.test(v.key) || v.type === 'secret') {
      notes.push(`Variable ${v.key} looks secret and was not written: define it in http-client.private.env.json (or your environment) if a request needs it.`);
      continue;
    }
    variables.push([v.key.replace(/[^\w.-]/g, '_'), v.value]);
  }
  const collectionAuth = authNote(coll.auth, title);
  if (collectionAuth) notes.push(collectionAuth);

  const taken = new Set<string>();
  const files: ImportedFile[] = [];
  const rootRequests: ImportedRequest[] = [];
  const rootVars = new Map<string, string>();

  const convert = (it: Obj, trail: string[], pathVars: Map<string, string>): ImportedRequest | undefined => {
    const name = str(it.name) ?? 'request';
    const label = [...trail, name].join(' / ');
    const req: Obj = isObj(it.request) ? it.request : typeof it.request === 'string' ? { url: it.request, method: 'GET' } : {};
    const comments: string[] = [];
    const desc = isObj(req.description) ? str(req.description.content) : str(req.description) ?? (isObj(it.description) ? str(it.description.content) : str(it.description));
    if (desc) comments.push(...desc.split(/\r?\n/).filter((l) => l.trim()).slice(0, 5));
    const auth = authNote(req.auth, label);
    if (auth) { notes.push(auth); comments.push('Postman auth dropped: the store\'s credentials are applied.'); }
    if (Array.isArray(it.event) && it.event.some((e) => isObj(e) && isObj(e.script) && Array.isArray(e.script.exec) && e.script.exec.join('').trim() !== '')) {
      notes.push(`${label}: Postman scripts are not converted (they use pm.*); write ?? assertions or a > {% %} handler instead.`);
    }
    let url = urlText(req.url).trim();
    // Postman's path variables (`/products/:id`) become file variables (`{{id}}`).
    for (const v of isObj(req.url) ? keyValues(req.url.variable) : []) {
      if (!v.key) continue;
      url = url.replace(new RegExp(`/:${v.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|\\?|#|$)`, 'g'), `/{{${v.key}}}`);
      if (!pathVars.has(v.key)) pathVars.set(v.key, v.value || '1');
    }
    const cleaned = withoutCredentialParams(url);
    url = cleaned.url;
    if (cleaned.dropped.length) notes.push(`${label}: query parameter(s) ${cleaned.dropped.join(', ')} carried credentials and were dropped.`);
    if (baseVar) url = url.replace(new RegExp(`^\\{\\{\\s*${baseVar.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`), '{{$store.url}}');
    if (!url.startsWith('{{$store.url}}')) {
      const rel = storeRelative(url);
      if (rel !== undefined) url = `{{$store.url}}${rel}`;
      else notes.push(`${label}: its URL (${url}) is not on the store, so it is sent there without the store's credentials.`);
    }
    const headers: [string, string][] = [];
    for (const h of keyValues(req.header).filter((x) => !x.disabled)) {
      if (CREDENTIAL_HEADER.test(h.key) || (SECRET_NAME.test(h.key) && !/^\{\{.*\}\}$/.test(h.value))) {
        notes.push(`${label}: header ${h.key} carried credentials and was dropped.`);
        continue;
      }
      headers.push([h.key, h.value]);
    }
    const body = bodyOf(req, headers, notes, label);
    return { title: label, name: slug(label), comments, method: str(req.method) ?? 'GET', url: decodeSpaces(url), headers, ...(body !== undefined ? { body } : {}) };
  };

  const walk = (items: unknown[], trail: string[], into: ImportedRequest[], pathVars: Map<string, string>) => {
    for (const it of items) {
      if (!isObj(it)) continue;
      if (Array.isArray(it.item)) {
        const folder = str(it.name) ?? 'folder';
        const auth = authNote(it.auth, folder);
        if (auth) notes.push(auth);
        walk(it.item, [...trail, folder], into, pathVars);
      } else {
        const r = convert(it, trail, pathVars);
        if (r) into.push(r);
      }
    }
  };

  for (const it of coll.item) {
    if (!isObj(it)) continue;
    if (Array.isArray(it.item)) {
      const folder = str(it.name) ?? 'folder';
      const auth = authNote(it.auth, folder);
      if (auth) notes.push(auth);
      const requests: ImportedRequest[] = [];
      const pathVars = new Map<string, string>();
      walk(it.item, [], requests, pathVars);
      if (requests.length) files.push({ path: uniquePath(folder, taken), header: [`${title} / ${folder}, imported from Postman.`], variables: withPathVars(variables, pathVars), requests });
    } else {
      const r = convert(it, [], rootVars);
      if (r) rootRequests.push(r);
    }
  }
  if (rootRequests.length) files.unshift({ path: uniquePath(title, taken), header: [`${title}, imported from Postman.`], variables: withPathVars(variables, rootVars), requests: rootRequests });
  if (files.length === 0) throw new ImportError('The collection has no requests.');
  return { files, notes: [...new Set(notes)] };
}

/** Postman keeps `{{var}}` and spaces in raw URLs; the request line cannot hold a space. */
function decodeSpaces(url: string): string {
  return url.replace(/ /g, '%20').replace(/%7B%7B/gi, '{{').replace(/%7D%7D/gi, '}}').replace(/\{\{([^}]*)\}\}/g, (_m, v: string) => `{{${decodeURIComponentSafe(v).trim()}}}`);
}

function withPathVars(variables: [string, string][], pathVars: Map<string, string>): [string, string][] {
  const known = new Set(variables.map(([n]) => n));
  return [...variables, ...[...pathVars].filter(([n]) => !known.has(n))];
}
