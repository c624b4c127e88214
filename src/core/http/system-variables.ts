// System variables: REST Client's `{{$guid}}`, `{{$randomInt a b}}`, `{{$timestamp}}`, `{{$datetime}}`,
// `{{$localDatetime}}`, `{{$processEnv}}`, `{{$dotenv}}` (SPEC §3.6), JetBrains' dynamic variables
// (`$uuid`, `$random.*`, `$isoTimestamp`, bare `$randomInt`, SPEC §4.4, C41) and our `{{$store.url}}` /
// `{{$store.name}}`. Time, randomness and the process environment come from the caller, so tests
// are deterministic and nothing here reads global state.
//
// Values from `$processEnv`, `$env.*` and `$dotenv` may be secrets: they are marked `secret` and no
// message here ever contains them.

import type { ProblemCode } from './types';
import { trimTrailingSlashes } from '../url-text';

export interface SystemVariableContext {
  now?: () => Date;
  /** A number in [0, 1), like Math.random. */
  random?: () => number;
  /** Minutes east of UTC for `$localDatetime`. Default: the process's time zone at that instant. */
  utcOffsetMinutes?: number;
  processEnv?: Record<string, string | undefined>;
  /** `.env` lookup (the caller picks `.env.<environment>` or `.env`, walking up from the file). */
  dotenv?: (name: string) => string | undefined;
  /** The current environment's variables, for `$processEnv %name` / `$dotenv %name`. */
  environment?: Record<string, string>;
  store?: { name: string; url: string };
}

/** Where a value read from this machine came from: the environment variable or `.env` entry, by name. */
export interface ValueSource {
  kind: 'processEnv' | 'dotenv';
  name: string;
}

export type SystemVariableResult =
  | { ok: true; value: string; secret?: boolean; source?: ValueSource; warning?: { code: ProblemCode; message: string } }
  | { ok: false; code: ProblemCode; message: string };

export interface SystemVariableInfo {
  name: string;
  /** What to insert for completion (without braces). */
  insertText: string;
  description: string;
}

/** For completion and hover. */
export const SYSTEM_VARIABLES: readonly SystemVariableInfo[] = [
  { name: '$guid', insertText: '$guid', description: 'A new UUID v4 each time.' },
  { name: '$randomInt', insertText: '$randomInt 1 100', description: 'A random integer in [min, max).' },
  { name: '$timestamp', insertText: '$timestamp', description: 'Unix time in seconds; optional offset: $timestamp -1 d.' },
  { name: '$datetime', insertText: '$datetime iso8601', description: 'UTC date: rfc1123, iso8601 or a "format"; optional offset.' },
  { name: '$localDatetime', insertText: '$localDatetime iso8601', description: 'Local date: rfc1123, iso8601 or a "format"; optional offset.' },
  { name: '$processEnv', insertText: '$processEnv NAME', description: 'An environment variable of the VS Code process (%name: the name comes from the current environment).' },
  { name: '$dotenv', insertText: '$dotenv NAME', description: 'A value from the .env file next to the request file.' },
  { name: '$store.url', insertText: '$store.url', description: "The URL of the file's store (@store = name)." },
  { name: '$store.name', insertText: '$store.name', description: "The name of the file's store." },
  { name: '$uuid', insertText: '$uuid', description: 'JetBrains: a new UUID v4.' },
  { name: '$isoTimestamp', insertText: '$isoTimestamp', description: 'JetBrains: the current UTC time, ISO 8601.' },
  { name: '$random.integer', insertText: '$random.integer(0, 100)', description: 'JetBrains: a random integer in [from, to).' },
  { name: '$random.float', insertText: '$random.float(0, 1)', description: 'JetBrains: a random float in [from, to).' },
  { name: '$random.alphabetic', insertText: '$random.alphabetic(8)', description: 'JetBrains: n random letters.' },
  { name: '$random.alphanumeric', insertText: '$random.alphanumeric(8)', description: 'JetBrains: n random letters, digits or _.' },
  { name: '$random.hexadecimal', insertText: '$random.hexadecimal(8)', description: 'JetBrains: n random hex digits.' },
  { name: '$random.email', insertText: '$random.email', description: 'JetBrains: a random e-mail address.' },
];

