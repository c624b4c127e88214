// The store's own description of a route, read with `OPTIONS /wp-json/<path>` (WordPress answers it
// without authentication: the route's namespace, methods, each endpoint's args and the item schema),
// and kept per store and route shape so typing never waits for the network.
//
// Pure of `vscode`: sending goes through core/send, without the store's credentials.

import { send } from '../send';
import type { Store } from '../store';
import { routeSpecOf, type EndpointSpec, type RouteSpec } from './body-check';
import { trimTrailingSlashes } from '../url-text';

/**
 * The path after the REST prefix, reduced to what identifies a route: no query, `{{vars}}` and
 * numeric segments as `{}` (`wc/v3/products/12` and `wc/v3/products/{{id}}` are the same route).
 */
export function routeShapeOf(path: string): string {
  return path.split(/[?#]/)[0]!.replace(/^\/+|\/+$/g, '').split('/').map((seg) => (/^\d+$/.test(seg) || /^\{\{[^}]*\}\}$/.test(seg) ? '{}' : seg)).join('/');
}

/** The path after `/wp-json/` of a URL as written (variables kept), or after `?rest_route=`. */
export function restPathOf(url: string, prefix = 'wp-json'): string | undefined {
  const at = url.indexOf(`/${prefix}/`);
  if (at >= 0) return url.slice(at + prefix.length + 2).split(/[?#]/)[0];
  const m = /[?&]rest_route=([^&#]*)/.exec(url);
  return m ? decodeURIComponent(m[1]!).replace(/^\/+/, '') : undefined;
}

export function endpointOf(route: RouteSpec, method: string): EndpointSpec | undefined {
  const m = method.toUpperCase();
  return route.endpoints.find((e) => e.methods.includes(m));
}

/**
 * Reads one route's description from the store. Numeric and `{{var}}` segments are sent as `1`
 * (any id matches the route's pattern). Undefined when the store does not describe it.
 */
export async function fetchRouteSpec(store: Store, path: string, options: { ca?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<RouteSpec | undefined> {
  const concrete = path.split(/[?#]/)[0]!.replace(/\{\{[^}]*\}\}/g, '1').replace(/^\/+/, '');
  const base = trimTrailingSlashes(store.baseUrl);
  const url = `${base}/${store.options?.restPrefix ?? 'wp-json'}/${concrete}`;
  const ex = await send({ method: 'OPTIONS', url, headers: [['Accept', 'application/json']] }, {
    timeoutMs: options.timeoutMs ?? 10_000,
    signal: options.signal,
    followRedirects: true,
    tls: { verify: store.options?.verifyTls !== false, ca: options.ca },
    secrets: [],
  });
  if (!ex.response || ex.response.status !== 200) return undefined;
  try {
    return routeSpecOf(routeShapeOf(concrete), JSON.parse(Buffer.from(ex.response.body).toString('utf8')));
  } catch {
    return undefined;
  }
}

/** Route descriptions per store, by route shape. `undefined` entries remember "the store has none". */
export class RouteSpecCache {
  private readonly byStore = new Map<string, Map<string, { spec?: RouteSpec; fetchedAt: string }>>();

  get(storeId: string, path: string): { spec?: RouteSpec; fetchedAt: string } | undefined {
    return this.byStore.get(storeId)?.get(routeShapeOf(path));
  }

  set(storeId: string, path: string, spec: RouteSpec | undefined): void {
    const m = this.byStore.get(storeId) ?? new Map();
    m.set(routeShapeOf(path), { ...(spec ? { spec } : {}), fetchedAt: new Date().toISOString() });
    this.byStore.set(storeId, m);
  }

  clear(storeId?: string): void {
    if (storeId === undefined) this.byStore.clear();
    else this.byStore.delete(storeId);
  }

  /** For keeping across sessions: plain JSON. */
  toJSON(): Record<string, Record<string, { spec?: RouteSpec; fetchedAt: string }>> {
    return Object.fromEntries([...this.byStore].map(([id, m]) => [id, Object.fromEntries(m)]));
  }

  load(saved: unknown): void {
    if (typeof saved !== 'object' || saved === null) return;
    for (const [id, routes] of Object.entries(saved as Record<string, unknown>)) {
      if (typeof routes !== 'object' || routes === null) continue;
      const m = new Map<string, { spec?: RouteSpec; fetchedAt: string }>();
      for (const [shape, v] of Object.entries(routes as Record<string, { spec?: RouteSpec; fetchedAt?: string }>)) {
        if (v && typeof v.fetchedAt === 'string') m.set(shape, { ...(v.spec && Array.isArray(v.spec.endpoints) ? { spec: v.spec } : {}), fetchedAt: v.fetchedAt });
      }
      this.byStore.set(id, m);
    }
  }
}
