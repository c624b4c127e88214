// A small WP_REST_Server: routes, the dispatch order that decides which error a request gets,
// and WordPress's response headers. The order matters and is WordPress 6.4's:
//   1. rest_authentication_errors (the auth pipeline's error)        → 401 auth_error, invalid_username…
//   2. rest_pre_dispatch: WooCommerce's key read/write check, OPTIONS  → "does not have write permissions."
//   3. route match                                                      → 404 rest_no_route
//   4. has_valid_params: JSON body, required args, arg schemas          → 400 rest_invalid_json / rest_invalid_param
//   5. the endpoint's permission_callback                               → 401/403 woocommerce_rest_cannot_*
//   6. the callback                                                     → 404 Invalid ID., 201, …
//   7. rest_post_dispatch: the Allow header (methods whose permission check passes)
// so, e.g., a malformed JSON body gets 400 even without credentials, as on a real store.
import type { KeyRecord } from './auth';
import type { PhpArray } from './php-query';
import { errorStatus, isWpError, MESSAGES, wcAuthError, wpError, type WpError } from './errors';
import { INDEX_KEYWORDS, sanitizeValue, validateValue, type ArgSchema } from './schema';
import type { SiteUrls } from './site';
import type { UserRecord } from './users';

export type Params = Record<string, unknown>;

export interface RestRequest {
  /** After `_method` / X-HTTP-Method-Override. */
  method: string;
  route: string;
  urlParams: Record<string, string>;
  query: Params;
  /** $_GET as PHP built it (bytes), for WooCommerce's prev/next Link URLs. */
  rawQuery: PhpArray;
  /** Merged parameters (JSON > body > query > URL > defaults), sanitised for declared args. */
  params: Params;
  /** $_POST: form fields of a real POST (a plugin that reads $_POST directly, not the merged params). */
  post: Params;
  headers: Record<string, string | undefined>;
  user: UserRecord | undefined;
  site: SiteUrls;
}

export interface RestResponse {
  status: number;
  data: unknown;
  headers: Record<string, string>;
}

export const respond = (data: unknown, status = 200, headers: Record<string, string> = {}): RestResponse => ({ status, data, headers });

export type PermissionResult = true | false | WpError;

export interface Endpoint {
  methods: string[];
  args: Record<string, ArgSchema>;
  permission: (req: RestRequest) => PermissionResult;
  callback: (req: RestRequest) => RestResponse | WpError;
}

export interface RouteDefinition {
  /** As WordPress shows it, e.g. "/wc/v3/products/(?P<id>[\\d]+)". */
  path: string;
  namespace: string;
  endpoints: Endpoint[];
  schema?: () => object;
}

interface CompiledRoute extends RouteDefinition {
  regex: RegExp;
  groupNames: string[];
}

/** What the HTTP layer hands over for a REST request. */
export interface IncomingRest {
  route: string;
  requestMethod: string;
  /** $_GET, decoded to text. */
  query: Params;
  /** $_GET as PHP built it (bytes). */
  rawQuery: PhpArray;
  /** $_POST (form bodies of real POSTs), decoded to text. */
  post: Params;
  /** parse_str() of a form body for other methods, decoded to text (WP_REST_Request::parse_body_params). */
  formBody: Params | undefined;
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
  user: UserRecord | undefined;
  key: KeyRecord | undefined;
  authError: WpError | undefined;
  /** An error a plugin returns from rest_pre_dispatch (a JWT plugin refusing the token). */
  preDispatchError?: WpError;
  site: SiteUrls;
}

