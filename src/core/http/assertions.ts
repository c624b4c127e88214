// httpYac's declarative assertions (`?? status == 200`, SPEC §10): reading a line into subject,
// argument, operator and expected value, and checking it against a response. No code runs: the
// subjects are the status, a header, the body (whole, or one value by JSONPath), the duration and
// an XPath into an XML body; the operators are httpYac's, with its type conversions (§10.3).
//
// Where we read a line differently from httpYac, and why (SPEC §10.5):
//  - the operator is the first operator word outside quotes and brackets (httpYac's pattern takes the
//    last word that starts like an operator, so `?? body $.name == "Tee exists"` checks `exists`);
//  - an expected value in double quotes is the string inside them (httpYac compares the quotes too);
//  - `body` with a plain path (`?? body a.b`) is read as JSONPath relative to the body; httpYac
//    evaluates it as JavaScript, which we never run;
//  - `!=` is the negation of `==` (httpYac compares objects by identity there, so it always passes).

import { createHash } from 'node:crypto';
import { jsonPathQuery, JsonPathError } from './jsonpath';
import type { Range, TextLine } from './types';
import type * as XPathModule from './xpath';
import { lazily } from '../lazy';

/** XPath for XML answers, read with the first XPath (see core/lazy.ts). */
const xpath = lazily(() => require('./xpath') as typeof XPathModule);

export type AssertionSubject = 'status' | 'header' | 'body' | 'duration' | 'xpath';

/** Canonical operator names; aliases map onto them (httpYac's ids). */
export type AssertionOperator =
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | 'startsWith' | 'endsWith' | 'includes' | 'exists' | 'isFalse'
  | 'isNumber' | 'isBoolean' | 'isString' | 'isArray' | 'matches'
  | 'sha256' | 'sha512' | 'md5';

const OPERATORS: ReadonlyMap<string, AssertionOperator> = new Map<string, AssertionOperator>([
  ['==', '=='], ['===', '=='], ['equals', '=='],
  ['!=', '!='], ['!==', '!='], // `not equals` is two words: matched separately below
  ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='],
  ['startsWith', 'startsWith'], ['endsWith', 'endsWith'],
  ['includes', 'includes'], ['contains', 'includes'],
  ['exists', 'exists'], ['isTrue', 'exists'], ['isFalse', 'isFalse'],
  ['isNumber', 'isNumber'], ['isBoolean', 'isBoolean'], ['isString', 'isString'], ['isArray', 'isArray'],
  ['matches', 'matches'], ['sha256', 'sha256'], ['sha512', 'sha512'], ['md5', 'md5'],
]);

/** Operators that take no expected value. */
const UNARY: ReadonlySet<AssertionOperator> = new Set(['exists', 'isFalse', 'isNumber', 'isBoolean', 'isString', 'isArray']);

export const ASSERTION_SUBJECTS: readonly AssertionSubject[] = ['status', 'header', 'body', 'duration', 'xpath'];
export const ASSERTION_OPERATORS: readonly string[] = [...OPERATORS.keys(), 'not equals'];
/** `?? duration firstByte < 100`: the phases httpYac names; anything else is the total. */
export const DURATION_PHASES = ['total', 'firstByte', 'dns', 'tcp', 'tls', 'wait', 'request', 'download'] as const;

export interface Assertion {
  /** The line after `??`, trimmed: what the result is called. */
  text: string;
  /** The line's content (from `??`). */
  range: Range;
  subject: AssertionSubject;
  /** Header name, JSONPath, duration phase or XPath; absent for `status` and a whole `body`. */
  argument?: string;
  /** As written (`contains`, `===`), and what it means. */
  operatorText: string;
  operator: AssertionOperator;
  operatorRange: Range;
  /** The expected value as written, `{{variables}}` not yet substituted. */
  expected?: string;
  expectedRange?: Range;
}

export interface AssertionSyntaxError {
  range: Range;
  message: string;
}

interface Token {
  text: string;
  start: number;
  end: number;
  /** Outside quotes and brackets: only such a word can be the operator. */
  top: boolean;
}

/** Words split at whitespace; quotes and brackets keep their spaces inside one word. Linear in the line. */
function words(text: string, from: number): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    let depth = 0;
    let quote = '';
    let top = true;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === "'") { quote = c; top = false; continue; }
      if (c === '[' || c === '(' || c === '{') { depth++; top = false; continue; }
      if (c === ']' || c === ')' || c === '}') { if (depth > 0) depth--; continue; }
      if (depth === 0 && /\s/.test(c)) break;
    }
    out.push({ text: text.slice(start, i), start, end: i, top });
  }
  return out;
}

