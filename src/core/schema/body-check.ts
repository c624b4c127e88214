// A JSON request body checked against the store's own description of the route (SPEC §11): what
// WordPress returns for `OPTIONS /wp-json/<route>` (and in a namespace index): per endpoint, its
// methods and `args`, each a JSON Schema subset. WordPress validates a request against the args of
// the endpoint that matched (rest_validate_value_from_schema), so the same rules apply here:
//  - a value must fit the declared type, with WordPress's leniency: an integer or number may be a
//    numeric string, a boolean may be "true"/"false"/"1"/"0"/1/0, an array or object is checked
//    item by item (`items`, `properties`); a string must be a JSON string (`"price": 9.99` is the
//    classic "regular_price is not of type string.");
//  - an enum value must be one of the listed ones; numbers respect minimum/maximum;
//  - a required arg must be present;
//  - a field the endpoint does not know is ignored by WordPress: a warning here (usually a typo).
// Ranges are exact: offsets in the body text, turned into positions by the caller.
//
// Pure: no `vscode`, no I/O.

import { getLocation, parseTree, type Node } from 'jsonc-parser';
import { trimTrailingSlashes, withoutQueryOrFragment } from '../url-text';

export type SchemaType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';

export interface ArgSpec {
  type?: SchemaType | SchemaType[];
  description?: string;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  items?: ArgSpec;
  properties?: Record<string, ArgSpec>;
  required?: boolean;
  readonly?: boolean;
  format?: string;
  default?: unknown;
}

export interface EndpointSpec {
  methods: string[];
  args: Record<string, ArgSpec>;
}

export interface RouteSpec {
  /** As WordPress registers it: `/wc/v3/products/(?P<id>[\d]+)`. */
  pattern: string;
  namespace?: string;
  endpoints: EndpointSpec[];
}

export interface BodyProblem {
  /** Offsets in the body text, end exclusive. */
  start: number;
  end: number;
  severity: 'error' | 'warning';
  code: 'unknown-field' | 'wrong-type' | 'not-in-enum' | 'out-of-bounds' | 'missing-required' | 'invalid-json';
  message: string;
  /** The field, as WordPress names it in its errors: `dimensions[width]`, `categories[0][id]`. */
  field: string;
}

// ---------------------------------------------------------------------------------------------
// Reading what the store said

const TYPES: readonly string[] = ['string', 'integer', 'number', 'boolean', 'array', 'object', 'null'];

function asSpec(v: unknown, depth = 0): ArgSpec {
  if (typeof v !== 'object' || v === null || depth > 12) return {};
  const o = v as Record<string, unknown>;
  const spec: ArgSpec = {};
  if (typeof o.type === 'string' && TYPES.includes(o.type)) spec.type = o.type as SchemaType;
  else if (Array.isArray(o.type)) spec.type = o.type.filter((t): t is SchemaType => typeof t === 'string' && TYPES.includes(t));
  if (typeof o.description === 'string') spec.description = o.description;
  if (Array.isArray(o.enum)) spec.enum = o.enum;
  if (typeof o.minimum === 'number') spec.minimum = o.minimum;
  if (typeof o.maximum === 'number') spec.maximum = o.maximum;
  if (o.items !== undefined) spec.items = asSpec(o.items, depth + 1);
  if (typeof o.properties === 'object' && o.properties !== null && !Array.isArray(o.properties)) {
    spec.properties = Object.fromEntries(Object.entries(o.properties as Record<string, unknown>).map(([k, p]) => [k, asSpec(p, depth + 1)]));
  }
  if (o.required === true) spec.required = true;
  if (o.readonly === true) spec.readonly = true;
  if (typeof o.format === 'string') spec.format = o.format;
  if (o.default !== undefined) spec.default = o.default;
  return spec;
}

/** One route's data (an OPTIONS answer, or a value of a namespace index's `routes`). */
export function routeSpecOf(pattern: string, data: unknown): RouteSpec | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const endpoints = (data as { endpoints?: unknown }).endpoints;
  if (!Array.isArray(endpoints)) return undefined;
  const out: EndpointSpec[] = [];
  for (const e of endpoints) {
    if (typeof e !== 'object' || e === null) continue;
    const methods = Array.isArray((e as { methods?: unknown }).methods) ? (e as { methods: unknown[] }).methods.filter((m): m is string => typeof m === 'string') : [];
    const args = (e as { args?: unknown }).args;
    const specs: Record<string, ArgSpec> = {};
    if (typeof args === 'object' && args !== null && !Array.isArray(args)) {
      for (const [name, a] of Object.entries(args as Record<string, unknown>)) specs[name] = asSpec(a);
    }
    out.push({ methods, args: specs });
  }
  const ns = (data as { namespace?: unknown }).namespace;
  return { pattern, ...(typeof ns === 'string' ? { namespace: ns } : {}), endpoints: out };
}