export interface OutgoingRest {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const NOCACHE_HEADERS = {
  Expires: 'Wed, 11 Jan 1984 05:00:00 GMT',
  'Cache-Control': 'no-cache, must-revalidate, max-age=0, no-store, private',
};
export { NOCACHE_HEADERS };

/** rest_authorization_required_code(): 403 for a logged-in user, 401 otherwise. */
export const authorizationRequiredCode = (req: { user: UserRecord | undefined }): number => (req.user ? 403 : 401);

/**
 * json_encode() as WordPress calls it: slashes escaped ("\/"), non-ASCII as \uXXXX, and an empty
 * PHP array is "[]" (never "{}").
 */
export function phpJsonEncode(value: unknown, pretty = false): string {
  const replacer = (_key: string, v: unknown): unknown => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return [];
    return v;
  };
  const json = JSON.stringify(value, replacer, pretty ? 4 : undefined) ?? 'null';
  return json.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function compile(route: RouteDefinition): CompiledRoute {
  const groupNames: string[] = [];
  const source = route.path.replace(/\(\?P<(\w+)>/g, (_m, name: string) => {
    groupNames.push(name);
    return `(?<${name}>`;
  });
  // WordPress matches with preg_match( '@^' . $route . '$@i' ): anchored and case-insensitive.
  return { ...route, regex: new RegExp(`^${source}$`, 'i'), groupNames };
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const value = contentType.split(';')[0]!.trim().toLowerCase();
  return value === 'application/json' || value.endsWith('+json');
}

export class RestServer {
  private readonly routes: CompiledRoute[] = [];

  register(route: RouteDefinition): void {
    this.routes.push(compile(route));
  }

  allRoutes(): readonly RouteDefinition[] {
    return this.routes;
  }

  /** get_data_for_route(): what the index and OPTIONS show for one route. */
  routeData(route: RouteDefinition, site: SiteUrls, help = false): Record<string, unknown> {
    const methods: string[] = [];
    const endpoints = route.endpoints.map((e) => {
      methods.push(...e.methods);
      const args: Record<string, unknown> = {};
      for (const [name, schema] of Object.entries(e.args)) {
        const shown: Record<string, unknown> = {};
        for (const k of INDEX_KEYWORDS) if ((schema as Record<string, unknown>)[k] !== undefined) shown[k] = (schema as Record<string, unknown>)[k];
        shown.required = schema.required === true;
        args[name] = shown;
      }
      return { methods: e.methods, args };
    });
    const data: Record<string, unknown> = { namespace: route.namespace, methods, endpoints };
    if (help && route.schema) data.schema = route.schema();
    // For routes without variables WordPress adds a self link (the {id}-style form).
    const shape = route.path.replace(/\(\?P<(\w+?)>.*?\)/g, '{$1}');
    if (!shape.includes('{')) data._links = { self: [{ href: site.rest(shape) }] };
    return data;
  }

  serve(incoming: IncomingRest): OutgoingRest {
    const { site } = incoming;
    const headers: Record<string, string> = {
      'X-Robots-Tag': 'noindex',
      Link: `<${site.rest('/')}>; rel="https://api.w.org/"`,
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Expose-Headers': 'X-WP-Total, X-WP-TotalPages, Link',
      'Access-Control-Allow-Headers': 'Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type',
    };
    // rest_send_nocache_headers defaults to is_user_logged_in(), decided before any auth error:
    // cases 14-16 (key logged in, then refused) carry them, case 11 (wrong secret) does not.
    if (incoming.user) Object.assign(headers, NOCACHE_HEADERS);
    // rest_send_cors_headers().
    const origin = incoming.headers['origin'];
    if (origin) {
      headers['Access-Control-Allow-Origin'] = origin;
      headers['Access-Control-Allow-Methods'] = 'OPTIONS, GET, POST, PUT, PATCH, DELETE';
      headers['Access-Control-Allow-Credentials'] = 'true';
      headers['Vary'] = 'Origin';
    } else if (incoming.requestMethod === 'GET' && !incoming.user) {
      headers['Vary'] = 'Origin';
    }

    // HTTP method override (serve_request): ?_method=, else X-HTTP-Method-Override.
    let method = incoming.requestMethod.toUpperCase();
    const override = incoming.query['_method'];
    if (override !== undefined) method = String(typeof override === 'string' ? override : '').toUpperCase();
    else if (incoming.headers['x-http-method-override']) method = incoming.headers['x-http-method-override'].toUpperCase();

    const finish = (status: number, data: unknown, extra: Record<string, string> = {}): OutgoingRest => {
      const all = { ...headers, ...extra, 'Content-Type': 'application/json; charset=UTF-8' };
      const pretty = incoming.query['_pretty'] !== undefined;
      if (incoming.query['_envelope'] !== undefined) {
        const envelope = { body: data, status, headers: extra };
        return { status: 200, headers: all, body: phpJsonEncode(envelope, pretty) };
      }
      return { status, headers: all, body: phpJsonEncode(data, pretty) };
    };
    const fail = (error: WpError, extra: Record<string, string> = {}): OutgoingRest => finish(errorStatus(error), error, extra);

    // 1. Authentication errors.
    if (incoming.authError) return fail(incoming.authError);
    if (incoming.preDispatchError) return fail(incoming.preDispatchError);

    // 2. rest_pre_dispatch: WooCommerce's check_user_permissions() (only when a key logged in).
    if (incoming.key) {
      const keyError = checkKeyPermissions(incoming.key, method);
      if (keyError) return fail(keyError);
    }

    // Route match, with HEAD served by GET handlers.
    const matches = (endpoint: Endpoint): boolean => endpoint.methods.includes(method) || (method === 'HEAD' && endpoint.methods.includes('GET'));
    let matchedRoute: CompiledRoute | undefined;
    let endpoint: Endpoint | undefined;
    let urlParams: Record<string, string> = {};
    let pathMatched: CompiledRoute | undefined;
    for (const route of this.routes) {
      const m = route.regex.exec(incoming.route);
      if (!m) continue;
      pathMatched ??= route;
      const found = route.endpoints.find(matches);
      if (!found) continue;
      matchedRoute = route;
      endpoint = found;
      urlParams = { ...(m.groups ?? {}) };
      break;
    }

    // rest_handle_options_request(): the route's description (or [] when nothing matches).
    if (method === 'OPTIONS') {
      const route = pathMatched;
      if (!route) return finish(200, []);
      const req = this.buildRequest(incoming, method, {}, undefined);
      return finish(200, this.routeData(route, site, true), this.allowHeader(route, req));
    }

    if (!matchedRoute || !endpoint) return fail(wpError('rest_no_route', MESSAGES.noRoute, 404));

    // 4. has_valid_params(): JSON body, then required, then each arg's schema.
    const jsonContent = isJsonContentType(incoming.headers['content-type']);
    let json: Params | undefined;
    if (jsonContent && incoming.rawBody.length > 0) {
      const parsed = parseJsonBody(incoming.rawBody);
      if ('error' in parsed) {
        return fail(wpError('rest_invalid_json', MESSAGES.invalidJson, 400, { json_error_code: parsed.error.code, json_error_message: parsed.error.message }), this.allowHeader(matchedRoute, this.buildRequest(incoming, method, urlParams, undefined)));
      }
      json = parsed.value;
    }
    const req = this.buildRequest(incoming, method, urlParams, json, endpoint);
    const allow = (): Record<string, string> => this.allowHeader(matchedRoute!, req);

    const required = Object.entries(endpoint.args).filter(([name, a]) => a.required === true && (req.params[name] === undefined || req.params[name] === null)).map(([name]) => name);
    if (required.length > 0) {
      return fail(wpError('rest_missing_callback_param', `Missing parameter(s): ${required.join(', ')}`, 400, { params: required }), allow());
    }
    const invalid: Record<string, string> = {};
    const details: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(endpoint.args)) {
      const value = req.params[name];
      if (value === undefined || value === null) continue;
      // Defaults are not validated (they are not in the request).
      if (!hasRequestValue(req, incoming, json, name)) continue;
      const error = validateValue(value, schema, name);
      if (error) {
        invalid[name] = error.message;
        details[name] = { code: error.code, message: error.message, data: error.data };
      }
    }
    if (Object.keys(invalid).length > 0) {
      return fail(wpError('rest_invalid_param', `Invalid parameter(s): ${Object.keys(invalid).join(', ')}`, 400, { params: invalid, details }), allow());
    }
    for (const [name, schema] of Object.entries(endpoint.args)) {
      if (req.params[name] !== undefined && req.params[name] !== null) req.params[name] = sanitizeValue(req.params[name], schema);
    }

    // 5. permission_callback.
    const permitted = endpoint.permission(req);
    if (permitted !== true) {
      const error = permitted === false ? wpError('rest_forbidden', MESSAGES.forbidden, authorizationRequiredCode(req)) : permitted;
      return fail(error, allow());
    }

    // 6. The callback.
    const result = endpoint.callback(req);
    if (isWpError(result)) return fail(result, allow());
    const data = req.params['_fields'] !== undefined ? filterFields(result.data, String(req.params['_fields'])) : result.data;
    const out = finish(result.status, data, { ...result.headers, ...allow() });
    if (method === 'HEAD') out.body = '';
    return out;
  }

  private buildRequest(incoming: IncomingRest, method: string, urlParams: Record<string, string>, json: Params | undefined, endpoint?: Endpoint): RestRequest {
    // WP_REST_Request::get_parameter_order(): JSON, POST (body methods), GET, URL, defaults.
    const params: Params = {};
    for (const [name, schema] of Object.entries(endpoint?.args ?? {})) if (schema.default !== undefined) params[name] = schema.default;
    Object.assign(params, urlParams, incoming.query);
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) Object.assign(params, method === 'POST' ? incoming.post : incoming.formBody ?? incoming.post);
    if (json) Object.assign(params, json);
    return { method, route: incoming.route, urlParams, query: incoming.query, rawQuery: incoming.rawQuery, params, post: incoming.post, headers: incoming.headers, user: incoming.user, site: incoming.site };
  }