/**
 * Reads one `??` line (its text without `??`, as the parser keeps it; `line.range` is the whole
 * content from `??`). Returns the assertion, or why it is not one.
 */
export function parseAssertion(line: TextLine): Assertion | AssertionSyntaxError {
  const full = line.text;
  const row = line.range.start.line;
  // `line.text` is what follows `??`, trimmed: map its offsets back onto the document line.
  const base = line.range.end.character - full.length;
  const r = (s: number, e: number): Range => ({ start: { line: row, character: base + s }, end: { line: row, character: base + e } });
  const toks = words(full, 0);
  if (toks.length === 0) return { range: line.range, message: 'An assertion needs a subject and an operator, e.g. ?? status == 200.' };
  const subjectTok = toks[0];
  if (!(ASSERTION_SUBJECTS as readonly string[]).includes(subjectTok.text)) {
    if (subjectTok.text === 'js') {
      return { range: r(subjectTok.start, subjectTok.end), message: '?? js runs JavaScript, which declarative assertions never do here: check the value with ?? body $.path instead, or use a response handler (> {% client.test(...) %}).' };
    }
    const glued = /^(status|header|body|duration|xpath)(==|!=|<=|>=|<|>)/.exec(subjectTok.text);
    if (glued) return { range: r(subjectTok.start, subjectTok.end), message: `Put spaces around the operator: ?? ${glued[1]} ${glued[2]} …` };
    return { range: r(subjectTok.start, subjectTok.end), message: `"${subjectTok.text}" is not something an assertion can check: use status, header NAME, body [JSONPath], duration or xpath PATH (names are lower case).` };
  }
  const subject = subjectTok.text as AssertionSubject;
  let opIndex = -1;
  let opWords = 1;
  for (let k = 1; k < toks.length; k++) {
    if (!toks[k].top) continue;
    if (toks[k].text === 'not' && toks[k + 1]?.text === 'equals') { opIndex = k; opWords = 2; break; }
    if (OPERATORS.has(toks[k].text)) { opIndex = k; break; }
  }
  if (opIndex === -1) {
    const near = toks.slice(1).find((t) => t.top && [...OPERATORS.keys()].some((o) => o.toLowerCase() === t.text.toLowerCase()));
    if (near) return { range: r(near.start, near.end), message: `Operators are case-sensitive: write ${[...OPERATORS.keys()].find((o) => o.toLowerCase() === near.text.toLowerCase())}, not ${near.text}.` };
    return { range: line.range, message: `This assertion has no operator. Use one of ==, !=, <, <=, >, >=, startsWith, endsWith, includes, contains, exists, isTrue, isFalse, isNumber, isBoolean, isString, isArray, matches, e.g. ?? ${subject} ${subject === 'status' ? '== 200' : 'exists'}.` };
  }
  const opStart = toks[opIndex].start;
  const opEnd = toks[opIndex + opWords - 1].end;
  const operatorText = full.slice(opStart, opEnd);
  const operator: AssertionOperator = opWords === 2 ? '!=' : OPERATORS.get(operatorText)!;
  const argument = opIndex > 1 ? full.slice(toks[1].start, toks[opIndex - 1].end) : undefined;
  const rest = toks.slice(opIndex + opWords);
  const expected = rest.length ? full.slice(rest[0].start, rest[rest.length - 1].end) : undefined;

  if ((subject === 'header' || subject === 'xpath') && argument === undefined) {
    return { range: r(subjectTok.start, subjectTok.end), message: subject === 'header' ? 'Name the header: ?? header content-type includes json.' : 'Give the XPath: ?? xpath /root/id exists.' };
  }
  if (subject === 'status' && argument !== undefined) {
    return { range: r(toks[1].start, toks[opIndex - 1].end), message: `status takes no argument: ?? status ${operatorText} ${expected ?? ''}`.trimEnd() + '.' };
  }
  if (subject === 'duration' && argument !== undefined && !(DURATION_PHASES as readonly string[]).includes(argument)) {
    return { range: r(toks[1].start, toks[opIndex - 1].end), message: `"${argument}" is not a phase of the duration: use ${DURATION_PHASES.join(', ')}, or none for the total.` };
  }
  if (subject === 'body' && argument !== undefined) {
    try {
      jsonPathQuery({}, argument);
    } catch (err) {
      return { range: r(toks[1].start, toks[opIndex - 1].end), message: `"${argument}" is not a JSONPath this extension reads (${(err as Error).message}). httpYac runs it as JavaScript; here no code runs: write it as $.field, $.items[0].id, …` };
    }
  }
  if (!UNARY.has(operator) && expected === undefined) {
    return { range: r(opStart, opEnd), message: `${operatorText} needs a value after it, e.g. ?? ${subject}${argument ? ` ${argument}` : ''} ${operatorText} ${subject === 'status' ? '200' : 'value'}.` };
  }
  if (operator === 'matches' && expected !== undefined && !/\{\{/.test(expected)) {
    try {
      new RegExp(expected, 'u');
    } catch (err) {
      return { range: r(rest[0].start, rest[rest.length - 1].end), message: `${expected} is not a regular expression: ${(err as Error).message}.` };
    }
  }
  return {
    text: full,
    range: line.range,
    subject,
    ...(argument !== undefined ? { argument } : {}),
    operatorText,
    operator,
    operatorRange: r(opStart, opEnd),
    ...(expected !== undefined ? { expected, expectedRange: r(rest[0].start, rest[rest.length - 1].end) } : {}),
  };
}

export function isAssertion(a: Assertion | AssertionSyntaxError): a is Assertion {
  return 'subject' in a;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What an assertion can look at; built from an exchange by the caller (core/tests). */
export interface AssertionResponse {
  status: number;
  /** In order as received; duplicates kept. */
  headers: readonly [string, string][];
  /** The body as text (UTF-8). */
  bodyText: string;
  bodyBytes?: Uint8Array;
  contentType?: string;
  /** Milliseconds. */
  timings: { total: number; dns?: number; connect?: number; tls?: number; firstByte?: number };
}

export interface AssertionOutcome {
  passed: boolean;
  /** The value checked, shown to the user (JSON for objects, cut at 200 characters); undefined when absent. */
  actual: string;
  /** The expected value after substitution and conversion, as shown. */
  expected?: string;
  /** `status (401) == 200`: httpYac's wording, the value in parentheses. */
  message: string;
}

/** The JSON of a body when it is JSON (by its Content-Type, else by its first character). */
export function parseBodyJson(r: AssertionResponse): { ok: true; value: unknown } | { ok: false } {
  const type = (r.contentType ?? headerValue(r.headers, 'content-type') ?? '').toLowerCase();
  const text = r.bodyText.trim();
  if (!/json/.test(type) && !/^[[{]/.test(text)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length ? values.join(', ') : undefined;
}

/** The value an assertion checks. `undefined` when it is not there (a header not sent, a path not found). */
export function assertionValue(a: Assertion, r: AssertionResponse): unknown {
  switch (a.subject) {
    case 'status':
      return r.status;
    case 'header':
      return headerValue(r.headers, a.argument!);
    case 'duration': {
      const t = r.timings;
      switch (a.argument) {
        case 'firstByte': case 'wait': return t.firstByte;
        case 'dns': return t.dns;
        case 'tcp': return t.connect;
        case 'tls': return t.tls;
        case 'download': return t.firstByte === undefined ? undefined : Math.max(0, t.total - t.firstByte);
        case 'request': return t.firstByte === undefined ? undefined : Math.max(0, t.firstByte - (t.dns ?? 0) - (t.connect ?? 0) - (t.tls ?? 0));
        default: return t.total;
      }
    }
    case 'xpath':
      try {
        return xpath().xpathValue(r.bodyText, a.argument!);
      } catch (err) {
        if (err instanceof xpath().XPathError) return undefined;
        throw err;
      }
    case 'body': {
      const json = parseBodyJson(r);
      if (a.argument === undefined) return json.ok ? json.value : r.bodyText;
      if (!json.ok) return undefined;
      try {
        const matches = jsonPathQuery(json.value, a.argument);
        return matches.length === 0 ? undefined : matches.length === 1 ? matches[0] : matches;
      } catch (err) {
        if (err instanceof JsonPathError) return undefined;
        throw err;
      }
    }
  }
}

/** httpYac's string form of a value: strings as they are, numbers in decimal, anything else truthy as JSON. */
function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v) return JSON.stringify(v);
  return undefined;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  const s = typeof v === 'string' ? v : undefined;
  if (s) {
    const n = Number.parseFloat(s.trim());
    if (!Number.isNaN(n)) return n;
  }
  return undefined;
}

function asBoolean(v: unknown, fallback: boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s) return fallback;
  if (/^true$/i.test(s)) return true;
  if (/^false$/i.test(s)) return false;
  const n = Number.parseFloat(s);
  return Number.isNaN(n) ? fallback : n !== 0;
}

/** A double-quoted expected value is the string inside (SPEC §10.5); anything else as written. */
function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v === 'string') return v;
    } catch { /* not a JSON string: as written */ }
  }
  return text;
}