const REST_CLIENT_NAMES = new Set([
  '$guid', '$randomInt', '$timestamp', '$datetime', '$localDatetime', '$processEnv', '$dotenv',
  '$aadToken', '$aadV2Token', '$oidcAccessToken', '$uuid', '$isoTimestamp', '$store.url', '$store.name',
]);

/** REST Client decides by the first space-separated token (SPEC §3.6). */
export function isSystemVariable(name: string): boolean {
  const first = firstToken(name);
  return REST_CLIENT_NAMES.has(first) || first.startsWith('$random.') || first.startsWith('$env.') || first.startsWith('$store.');
}

function firstToken(name: string): string {
  const m = /^\S*/.exec(name.trim());
  return m ? m[0] : '';
}

function valid(d: Date): Date {
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid date');
  return d;
}

function bad(code: ProblemCode, message: string): SystemVariableResult {
  return { ok: false, code, message };
}

/** undefined when `name` is not a system variable (the other providers get their turn). */
export function resolveSystemVariable(name: string, ctx: SystemVariableContext = {}): SystemVariableResult | undefined {
  if (!isSystemVariable(name)) return undefined;
  try {
    return resolveKnown(name.trim(), ctx);
  } catch {
    // e.g. {{$datetime iso8601 999999999 y}}: a date outside what Date can represent
    return bad('invalid-system-variable', `"${name.trim()}" gives a date out of range.`);
  }
}

function resolveKnown(text: string, ctx: SystemVariableContext): SystemVariableResult {
  const head = firstToken(text);
  const args = text.slice(head.length).trim();
  const now = () => (ctx.now ? ctx.now() : new Date());
  const random = ctx.random ?? Math.random;
  switch (head) {
    case '$guid':
    case '$uuid':
      return { ok: true, value: ctx.random ? uuidFrom(random) : globalThis.crypto.randomUUID() };
    case '$randomInt': {
      if (args === '') return { ok: true, value: String(Math.floor(random() * 1001)) }; // JetBrains: 0..1000
      const m = /^(-?\d+)\s+(-?\d+)$/.exec(args);
      if (!m || Number(m[1]) >= Number(m[2])) {
        return bad('invalid-system-variable', `Write {{$randomInt min max}} with two integers and min < max (got "${args}").`);
      }
      const min = Number(m[1]);
      const max = Number(m[2]);
      return { ok: true, value: String(Math.floor(random() * (max - min)) + min) };
    }
    case '$timestamp': {
      const off = parseOffset(args);
      if (off === null) return bad('invalid-system-variable', `Write {{$timestamp}} or {{$timestamp offset unit}}, e.g. {{$timestamp -1 d}} (got "${args}").`);
      const d = valid(off ? addOffset(now(), off.amount, off.unit, 0) : now());
      return { ok: true, value: String(Math.floor(d.getTime() / 1000)) };
    }
    case '$isoTimestamp':
      return { ok: true, value: valid(now()).toISOString() };
    case '$datetime':
    case '$localDatetime': {
      const local = head === '$localDatetime';
      const parsed = parseDatetimeArgs(args);
      if (!parsed) {
        return bad('invalid-system-variable', `Write {{${head} rfc1123}}, {{${head} iso8601}} or {{${head} "YYYY-MM-DD"}}, optionally followed by an offset such as -1 d (got "${args}").`);
      }
      const base = now();
      const offsetMinutes = local ? (ctx.utcOffsetMinutes ?? -base.getTimezoneOffset()) : 0;
      const d = valid(parsed.offset ? addOffset(base, parsed.offset.amount, parsed.offset.unit, offsetMinutes) : base);
      const zone = local ? (ctx.utcOffsetMinutes ?? -d.getTimezoneOffset()) : 0;
      if (parsed.format === 'rfc1123') {
        return { ok: true, value: local ? formatDate(d, 'ddd, DD MMM YYYY HH:mm:ss ZZ', zone) : d.toUTCString() };
      }
      if (parsed.format === 'iso8601') {
        return { ok: true, value: local ? formatDate(d, 'YYYY-MM-DDTHH:mm:ssZ', zone) : d.toISOString() };
      }
      return { ok: true, value: formatDate(d, parsed.format, zone) };
    }
    case '$processEnv': {
      const m = /^(%)?(\S+)$/.exec(args);
      if (!m) return bad('invalid-system-variable', 'Write {{$processEnv NAME}} or {{$processEnv %settingName}}.');
      const envName = m[1] ? (ctx.environment?.[m[2]] ?? m[2]) : m[2];
      const value = ctx.processEnv?.[envName];
      if (value === undefined) {
        return { ok: true, value: '', secret: true, warning: { code: 'process-env-unset', message: `The environment variable ${envName} is not set; an empty value is sent.` } };
      }
      return { ok: true, value, secret: true, source: { kind: 'processEnv', name: envName } };
    }
    case '$dotenv': {
      const m = /^(%)?(\S+)$/.exec(args);
      if (!m) return bad('invalid-system-variable', 'Write {{$dotenv NAME}} or {{$dotenv %settingName}}.');
      const key = m[1] ? (ctx.environment?.[m[2]] ?? m[2]) : m[2];
      if (!ctx.dotenv) return bad('dotenv-missing', `No .env file was found next to this file (or above it), so ${key} has no value.`);
      const value = ctx.dotenv(key);
      if (value === undefined) return bad('dotenv-missing', `${key} is not defined in the .env file.`);
      return { ok: true, value, secret: true, source: { kind: 'dotenv', name: key } };
    }
    case '$store.url':
    case '$store.name': {
      if (args !== '') return bad('invalid-system-variable', `{{${head}}} takes no arguments.`);
      if (!ctx.store) return bad('no-store', `No store is selected for this request: add "@store = <store name>" at the top of the file or "# @store <name>" above the request.`);
      return { ok: true, value: head === '$store.url' ? trimTrailingSlashes(ctx.store.url) : ctx.store.name };
    }
    case '$aadToken':
    case '$aadV2Token':
    case '$oidcAccessToken':
      return bad('unsupported-system-variable', `{{${head}}} (Azure AD / OpenID sign-in) is not supported; put the token in an environment variable instead.`);
    default:
      // {{$store.token}}, {{$store.password}}, …: a store's secrets never go into a file.
      if (head.startsWith('$store.')) {
        return bad('unsupported-system-variable', `{{${head}}} is not offered: a store's token, keys and passwords never appear in a file. The store's credentials are applied when the request is sent (a token renewed as needed); {{$store.url}} and {{$store.name}} are the store's variables.`);
      }
      break;
  }
  if (head.startsWith('$env.')) {
    const envName = text.slice('$env.'.length).trim();
    const value = ctx.processEnv?.[envName];
    if (value === undefined) {
      return { ok: true, value: '', secret: true, warning: { code: 'process-env-unset', message: `The environment variable ${envName} is not set; an empty value is sent.` } };
    }
    return { ok: true, value, secret: true, source: { kind: 'processEnv', name: envName } };
  }
  return jetbrainsRandom(text, random);
}