  /** rest_send_allow_header(): the methods of the matched route whose permission check passes. */
  private allowHeader(route: RouteDefinition, req: RestRequest): Record<string, string> {
    const allowed: string[] = [];
    for (const e of route.endpoints) {
      let ok: PermissionResult = false;
      try {
        ok = e.permission(req);
      } catch {
        ok = false;
      }
      for (const m of e.methods) {
        const i = allowed.indexOf(m);
        if (ok === true && i === -1) allowed.push(m);
        if (ok !== true && i !== -1) allowed.splice(i, 1);
      }
    }
    return allowed.length > 0 ? { Allow: allowed.join(', ') } : {};
  }
}

/** True when the request itself (not a default) carries this parameter. */
function hasRequestValue(req: RestRequest, incoming: IncomingRest, json: Params | undefined, name: string): boolean {
  return name in req.urlParams || name in incoming.query || name in incoming.post || (incoming.formBody !== undefined && name in incoming.formBody) || (json !== undefined && name in json);
}

/** WC_REST_Authentication::check_permissions(): the key's read/write scope (401, REFERENCE C.2). */
export function checkKeyPermissions(key: KeyRecord, method: string): WpError | undefined {
  switch (method) {
    case 'HEAD':
    case 'GET':
      return key.permissions === 'read' || key.permissions === 'read_write' ? undefined : wcAuthError(MESSAGES.noReadPermission);
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
      return key.permissions === 'write' || key.permissions === 'read_write' ? undefined : wcAuthError(MESSAGES.noWritePermission);
    case 'OPTIONS':
      return undefined;
    default:
      return wcAuthError(MESSAGES.unknownMethod);
  }
}