/** The expected text converted to the type of the actual value (httpYac's rule, SPEC §10.3). */
function convertExpected(actual: unknown, expected: string | undefined): unknown {
  if (expected === undefined) return undefined;
  if (typeof actual === 'number') return asNumber(unquote(expected));
  if (typeof actual === 'boolean') return asBoolean(unquote(expected), expected !== '');
  if (typeof actual === 'string') return unquote(expected);
  if (actual === null && expected === 'null') return null;
  if (actual === undefined && expected === 'undefined') return undefined;
  if (typeof actual === 'object' && actual !== null) {
    try {
      return JSON.parse(expected);
    } catch {
      return unquote(expected);
    }
  }
  return unquote(expected);
}

/** Objects compare by their JSON text, with keys in a stable order (so a server's key order does not matter). */
function canonical(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return JSON.stringify(v, (_k, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
  });
}

function equal(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'object') return canonical(actual) === canonical(expected);
  return actual === expected;
}

function digest(algorithm: 'sha256' | 'sha512' | 'md5', r: AssertionResponse, value: unknown): string {
  // The whole body hashes its bytes as received; a value inside it hashes its string form.
  const data = value === undefined ? '' : typeof value === 'string' && value === r.bodyText && r.bodyBytes ? r.bodyBytes : (asString(value) ?? '');
  return createHash(algorithm).update(data).digest('base64');
}