/** `$random.integer(1, 10)`, `$random.alphanumeric(8)`, `$random.email`, ... (JB‑stub http-dynamic-variables.json). */
function jetbrainsRandom(text: string, random: () => number): SystemVariableResult {
  const m = /^\$random\.([A-Za-z]+)\s*(?:\(([^)]*)\))?$/.exec(text);
  if (!m) return bad('invalid-system-variable', `"${text}" is not a dynamic variable this extension knows.`);
  const fn = m[1];
  const argText = (m[2] ?? '').trim();
  const args = argText === '' ? [] : argText.split(',').map((a) => a.trim());
  const nums = args.map(Number);
  if (nums.some((n) => !Number.isFinite(n))) return bad('invalid-system-variable', `The arguments of $random.${fn} must be numbers.`);
  const count = (): number | undefined => (nums.length === 1 && Number.isInteger(nums[0]) && nums[0] >= 0 ? nums[0] : undefined);
  const pick = (alphabet: string, n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.min(alphabet.length - 1, Math.floor(random() * alphabet.length))];
    return s;
  };
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  switch (fn) {
    case 'uuid':
      return args.length ? bad('invalid-system-variable', '$random.uuid takes no arguments.') : { ok: true, value: uuidFrom(random) };
    case 'integer':
    case 'float': {
      let from = 0;
      let to = 1000;
      if (nums.length === 1) to = nums[0];
      else if (nums.length === 2) [from, to] = nums;
      else if (nums.length > 2) return bad('invalid-system-variable', `$random.${fn} takes (to) or (from, to).`);
      if (from >= to) return bad('invalid-system-variable', `$random.${fn}(from, to) needs from < to.`);
      if (fn === 'integer') {
        if (!Number.isInteger(from) || !Number.isInteger(to)) return bad('invalid-system-variable', '$random.integer takes integers.');
        return { ok: true, value: String(Math.floor(random() * (to - from)) + from) };
      }
      return { ok: true, value: String(from + random() * (to - from)) };
    }
    case 'alphabetic':
    case 'alphanumeric':
    case 'hexadecimal': {
      const n = count();
      if (n === undefined) return bad('invalid-system-variable', `Write $random.${fn}(length).`);
      const alphabet = fn === 'alphabetic' ? letters : fn === 'alphanumeric' ? letters + '0123456789_' : '0123456789ABCDEF';
      return { ok: true, value: pick(alphabet, n) };
    }
    case 'email':
      return { ok: true, value: `${pick('abcdefghijklmnopqrstuvwxyz', 8)}@example.com` };
    default:
      return bad('unsupported-system-variable', `$random.${fn} is not supported.`);
  }
}