/** json_decode() of the body, with PHP's error code and message on failure. */
function parseJsonBody(body: Buffer): { value: Params | undefined } | { error: { code: number; message: string } } {
  const text = body.toString('utf8');
  if (Buffer.compare(Buffer.from(text, 'utf8'), body) !== 0) return { error: { code: 5, message: 'Malformed UTF-8 characters, possibly incorrectly encoded' } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // PHP: JSON_ERROR_SYNTAX (4) "Syntax error"; a raw control character is JSON_ERROR_CTRL_CHAR (3).
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(text.replace(/[\t\n\r ]/g, ''))) return { error: { code: 3, message: 'Control character error, possibly incorrectly encoded' } };
    return { error: { code: 4, message: 'Syntax error' } };
  }
  // Only an object (PHP associative array) becomes parameters; a JSON list's indexes would be
  // numeric params no route declares, and scalars are not parameters at all.
  if (value && typeof value === 'object' && !Array.isArray(value)) return { value: value as Params };
  return { value: undefined };
}

/** rest_filter_response_fields(): `_fields=id,name,billing.email`. */
function filterFields(data: unknown, fieldsParam: string): unknown {
  const fields = fieldsParam.split(/[\s,]+/).filter(Boolean);
  if (fields.length === 0) return data;
  const pick = (item: unknown): unknown => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const path = field.split('.');
      let src: unknown = item;
      let dst = out;
      for (let i = 0; i < path.length; i++) {
        if (!src || typeof src !== 'object' || !(path[i]! in (src as Record<string, unknown>))) break;
        const value = (src as Record<string, unknown>)[path[i]!];
        if (i === path.length - 1) {
          dst[path[i]!] = value;
        } else {
          dst[path[i]!] = (dst[path[i]!] as Record<string, unknown>) ?? {};
          dst = dst[path[i]!] as Record<string, unknown>;
          src = value;
        }
      }
    }
    return out;
  };
  return Array.isArray(data) ? data.map(pick) : pick(data);
}
