// An OpenAPI 3.x or Swagger 2.0 document (JSON) → `.http` files on a store: one request per
// operation, grouped into a file per tag, with path parameters as file variables (their example,
// default, or 1), required query parameters with example values, and a JSON body built from the
// operation's example or, failing that, from its schema (examples, defaults, the first enum value,
// a value of the type). The server's address up to `/wp-json/` becomes `{{$store.url}}`; security
// schemes are the store's business (never written).
//
// Pure: no `vscode`, no I/O.

import { slug, uniquePath, type ImportResult, type ImportedFile, type ImportedRequest } from './http-writer';
import { ImportError } from './postman';
import { trimTrailingSlashes } from '../url-text';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** `#/components/schemas/X` (or `#/definitions/X`) inside the document; cycles stop at depth 8. */
function deref(doc: Obj, v: unknown, depth = 0): unknown {
  if (!isObj(v) || typeof v.$ref !== 'string' || depth > 8) return v;
  const ref = v.$ref;
  if (!ref.startsWith('#/')) return {};
  let at: unknown = doc;
  for (const part of ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) at = isObj(at) ? at[part] : undefined;
  return deref(doc, at, depth + 1);
}

/** A value for a schema: its example, default, first enum value, or a value of its type. */
export function exampleOf(doc: Obj, schema: unknown, depth = 0): unknown {
  const s = deref(doc, schema);
  if (!isObj(s) || depth > 6) return null;
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  for (const k of ['allOf', 'oneOf', 'anyOf'] as const) {
    if (Array.isArray(s[k]) && s[k].length) {
      if (k === 'allOf') return Object.assign({}, ...s[k].map((x) => exampleOf(doc, x, depth + 1)).filter(isObj));
      return exampleOf(doc, s[k][0], depth + 1);
    }
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Obj = {};
      const props = isObj(s.properties) ? s.properties : {};
      for (const [k, p] of Object.entries(props)) {
        const ps = deref(doc, p);
        if (isObj(ps) && ps.readOnly === true) continue;
        out[k] = exampleOf(doc, ps, depth + 1);
      }
      return out;
    }
    case 'array': return s.items ? [exampleOf(doc, s.items, depth + 1)] : [];
    case 'integer': case 'number': return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean': return false;
    case 'string': return s.format === 'date-time' ? '2024-01-01T00:00:00' : s.format === 'email' ? 'someone@example.com' : s.format === 'uri' ? 'https://example.com/' : 'string';
    default: return isObj(s.properties) ? exampleOf(doc, { ...s, type: 'object' }, depth) : null;
  }
}

/** The path part of the document's server (OpenAPI 3 servers[0], Swagger basePath), `{var}`s filled. */
function basePathOf(doc: Obj): string {
  if (typeof doc.swagger === 'string') return trimTrailingSlashes(str(doc.basePath) ?? '');
  const server = Array.isArray(doc.servers) && isObj(doc.servers[0]) ? doc.servers[0] : undefined;
  let url = str(server?.url) ?? '';
  const vars = isObj(server?.variables) ? server!.variables as Obj : {};
  url = url.replace(/\{(\w+)\}/g, (_m, n: string) => str(isObj(vars[n]) ? (vars[n] as Obj).default : undefined) ?? '');
  try {
    return trimTrailingSlashes(new URL(url, 'http://placeholder.invalid').pathname);
  } catch {
    return '';
  }
}

