// The store's own route index → a catalogue of every route it serves (plugins' included), one
// `.http` file per namespace: a request per route and method, path parameters as file variables,
// the route's query arguments listed above a GET (the required ones in the URL), and a JSON body of
// its writable fields for POST/PUT/PATCH (the required ones, or all of them commented as a list when
// none is required). Read from `GET /wp-json/` and `OPTIONS` on each route, both without credentials.
//
// Pure: the caller fetches (see readStoreRoutes).

import { routeSpecOf, type ArgSpec, type RouteSpec } from '../schema/body-check';
import { slug, uniquePath, type ImportResult, type ImportedFile, type ImportedRequest } from './http-writer';
import { ImportError } from './postman';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The routes of a `/wp-json/` (or namespace) index, with their patterns. */
export function routesOfIndex(index: unknown): { pattern: string; namespace: string }[] {
  if (!isObj(index) || !isObj(index.routes)) return [];
  return Object.entries(index.routes).flatMap(([pattern, data]) => {
    const ns = isObj(data) && typeof data.namespace === 'string' ? data.namespace : '';
    // The namespace's own index and WordPress's root are not requests anyone writes.
    if (pattern === '/' || ns === '' || pattern === `/${ns}` || pattern === `/${ns}/`) return [];
    return [{ pattern, namespace: ns }];
  });
}

/** A value of the arg's type for a body or query example. */
function sample(a: ArgSpec): unknown {
  if (a.default !== undefined && a.default !== null && !(Array.isArray(a.default) && a.default.length === 0)) return a.default;
  if (a.enum?.length) return a.enum[0];
  const t = Array.isArray(a.type) ? a.type.find((x) => x !== 'null') : a.type;
  switch (t) {
    case 'integer': case 'number': return a.minimum ?? 1;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return isObj(a.properties) ? Object.fromEntries(Object.entries(a.properties).map(([k, p]) => [k, sample(p)])) : {};
    default: return a.format === 'email' ? 'someone@example.com' : '';
  }
}

/** `/wc/v3/products/(?P<id>[\d]+)` → `/wc/v3/products/{{id}}`, with the names. */
function pathOf(pattern: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = pattern.replace(/\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)/g, (_m, n: string) => {
    params.push(n);
    return `{{${n}}}`;
  });
  return { path, params };
}

export function importStoreRoutes(routes: { pattern: string; namespace: string; spec?: RouteSpec; description?: string }[], options: { storeName: string; storeUrl?: string; restPrefix?: string }): ImportResult {
  const prefix = options.restPrefix ?? 'wp-json';
  const byNs = new Map<string, { requests: ImportedRequest[]; vars: Map<string, string> }>();
  let unreadable = 0;
  for (const r of routes) {
    if (!r.spec) { unreadable++; continue; }
    const { path, params } = pathOf(r.pattern);
    // Patterns with optional or alternative parts are not paths a request line can hold.
    if (/[()[\]?*+|\\]/.test(path.replace(/\{\{\w+\}\}/g, ''))) { unreadable++; continue; }
    const group = byNs.get(r.namespace) ?? { requests: [], vars: new Map<string, string>() };
    byNs.set(r.namespace, group);
    for (const p of params) if (!group.vars.has(p)) group.vars.set(p, p === 'id' || /_id$/.test(p) ? '1' : p);
    const seen = new Set<string>();
    for (const e of r.spec.endpoints) {
      for (const method of e.methods) {
        if (seen.has(method) || method === 'HEAD' || method === 'OPTIONS') continue;
        seen.add(method);
        const own = Object.entries(e.args).filter(([n]) => !params.includes(n));
        const comments: string[] = [];
        if (r.description) comments.push(r.description);
        let url = `{{$store.url}}/${prefix}${path}`;
        let body: string | undefined;
        const headers: [string, string][] = [];
        if (method === 'GET' || method === 'DELETE') {
          const required = own.filter(([, a]) => a.required);
          if (required.length) url += `?${required.map(([n, a]) => `${encodeURIComponent(n)}=${encodeURIComponent(String(sample(a)))}`).join('&')}`;
          const optional = own.filter(([, a]) => !a.required).map(([n, a]) => `${n}${a.enum?.length ? ` (${a.enum.slice(0, 6).join('|')}${a.enum.length > 6 ? '|…' : ''})` : a.type ? ` (${Array.isArray(a.type) ? a.type.join('|') : a.type})` : ''}`);
          if (optional.length) comments.push(`Query arguments: ${optional.join(', ')}`);
        } else {
          const writable = own.filter(([, a]) => !a.readonly);
          const required = writable.filter(([, a]) => a.required);
          const fields = required.length ? required : [];
          if (fields.length) {
            headers.push(['Content-Type', 'application/json']);
            body = JSON.stringify(Object.fromEntries(fields.map(([n, a]) => [n, sample(a)])), null, 2);
          } else if (writable.length) {
            headers.push(['Content-Type', 'application/json']);
            body = '{}';
          }
          if (writable.length) comments.push(`Body fields: ${writable.map(([n, a]) => `${n}${a.required ? '*' : ''}`).join(', ')}`);
        }
        const title = `${method} ${path.replace(/^\//, '')}`;
        group.requests.push({ title, name: slug(title), comments, method, url, headers, ...(body !== undefined ? { body } : {}) });
      }
    }
  }
  if (byNs.size === 0) throw new ImportError('The store described no route that could be read (is the address right, and is its REST API on?).');
  const notes = unreadable ? [`${unreadable} route(s) could not be described (OPTIONS refused, or a pattern no request line can hold) and were left out.`] : [];
  const taken = new Set<string>();
  const files: ImportedFile[] = [...byNs].sort(([a], [b]) => a.localeCompare(b)).map(([ns, g]) => ({
    path: uniquePath(`routes-${ns}`, taken),
    header: [`Every ${ns} route the store "${options.storeName}" serves${options.storeUrl ? ` (${options.storeUrl})` : ''}, from its own route index; * marks a required field.`],
    variables: [...g.vars],
    requests: g.requests,
  }));
  return { files, notes };
}

/** Reads the index and each route's OPTIONS through `fetchJson` (no credentials), a few at a time. */
export async function readStoreRoutes(fetchJson: (method: 'GET' | 'OPTIONS', path: string) => Promise<unknown>, options: { concurrency?: number; namespaces?: string[] } = {}): Promise<{ pattern: string; namespace: string; spec?: RouteSpec }[]> {
  const index = await fetchJson('GET', '/');
  let routes = routesOfIndex(index);
  if (routes.length === 0) throw new ImportError('The store\'s /wp-json/ index could not be read, or lists no route.');
  if (options.namespaces?.length) routes = routes.filter((r) => options.namespaces!.includes(r.namespace));
  const out: { pattern: string; namespace: string; spec?: RouteSpec }[] = routes.map((r) => ({ ...r }));
  let next = 0;
  const worker = async () => {
    while (next < out.length) {
      const r = out[next++]!;
      const concrete = r.pattern.replace(/\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)/g, '1');
      if (/[()[\]?*+|\\]/.test(concrete)) continue;
      try {
        const data = await fetchJson('OPTIONS', concrete);
        r.spec = routeSpecOf(r.pattern, data);
      } catch { /* left out, counted in the notes */ }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return out;
}
