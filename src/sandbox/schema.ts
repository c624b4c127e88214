// WordPress REST argument validation and sanitising: rest_validate_value_from_schema() and
// rest_sanitize_value_from_schema() (WordPress 6.4), for the subset of JSON Schema the sandbox's
// routes use. The messages are WordPress's own: case 19's
//   "type is not one of simple, grouped, external, and variable." (rest_not_in_enum, data null)
// and the classic "regular_price is not of type string." that real clients hit by sending numbers.
import { wpError, type WpError } from './errors';
import { isEmail } from './users';

export type SchemaType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';

export interface ArgSchema {
  type?: SchemaType | SchemaType[];
  description?: string;
  default?: unknown;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  format?: 'email' | 'uri' | 'date-time';
  items?: ArgSchema;
  properties?: Record<string, ArgSchema>;
  required?: boolean;
  readonly?: boolean;
  context?: readonly string[];
}

/** Schema keywords WordPress copies into the route index (rest_get_allowed_schema_keywords()). */
export const INDEX_KEYWORDS = ['title', 'description', 'default', 'type', 'format', 'enum', 'items', 'properties', 'minimum', 'maximum'] as const;

/** wp_sprintf's %l: "a", "a and b", "a, b, and c". */
export function wpList(items: readonly (string | number)[]): string {
  const s = items.map(String);
  if (s.length <= 1) return s.join('');
  if (s.length === 2) return `${s[0]} and ${s[1]}`;
  return `${s.slice(0, -1).join(', ')}, and ${s[s.length - 1]}`;
}

const invalidType = (param: string, type: string): WpError => wpError('rest_invalid_type', `${param} is not of type ${type}.`, undefined, { param });

/** is_numeric() for a JS value: numbers and numeric strings (PHP rules), not booleans. */
export function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'string') return false;
  return /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(value);
}

const isInteger = (value: unknown): boolean => isNumeric(value) && Number.isInteger(Number(typeof value === 'string' ? value.trim() : value));

function isBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') return ['false', 'true', '0', '1'].includes(value.toLowerCase());
  if (typeof value === 'number') return value === 0 || value === 1;
  return false;
}

/** wp_parse_list(): "1, 2 3" → ["1","2","3"]. */
function parseList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((s) => s !== '');
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  return [];
}

const isArrayLike = (value: unknown): boolean => Array.isArray(value) || typeof value === 'string' || typeof value === 'number';
const isObjectLike = (value: unknown): boolean => value === '' || (typeof value === 'object' && value !== null);

function valueMatchesType(value: unknown, type: SchemaType): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'boolean': return isBoolean(value);
    case 'integer': return isInteger(value);
    case 'number': return isNumeric(value);
    case 'string': return typeof value === 'string';
    case 'array': return isArrayLike(value);
    case 'object': return isObjectLike(value);
  }
}

function numberBounds(value: number, schema: ArgSchema, param: string): WpError | undefined {
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) {
    if (value < min || value > max) return wpError('rest_out_of_bounds', `${param} must be between ${min} (inclusive) and ${max} (inclusive)`);
  } else if (min !== undefined && value < min) {
    return wpError('rest_out_of_bounds', `${param} must be greater than or equal to ${min}`);
  } else if (max !== undefined && value > max) {
    return wpError('rest_out_of_bounds', `${param} must be less than or equal to ${max}`);
  }
  return undefined;
}

/** rest_validate_value_from_schema(). */
export function validateValue(value: unknown, schema: ArgSchema, param: string): WpError | undefined {
  let type = schema.type;
  if (Array.isArray(type)) {
    // rest_handle_multi_type_schema(): the first type the value fits.
    const best = type.find((t) => valueMatchesType(value, t));
    if (!best) return wpError('rest_invalid_type', `${param} is not of type ${type.join(',')}.`, undefined, { param });
    type = best;
  }
  switch (type) {
    case 'null':
      if (value !== null) return invalidType(param, 'null');
      break;
    case 'boolean':
      if (!isBoolean(value)) return invalidType(param, 'boolean');
      break;
    case 'integer':
    case 'number': {
      if (!isNumeric(value)) return invalidType(param, type);
      const n = Number(typeof value === 'string' ? value.trim() : value);
      const bounds = numberBounds(n, schema, param);
      if (bounds) return bounds;
      if (type === 'integer' && !Number.isInteger(n)) return invalidType(param, 'integer');
      break;
    }
    case 'string':
      if (typeof value !== 'string') return invalidType(param, 'string');
      break;
    case 'array': {
      if (!isArrayLike(value)) return invalidType(param, 'array');
      if (schema.items) {
        const items = parseList(value);
        for (let i = 0; i < items.length; i++) {
          const err = validateValue(items[i], schema.items, `${param}[${i}]`);
          if (err) return err;
        }
      }
      break;
    }
    case 'object': {
      if (!isObjectLike(value)) return invalidType(param, 'object');
      if (schema.properties && typeof value === 'object' && value !== null) {
        for (const [prop, v] of Object.entries(value as Record<string, unknown>)) {
          const sub = schema.properties[prop];
          if (!sub) continue;
          const err = validateValue(v, sub, `${param}[${prop}]`);
          if (err) return err;
        }
      }
      break;
    }
    default:
      break;
  }
  if (schema.enum && schema.enum.length > 0) {
    const sanitized = sanitizeValue(value, { ...schema, type });
    if (!schema.enum.some((e) => e === sanitized || String(e) === String(sanitized))) {
      return schema.enum.length === 1
        ? wpError('rest_not_in_enum', `${param} is not ${schema.enum[0]}.`)
        : wpError('rest_not_in_enum', `${param} is not one of ${wpList(schema.enum)}.`);
    }
  }
  if (schema.format && (type === undefined || type === 'string') && typeof value === 'string') {
    if (schema.format === 'email' && !isEmail(value)) return wpError('rest_invalid_email', 'Invalid email address.');
    if (schema.format === 'date-time' && value !== '' && Number.isNaN(Date.parse(value))) return wpError('rest_invalid_date', 'Invalid date.');
  }
  return undefined;
}

/** rest_sanitize_value_from_schema(): coerce an already valid value to its declared type. */
export function sanitizeValue(value: unknown, schema: ArgSchema): unknown {
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => valueMatchesType(value, t)) ?? type[0];
  switch (type) {
    case 'integer':
      return isNumeric(value) ? Math.trunc(Number(typeof value === 'string' ? value.trim() : value)) : value;
    case 'number':
      return isNumeric(value) ? Number(typeof value === 'string' ? value.trim() : value) : value;
    case 'boolean':
      if (typeof value === 'string') return !['false', '0', ''].includes(value.toLowerCase());
      return Boolean(value);
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value;
    case 'array': {
      const items = parseList(value);
      return schema.items ? items.map((v) => sanitizeValue(v, schema.items!)) : items;
    }
    case 'object': {
      if (value === '' ) return {};
      if (typeof value !== 'object' || value === null || !schema.properties) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const sub = schema.properties[k];
        out[k] = sub ? sanitizeValue(v, sub) : v;
      }
      return out;
    }
    default:
      return value;
  }
}