/** A UUID v4 built from `random` (used when the caller injects randomness). */
export function uuidFrom(random: () => number): string {
  const b: number[] = [];
  for (let i = 0; i < 16; i++) b.push(Math.floor(random() * 256) & 255);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ── offsets ─────────────────────────────────────────────────────────────────────────────────────

export type OffsetUnit = 'y' | 'Q' | 'M' | 'w' | 'd' | 'h' | 'm' | 's' | 'ms';

const UNIT_ALIASES: Record<string, OffsetUnit> = {
  y: 'y', year: 'y', years: 'y', Q: 'Q', quarter: 'Q', quarters: 'Q', M: 'M', month: 'M', months: 'M',
  w: 'w', week: 'w', weeks: 'w', d: 'd', day: 'd', days: 'd', h: 'h', hour: 'h', hours: 'h',
  m: 'm', minute: 'm', minutes: 'm', s: 's', second: 's', seconds: 's', ms: 'ms', millisecond: 'ms', milliseconds: 'ms',
};

/** '' → no offset (undefined); `-3 h` → {amount, unit}; anything else → null. */
function parseOffset(args: string): { amount: number; unit: OffsetUnit } | undefined | null {
  if (args === '') return undefined;
  const m = /^(-?\d+)\s+([A-Za-z]+)$/.exec(args);
  if (!m) return null;
  const unit = UNIT_ALIASES[m[2]];
  if (!unit) return null;
  return { amount: Number(m[1]), unit };
}

function parseDatetimeArgs(args: string): { format: string; offset?: { amount: number; unit: OffsetUnit } } | undefined {
  let format: string;
  let rest: string;
  const q = args[0];
  if (q === "'" || q === '"') {
    const close = args.lastIndexOf(q);
    if (close <= 1) return undefined;
    format = args.slice(1, close);
    rest = args.slice(close + 1).trim();
  } else {
    const m = /^(\S+)\s*(.*)$/.exec(args);
    if (!m || (m[1] !== 'rfc1123' && m[1] !== 'iso8601')) return undefined;
    format = m[1];
    rest = m[2].trim();
  }
  const offset = parseOffset(rest);
  if (offset === null) return undefined;
  return offset ? { format, offset } : { format };
}

/**
 * Adds an offset the way Day.js does: calendar units (y, Q, M) keep the day of month, clamped to the
 * month's length; w and d are calendar days in the given zone; h, m, s, ms are exact durations.
 */
export function addOffset(date: Date, amount: number, unit: OffsetUnit, utcOffsetMinutes = 0): Date {
  const shift = utcOffsetMinutes * 60000;
  const wall = new Date(date.getTime() + shift);
  switch (unit) {
    case 'ms':
      return new Date(date.getTime() + amount);
    case 's':
      return new Date(date.getTime() + amount * 1000);
    case 'm':
      return new Date(date.getTime() + amount * 60000);
    case 'h':
      return new Date(date.getTime() + amount * 3600000);
    case 'd':
    case 'w':
      wall.setUTCDate(wall.getUTCDate() + amount * (unit === 'w' ? 7 : 1));
      return new Date(wall.getTime() - shift);
    case 'M':
    case 'Q':
    case 'y': {
      const months = amount * (unit === 'y' ? 12 : unit === 'Q' ? 3 : 1);
      const day = wall.getUTCDate();
      wall.setUTCDate(1);
      wall.setUTCMonth(wall.getUTCMonth() + months);
      const dim = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 0)).getUTCDate();
      wall.setUTCDate(Math.min(day, dim));
      return new Date(wall.getTime() - shift);
    }
  }
}