/** Shown values: JSON, cut to a readable length. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 200 ? `${s.slice(0, 197)}…` : s;
}

/**
 * Checks one assertion. `substitute` replaces `{{variables}}` in the expected value (the caller's
 * resolver); without it the value is taken as written.
 */
export function evaluateAssertion(a: Assertion, r: AssertionResponse, substitute?: (text: string) => string): AssertionOutcome {
  const actual = assertionValue(a, r);
  const expectedText = a.expected === undefined ? undefined : substitute ? substitute(a.expected) : a.expected;
  const label = a.argument !== undefined && a.subject !== 'header' && a.subject !== 'duration' ? a.argument : a.argument !== undefined ? `${a.subject} ${a.argument}` : a.subject;
  const expected = a.operator === 'matches' || a.operator === 'sha256' || a.operator === 'sha512' || a.operator === 'md5' ? expectedText : convertExpected(actual, expectedText);
  let passed: boolean;
  switch (a.operator) {
    case '==': passed = equal(actual, expected); break;
    case '!=': passed = !equal(actual, expected); break;
    case '<': case '<=': case '>': case '>=': {
      const x = asNumber(actual);
      const y = asNumber(expected);
      passed = x !== undefined && y !== undefined && (a.operator === '<' ? x < y : a.operator === '<=' ? x <= y : a.operator === '>' ? x > y : x >= y);
      break;
    }
    case 'startsWith': case 'endsWith': case 'includes': {
      const x = asString(actual);
      const y = asString(expected);
      if (x && y) passed = a.operator === 'startsWith' ? x.startsWith(y) : a.operator === 'endsWith' ? x.endsWith(y) : x.includes(y);
      else passed = a.operator === 'includes' && Array.isArray(actual) && actual.includes(expected);
      break;
    }
    case 'exists': passed = !!actual; break;
    case 'isFalse': passed = !actual; break;
    case 'isNumber': passed = typeof actual === 'number'; break;
    case 'isBoolean': passed = typeof actual === 'boolean'; break;
    case 'isString': passed = typeof actual === 'string'; break;
    case 'isArray': passed = Array.isArray(actual); break;
    case 'matches': {
      const x = asString(actual);
      const y = asString(expected);
      let re: RegExp | undefined;
      try {
        re = y ? new RegExp(y, 'u') : undefined;
      } catch (err) {
        return { passed: false, actual: showValue(actual), expected: y, message: `${label} matches ${y}: not a regular expression (${(err as Error).message})` };
      }
      passed = !!(x && re && re.test(x));
      break;
    }
    case 'sha256': case 'sha512': case 'md5':
      passed = (digest(a.operator, r, a.argument === undefined && a.subject === 'body' ? r.bodyText : actual)) === expected;
      break;
  }
  const shownExpected = expected === undefined ? undefined : showValue(expected);
  return {
    passed,
    actual: showValue(actual),
    ...(shownExpected !== undefined ? { expected: shownExpected } : {}),
    message: `${label} (${showValue(actual)}) ${a.operatorText}${shownExpected !== undefined ? ` ${shownExpected}` : ''}`,
  };
}