export function importOpenApi(text: string): ImportResult {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (!trimmed.startsWith('{')) throw new ImportError('Only OpenAPI documents in JSON can be imported: this looks like YAML. Convert it to JSON first (for example with your editor\'s YAML extension, or `npx js-yaml file.yaml > file.json`).');
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch (err) {
    throw new ImportError(`This is not JSON (${(err as Error).message}).`);
  }
  if (!isObj(doc) || (typeof doc.openapi !== 'string' && typeof doc.swagger !== 'string') || !isObj(doc.paths)) {
    throw new ImportError('This is not an OpenAPI 3 or Swagger 2 document: it has no "openapi"/"swagger" version and "paths".');
  }
  const v = str(doc.openapi) ?? str(doc.swagger)!;
  if (!/^(3\.|2\.0)/.test(v)) throw new ImportError(`OpenAPI ${v} is not supported: 3.x and Swagger 2.0 are.`);
  const notes: string[] = [];
  const swagger = typeof doc.swagger === 'string';
  const base = basePathOf(doc);
  if (!/\/wp-json(\/|$)/.test(base) && !Object.keys(doc.paths).some((p) => p.startsWith('/wp-json/'))) {
    notes.push(`The API's base path (${base || '/'}) is not under /wp-json/: requests go to {{$store.url}}${base}/…; change it in the files if the store serves the API elsewhere.`);
  }
  const title = isObj(doc.info) ? str(doc.info.title) ?? 'OpenAPI' : 'OpenAPI';
  const byTag = new Map<string, { requests: ImportedRequest[]; vars: Map<string, string> }>();
  const secured = new Set<string>();

  for (const [path, item] of Object.entries(doc.paths)) {
    const pathItem = deref(doc, item);
    if (!isObj(pathItem)) continue;
    const shared = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of METHODS) {
      const op = pathItem[method];
      if (!isObj(op)) continue;
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : title;
      const group = byTag.get(tag) ?? { requests: [], vars: new Map<string, string>() };
      byTag.set(tag, group);
      const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map((p) => deref(doc as Obj, p)).filter(isObj);
      let url = `{{$store.url}}${base}${path.replace(/\{([^}]+)\}/g, (_m, n: string) => `{{${n.replace(/[^\w.-]/g, '_')}}}`)}`;
      const query: string[] = [];
      const headers: [string, string][] = [];
      let formBody: Obj | undefined;
      let body: string | undefined;
      for (const p of params) {
        const name = str(p.name) ?? '';
        const value = p.example !== undefined ? p.example : exampleOf(doc as Obj, p.schema ?? p);
        if (p.in === 'path') {
          if (!group.vars.has(name.replace(/[^\w.-]/g, '_'))) group.vars.set(name.replace(/[^\w.-]/g, '_'), value === null || value === 'string' ? '1' : String(value));
        } else if (p.in === 'query' && p.required === true) {
          query.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value ?? ''))}`);
        } else if (p.in === 'header' && p.required === true && !/^(authorization|cookie)$/i.test(name)) {
          headers.push([name, String(value ?? '')]);
        } else if (swagger && p.in === 'body') {
          body = JSON.stringify(exampleOf(doc as Obj, p.schema), null, 2);
        } else if (swagger && p.in === 'formData') {
          (formBody ??= {})[name] = value;
        }
      }
      if (query.length) url += `?${query.join('&')}`;
      const rb = deref(doc, op.requestBody);
      if (isObj(rb) && isObj(rb.content)) {
        const content = rb.content as Obj;
        const json = Object.keys(content).find((t) => /json/i.test(t));
        const form = Object.keys(content).find((t) => /x-www-form-urlencoded/i.test(t));
        const media = json ? content[json] : form ? content[form] : undefined;
        if (isObj(media)) {
          const named = isObj(media.examples) ? Object.values(media.examples).map((e) => deref(doc, e)).find(isObj) : undefined;
          const example = media.example !== undefined ? media.example : named && named.value !== undefined ? named.value : exampleOf(doc as Obj, media.schema);
          if (json) {
            headers.push(['Content-Type', 'application/json']);
            body = JSON.stringify(example, null, 2);
          } else if (isObj(example)) {
            formBody = example;
          }
        }
      } else if (swagger && body !== undefined) {
        headers.push(['Content-Type', 'application/json']);
      }
      if (formBody) {
        headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
        body = Object.entries(formBody).map(([k, val], i) => `${i ? '&' : ''}${encodeURIComponent(k)}=${encodeURIComponent(typeof val === 'string' ? val : JSON.stringify(val))}`).join('\n');
      }
      if (op.security !== undefined || doc.security !== undefined) secured.add(tag);
      const summary = str(op.summary) ?? str(op.operationId) ?? `${method.toUpperCase()} ${path}`;
      const comments = [str(op.description)?.split(/\r?\n/)[0] ?? ''].filter((c) => c && c !== summary);
      if (op.deprecated === true) comments.push('Deprecated in the API description.');
      group.requests.push({ title: summary, name: slug(str(op.operationId) ?? summary), comments, method: method.toUpperCase(), url, headers, ...(body !== undefined ? { body } : {}) });
    }
  }
  if (byTag.size === 0) throw new ImportError('The document has no operations under "paths".');
  if (secured.size) notes.push('The API\'s security schemes were not written: the store\'s credentials are applied when a request is sent.');
  const taken = new Set<string>();
  const files: ImportedFile[] = [...byTag].map(([tag, g]) => ({ path: uniquePath(tag, taken), header: [`${title}${tag !== title ? ` / ${tag}` : ''}, imported from OpenAPI ${v}.`], variables: [...g.vars], requests: g.requests }));
  return { files, notes };
}