// ── formatting ──────────────────────────────────────────────────────────────────────────────────

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FORMAT_TOKENS = /\[([^\]]*)]|YYYY|YY|Q|MMMM|MMM|MM|M|Do|DDDD|DDD|DD|D|dddd|ddd|dd|d|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|ZZ|Z|A|a|X|x/g;

/**
 * Day.js/Moment-compatible formatting (English) of `date` in a zone `utcOffsetMinutes` east of UTC.
 * Tokens: YYYY YY Q M MM MMM MMMM D DD Do DDD DDDD d dd ddd dddd H HH h hh k kk m mm s ss S SS SSS
 * Z ZZ A a X x, and [literal text].
 */
export function formatDate(date: Date, format: string, utcOffsetMinutes = 0): string {
  const w = new Date(date.getTime() + utcOffsetMinutes * 60000);
  const Y = w.getUTCFullYear();
  const Mo = w.getUTCMonth();
  const D = w.getUTCDate();
  const wd = w.getUTCDay();
  const H = w.getUTCHours();
  const mi = w.getUTCMinutes();
  const s = w.getUTCSeconds();
  const ms = w.getUTCMilliseconds();
  const pad = (n: number, l = 2) => String(Math.abs(n)).padStart(l, '0');
  const zone = (sep: string) => {
    const sign = utcOffsetMinutes < 0 ? '-' : '+';
    const a = Math.abs(utcOffsetMinutes);
    return `${sign}${pad(Math.floor(a / 60))}${sep}${pad(a % 60)}`;
  };
  const dayOfYear = Math.floor((Date.UTC(Y, Mo, D) - Date.UTC(Y, 0, 1)) / 86400000) + 1;
  const ordinal = (n: number) => {
    const t = n % 100;
    return `${n}${t >= 11 && t <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
  };
  return format.replace(FORMAT_TOKENS, (tok, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (tok) {
      case 'YYYY': return Y < 0 ? '-' + pad(Y, 6) : pad(Y, 4);
      case 'YY': return String(Y).slice(-2);
      case 'Q': return String(Math.floor(Mo / 3) + 1);
      case 'MMMM': return MONTHS[Mo];
      case 'MMM': return MONTHS[Mo].slice(0, 3);
      case 'MM': return pad(Mo + 1);
      case 'M': return String(Mo + 1);
      case 'Do': return ordinal(D);
      case 'DDDD': return pad(dayOfYear, 3);
      case 'DDD': return String(dayOfYear);
      case 'DD': return pad(D);
      case 'D': return String(D);
      case 'dddd': return DAYS[wd];
      case 'ddd': return DAYS[wd].slice(0, 3);
      case 'dd': return DAYS[wd].slice(0, 2);
      case 'd': return String(wd);
      case 'HH': return pad(H);
      case 'H': return String(H);
      case 'hh': return pad(H % 12 || 12);
      case 'h': return String(H % 12 || 12);
      case 'kk': return pad(H || 24);
      case 'k': return String(H || 24);
      case 'mm': return pad(mi);
      case 'm': return String(mi);
      case 'ss': return pad(s);
      case 's': return String(s);
      case 'SSS': return pad(ms, 3);
      case 'SS': return pad(Math.floor(ms / 10));
      case 'S': return String(Math.floor(ms / 100));
      case 'ZZ': return zone('');
      case 'Z': return zone(':');
      case 'A': return H < 12 ? 'AM' : 'PM';
      case 'a': return H < 12 ? 'am' : 'pm';
      case 'X': return String(Math.floor(date.getTime() / 1000));
      case 'x': return String(date.getTime());
      default: return tok;
    }
  });
}