/** Every route of a namespace index (`GET /wp-json/wc/v3`). */
export function routeSpecsFromIndex(index: unknown): RouteSpec[] {
  const routes = typeof index === 'object' && index !== null ? (index as { routes?: unknown }).routes : undefined;
  if (typeof routes !== 'object' || routes === null || Array.isArray(routes)) return [];
  return Object.entries(routes as Record<string, unknown>).flatMap(([p, d]) => {
    const spec = routeSpecOf(p, d);
    return spec ? [spec] : [];
  });
}

/** WordPress's route pattern as a JavaScript expression over the path after the REST prefix. */
function routeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^${pattern.replace(/\(\?P</g, '(?<')}$`, 'i');
  } catch {
    return undefined;
  }
}

/** `{{id}}` and the like in a typed path stand for a value: matched as `1`. */
function concretePath(path: string): string {
  const p = trimTrailingSlashes(withoutQueryOrFragment(path).replace(/\{\{[^}]*\}\}/g, '1'));
  return p.startsWith('/') ? p : `/${p}`;
}

/** The route a path (after `/wp-json/`: `wc/v3/products/12`) and method hit, with the endpoint's args. */
export function endpointFor(routes: readonly RouteSpec[], path: string, method: string): { route: RouteSpec; endpoint: EndpointSpec } | undefined {
  const p = concretePath(path);
  const m = method.toUpperCase();
  for (const route of routes) {
    const re = routeRegExp(route.pattern);
    if (!re || !re.test(p)) continue;
    const endpoint = route.endpoints.find((e) => e.methods.includes(m));
    if (endpoint) return { route, endpoint };
  }
  return undefined;
}

/** Names of the path's own parameters (`id` in `(?P<id>…)`): args, but not body fields. */
export function pathParams(route: RouteSpec): Set<string> {
  return new Set([...route.pattern.matchAll(/\(\?P<(\w+)>/g)].map((x) => x[1]!));
}

// ---------------------------------------------------------------------------------------------
// Checking a body

/** Bodies above this many characters are not checked (nor completed). */
export const MAX_CHECKED_BODY = 512 * 1024;

const isNumericString = (s: string) => /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(s);

/** Does a JSON node fit one declared type, the way WordPress checks it. */
function fits(node: Node, type: SchemaType): boolean {
  switch (type) {
    case 'null': return node.type === 'null';
    case 'string': return node.type === 'string';
    case 'boolean':
      return node.type === 'boolean' || (node.type === 'number' && (node.value === 0 || node.value === 1)) || (node.type === 'string' && ['true', 'false', '0', '1'].includes(String(node.value).toLowerCase()));
    case 'number': return node.type === 'number' || (node.type === 'string' && isNumericString(String(node.value)));
    case 'integer': {
      const n = node.type === 'number' ? Number(node.value) : node.type === 'string' && isNumericString(String(node.value)) ? Number(String(node.value).trim()) : NaN;
      return Number.isFinite(n) && Number.isInteger(n);
    }
    // WordPress takes a string or a number as a list ("1,2"), and "" as an empty object.
    case 'array': return node.type === 'array' || node.type === 'string' || node.type === 'number';
    case 'object': return node.type === 'object' || (node.type === 'string' && node.value === '');
  }
}

function typeList(spec: ArgSpec): SchemaType[] {
  return spec.type === undefined ? [] : Array.isArray(spec.type) ? spec.type : [spec.type];
}

function wpList(items: readonly unknown[]): string {
  const s = items.map(String);
  if (s.length <= 1) return s.join('');
  if (s.length === 2) return `${s[0]} and ${s[1]}`;
  return `${s.slice(0, -1).join(', ')}, and ${s[s.length - 1]}`;
}

function show(node: Node): string {
  const v = node.type === 'string' ? JSON.stringify(node.value) : node.type === 'object' ? 'an object' : node.type === 'array' ? 'an array' : String(node.value);
  return v.length > 60 ? `${v.slice(0, 57)}…` : v;
}

function checkValue(node: Node, spec: ArgSpec, field: string, out: BodyProblem[]): void {
  const types = typeList(spec);
  const problem = (code: BodyProblem['code'], message: string) => out.push({ start: node.offset, end: node.offset + node.length, severity: 'error', code, field, message });
  let type: SchemaType | undefined;
  if (types.length) {
    type = types.find((t) => fits(node, t));
    if (!type) {
      const hint = types.includes('string') && node.type === 'number' ? ` Write it as a string: "${String(node.value)}".` : '';
      problem('wrong-type', `${field} is not of type ${types.join(',')}: it is ${show(node)}. WordPress answers 400 rest_invalid_param for it.${hint}`);
      return;
    }
  }
  if ((type === 'integer' || type === 'number') && (spec.minimum !== undefined || spec.maximum !== undefined)) {
    const n = Number(node.type === 'string' ? String(node.value).trim() : node.value);
    const { minimum: min, maximum: max } = spec;
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      problem('out-of-bounds', min !== undefined && max !== undefined ? `${field} must be between ${min} (inclusive) and ${max} (inclusive).` : min !== undefined ? `${field} must be greater than or equal to ${min}.` : `${field} must be less than or equal to ${max}.`);
      return;
    }
  }
  if (spec.enum && spec.enum.length && node.type !== 'object' && node.type !== 'array') {
    const v = node.value as unknown;
    if (!spec.enum.some((e) => e === v || String(e) === String(v))) {
      problem('not-in-enum', spec.enum.length === 1 ? `${field} is not ${String(spec.enum[0])}: it is ${show(node)}.` : `${field} is not one of ${wpList(spec.enum)}: it is ${show(node)}.`);
      return;
    }
  }
  if (node.type === 'array' && spec.items) {
    (node.children ?? []).forEach((child, i) => checkValue(child, spec.items!, `${field}[${i}]`, out));
  }
  if (node.type === 'object' && spec.properties) checkObject(node, spec.properties, field, out, false);
}

function checkObject(node: Node, props: Record<string, ArgSpec>, prefix: string | undefined, out: BodyProblem[], top: boolean, skip: ReadonlySet<string> = new Set()): void {
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode) continue;
    const name = String(keyNode.value);
    const field = prefix === undefined ? name : `${prefix}[${name}]`;
    const spec = props[name];
    if (!spec || skip.has(name)) {
      const known = Object.keys(props).filter((k) => !skip.has(k));
      const near = known.find((k) => k.toLowerCase() === name.toLowerCase() || k.replace(/_/g, '') === name.replace(/[_-]/g, '').toLowerCase());
      out.push({ start: keyNode.offset, end: keyNode.offset + keyNode.length, severity: 'warning', code: 'unknown-field', field, message: `${top ? 'This endpoint' : prefix} has no field "${name}": WordPress ignores it.${near ? ` Did you mean "${near}"?` : ''}` });
      continue;
    }
    if (valueNode) checkValue(valueNode, spec, field, out);
  }
}

/**
 * Problems of a JSON body for an endpoint. A body that is not JSON yields one `invalid-json`
 * problem (the editor already says where); a body that is not an object is left alone.
 */
export function checkJsonBody(text: string, endpoint: EndpointSpec, route?: RouteSpec): BodyProblem[] {
  // Checked as you type: a body this large is data, not something typed by hand.
  if (text.length > MAX_CHECKED_BODY) return [];
  const errors: { error: number; offset: number; length: number }[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length) return [];
  if (root.type !== 'object') return [];
  const skip = route ? pathParams(route) : new Set<string>();
  const out: BodyProblem[] = [];
  checkObject(root, endpoint.args, undefined, out, true, skip);
  const present = new Set((root.children ?? []).map((p) => String(p.children?.[0]?.value)));
  const missing = Object.entries(endpoint.args).filter(([name, a]) => a.required && !present.has(name) && !skip.has(name)).map(([name]) => name);
  if (missing.length) {
    out.push({ start: root.offset, end: root.offset + 1, severity: 'error', code: 'missing-required', field: missing.join(', '), message: `Missing parameter(s): ${missing.join(', ')}. WordPress answers 400 rest_missing_callback_param without ${missing.length === 1 ? 'it' : 'them'}.` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Completion

export interface BodyCompletion {
  label: string;
  kind: 'field' | 'value';
  detail?: string;
  documentation?: string;
  /** Text to insert (a field name without quotes when inside quotes, an enum value as JSON). */
  insertText: string;
}

function specAt(endpoint: EndpointSpec, path: readonly (string | number)[]): ArgSpec | undefined {
  let spec: ArgSpec | undefined = { type: 'object', properties: endpoint.args };
  for (const seg of path) {
    if (!spec) return undefined;
    if (typeof seg === 'number') spec = spec.items;
    else spec = spec.properties?.[seg];
  }
  return spec;
}

/** Field names where a key goes, enum values (and booleans) where a value goes. */
export function completeJsonBody(text: string, offset: number, endpoint: EndpointSpec, route?: RouteSpec): BodyCompletion[] {
  if (text.length > MAX_CHECKED_BODY) return [];
  const loc = getLocation(text, offset);
  const skip = route ? pathParams(route) : new Set<string>();
  if (loc.isAtPropertyKey || (loc.previousNode === undefined && loc.path.length >= 0 && /[{,]\s*"?[\w-]*$/.test(text.slice(0, offset)))) {
    const parent = specAt(endpoint, loc.path.slice(0, -1));
    const props = parent?.properties ?? (loc.path.length <= 1 ? endpoint.args : undefined);
    if (!props) return [];
    const root = parseTree(text);
    const existing = new Set<string>();
    let obj: Node | undefined = root;
    for (const seg of loc.path.slice(0, -1)) {
      obj = obj?.children?.find((c) => (typeof seg === 'number' ? true : c.children?.[0]?.value === seg));
      obj = typeof seg === 'number' ? obj : obj?.children?.[1];
    }
    for (const p of obj?.children ?? []) if (p.children?.[0]) existing.add(String(p.children[0].value));
    const inQuotes = text[offset - 1] === '"' || /"[\w-]*$/.test(text.slice(0, offset));
    return Object.entries(props)
      .filter(([name, a]) => !a.readonly && !skip.has(name) && !existing.has(name))
      .map(([name, a]) => ({ label: name, kind: 'field' as const, detail: `${typeList(a).join(' | ') || 'any'}${a.required ? ' (required)' : ''}`, documentation: a.description, insertText: inQuotes ? name : `"${name}"` }));
  }
  const spec = specAt(endpoint, loc.path);
  if (!spec) return [];
  const values = spec.enum ? spec.enum : typeList(spec).includes('boolean') ? [true, false] : [];
  return values.map((v) => ({ label: JSON.stringify(v), kind: 'value' as const, detail: spec.description, insertText: JSON.stringify(v) }));
}

// ---------------------------------------------------------------------------------------------
// A 400 rest_invalid_param, explained

export interface InvalidParamExplained {
  field: string;
  /** WordPress's own message for the field. */
  message: string;
  /** The rule it broke, from the store's schema: `type string`, `one of draft, pending, …`. */
  rule?: string;
  code?: string;
}

/** The fields a `400 rest_invalid_param` (or `rest_missing_callback_param`) names, with the schema rule each broke. */
export function explainInvalidParam(body: unknown, endpoint?: EndpointSpec): InvalidParamExplained[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { code?: unknown; data?: { params?: unknown; details?: unknown } };
  const ruleOf = (field: string): string | undefined => {
    const top = field.split('[')[0]!;
    const spec = endpoint?.args[top];
    if (!spec) return undefined;
    const parts: string[] = [];
    const types = typeList(spec);
    if (types.length) parts.push(`type ${types.join(' or ')}`);
    if (spec.enum?.length) parts.push(`one of ${wpList(spec.enum)}`);
    if (spec.minimum !== undefined) parts.push(`at least ${spec.minimum}`);
    if (spec.maximum !== undefined) parts.push(`at most ${spec.maximum}`);
    if (spec.format) parts.push(`format ${spec.format}`);
    if (spec.required) parts.push('required');
    return parts.length ? `${top}: ${parts.join(', ')}` : undefined;
  };
  if (b.code === 'rest_missing_callback_param' && Array.isArray(b.data?.params)) {
    return (b.data!.params as unknown[]).map(String).map((field) => ({ field, message: `${field} is required and was not sent.`, rule: ruleOf(field), code: 'rest_missing_callback_param' }));
  }
  if (b.code !== 'rest_invalid_param' || typeof b.data?.params !== 'object' || b.data.params === null) return [];
  const details = (typeof b.data.details === 'object' && b.data.details !== null ? b.data.details : {}) as Record<string, { code?: unknown }>;
  return Object.entries(b.data.params as Record<string, unknown>).map(([field, message]) => ({
    field,
    message: String(message),
    rule: ruleOf(field),
    ...(typeof details[field]?.code === 'string' ? { code: details[field]!.code as string } : {}),
  }));
}
