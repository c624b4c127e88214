// Line-level helpers shared by the parsers: splitting, ranges and the classification of one line.
// Every test here is anchored and linear in the line's length (no nested quantifiers), so a long
// or hostile line cannot make parsing slow.

import type { FileReference, MetadataEntry, Range } from './types';

/**
 * Splits on LF and CRLF; a lone CR is not a line break (SPEC §1.1). With `starts`, also records
 * where each line starts in `text`.
 */
export function splitLines(text: string, starts?: number[]): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    starts?.push(start);
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push(text.slice(start));
      return lines;
    }
    lines.push(text.slice(start, lineEnd(text, start, nl)));
    start = nl + 1;
  }
}

/**
 * Where the text of a line that starts at `start` ends, `nl` being the end of the text or the LF
 * that ends it: before a CR that precedes that LF (CRLF). The last line, with no LF after it, keeps
 * a CR it ends with (splitLines' rule).
 */
export function lineEnd(text: string, start: number, nl: number): number {
  return nl < text.length && nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

export function range(line: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line, character: startChar }, end: { line: endLine, character: endChar } };
}

export function lineRange(lines: readonly string[], line: number): Range {
  return range(line, 0, line, lines[line]?.length ?? 0);
}

/** From the first to the last non-blank character (the whole line when blank). */
export function contentRange(lines: readonly string[], line: number): Range {
  const text = lines[line] ?? '';
  const first = firstNonSpace(text);
  return first === -1 ? range(line, 0, line, text.length) : range(line, first, line, lastNonSpace(text) + 1);
}

export function spanRange(startLine: number, endLine: number, lines: readonly string[]): Range {
  return range(startLine, 0, endLine, lines[endLine]?.length ?? 0);
}

export function isSpace(code: number): boolean {
  // space, tab, and the rest of what String.prototype.trim removes that can appear mid-line.
  // Printable ASCII first: nearly every character tested is one, and it answers in one comparison.
  if (code > 32 && code < 160) return false;
  return code === 32 || code === 9 || code === 13 || code === 10 || code === 11 || code === 12 || code === 160 || code === 0xfeff || (code >= 0x2000 && code <= 0x200a) || code === 0x3000 || code === 0x1680 || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f;
}

export function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return i;
  return -1;
}

export function lastNonSpace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (!isSpace(text.charCodeAt(i))) return i;
  return -1;
}

export function isBlank(text: string): boolean {
  return firstNonSpace(text) === -1;
}

/** `###` at column 0 (SPEC §1.2). */
export function isDelimiter(text: string): boolean {
  return text.charCodeAt(0) === 35 && text.charCodeAt(1) === 35 && text.charCodeAt(2) === 35;
}

/** The text after the `#`s of a delimiter line, trimmed; undefined when empty. */
export function delimiterTitle(text: string): string | undefined {
  let i = 0;
  while (text.charCodeAt(i) === 35) i++;
  const title = text.slice(i).trim();
  return title === '' ? undefined : title;
}

/** `#…` or `//…` after optional whitespace (SPEC §1.3). */
export function isComment(text: string): boolean {
  const i = firstNonSpace(text);
  if (i === -1) return false;
  const c = text.charCodeAt(i);
  return c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47);
}

/** An indented `###`: a comment, not a separator (P1). */
export function isIndentedDelimiter(text: string): boolean {
  const i = firstNonSpace(text);
  return i > 0 && text.startsWith('###', i);
}

/** The comment's text without its `#`s / `//`s, trimmed. */
export function commentText(text: string): string {
  let i = firstNonSpace(text);
  if (i === -1) return '';
  while (text.charCodeAt(i) === 35 || text.charCodeAt(i) === 47) i++;
  return text.slice(i).trim();
}

/**
 * `# @key [value]` / `// @key [value]` (SPEC §1.5), also `## @key` (P7), `#@key` and the JetBrains
 * `# @name = value` / `# @name=value` forms (P6). Returns undefined for a plain comment.
 */
export function parseMetadataLine(text: string, line: number): MetadataEntry | undefined {
  let i = firstNonSpace(text);
  if (i === -1) return undefined;
  const c = text.charCodeAt(i);
  if (c === 35) {
    while (text.charCodeAt(i) === 35) i++;
  } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
    while (text.charCodeAt(i) === 47) i++;
  } else return undefined;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 64 /* @ */) return undefined;
  const keyStart = i + 1;
  let k = keyStart;
  while (k < text.length && isKeyChar(text.charCodeAt(k))) k++;
  if (k === keyStart) return undefined;
  const after = text.charCodeAt(k);
  if (k < text.length && !isSpace(after) && after !== 61 /* = */) return undefined;
  let value = text.slice(k).trim();
  if (value.startsWith('=')) value = value.slice(1).trim();
  const end = lastNonSpace(text) + 1;
  const entry: MetadataEntry = { key: text.slice(keyStart, k).toLowerCase(), range: range(line, firstNonSpace(text), line, end) };
  if (value !== '') entry.value = value;
  return entry;
}

function isKeyChar(c: number): boolean {
  // [\w-]
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

export interface VariableDefinitionLine {
  name: string;
  rawValue: string;
  nameStart: number;
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** `@name = value` (SPEC §1.4, §3.2): name is `[^\s=]+`, the value is trimmed. */
export function parseVariableDefinition(text: string): VariableDefinitionLine | undefined {
  const at = firstNonSpace(text);
  if (at === -1 || text.charCodeAt(at) !== 64) return undefined;
  let i = at + 1;
  while (i < text.length && !isSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== 61) i++;
  if (i === at + 1) return undefined;
  const nameEnd = i;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 61) return undefined;
  i++;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const valueEnd = Math.max(i, lastNonSpace(text) + 1);
  return { name: text.slice(at + 1, nameEnd), rawValue: text.slice(i, valueEnd), nameStart: at + 1, nameEnd, valueStart: i, valueEnd };
}

/** Backslash escapes of file-variable values: `\n` `\r` `\t` become control characters, `\x` becomes x. */
export function unescapeValue(raw: string): string {
  if (raw.indexOf('\\') === -1) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\' && i + 1 < raw.length) {
      const next = raw[++i];
      out += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next;
    } else out += ch;
  }
  return out;
}

/** `< path`, `<@ path`, `<@latin1 path` at column 0 with whitespace before the path (SPEC §2.6). */
export function parseFileReference(text: string, line: number): FileReference | undefined {
  if (text.charCodeAt(0) !== 60 /* < */) return undefined;
  let i = 1;
  let processVariables = false;
  let encoding: string | undefined;
  if (text.charCodeAt(1) === 64 /* @ */) {
    processVariables = true;
    i = 2;
    const encStart = i;
    while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
    if (i > encStart) encoding = text.slice(encStart, i);
  }
  if (i >= text.length || !isSpace(text.charCodeAt(i))) return undefined;
  const pathStart = firstNonSpaceFrom(text, i);
  if (pathStart === -1) return undefined;
  const pathEnd = lastNonSpace(text) + 1;
  const ref: FileReference = { kind: 'file', path: text.slice(pathStart, pathEnd), processVariables, range: range(line, 0, line, pathEnd) };
  if (encoding !== undefined) ref.encoding = encoding;
  return ref;
}

export function firstNonSpaceFrom(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return i;
  return -1;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** A pasted response's status line: `HTTP/1.1 200 OK` (SPEC §2.1 step 5, P28). */
export function isResponseStatusLine(text: string): boolean {
  return /^\s*HTTP\/[\d.]+/.test(text);
}

/** REST Client's methods (master, with WebDAV) plus httpYac's extra verbs and GRAPHQL (SPEC §2.2, §5.1, §9). */
export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE',
  'LOCK', 'UNLOCK', 'PROPFIND', 'PROPPATCH', 'COPY', 'MOVE', 'MKCOL', 'MKCALENDAR', 'ACL', 'SEARCH',
  'CHECKOUT', 'CHECKIN', 'REPORT', 'MERGE', 'MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL', 'BASELINE-CONTROL',
  'GRAPHQL',
]);

/** The leading `[A-Za-z-]+` token of a trimmed line and where the text after its whitespace starts. */
export function leadingToken(text: string, from: number): { token: string; rest: number } | undefined {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c === 45 && i > from)) i++;
    else break;
  }
  if (i === from) return undefined;
  if (i < text.length && !isSpace(text.charCodeAt(i))) return undefined;
  const token = text.slice(from, i);
  const rest = firstNonSpaceFrom(text, i);
  return { token, rest: rest === -1 ? text.length : rest };
}

/** Whether text (from `from`) looks like a request target: a URL, a path or a `{{variable}}`. */
export function looksLikeTarget(text: string, from: number): boolean {
  return (
    text.startsWith('http://', from) ||
    text.startsWith('https://', from) ||
    text.startsWith('/', from) ||
    text.startsWith('{{', from) ||
    text.startsWith('*', from) ||
    /^[^\s/]*:\/\//.test(text.slice(from, from + 64))
  );
}

/**
 * `GET https://…`, `POST /path`, `DELETE {{base}}/x`: a line a reader would take for a request line.
 * Used to warn about a request that was meant to be separate (P10, P35); method in upper case only
 * so that prose in a text body is not flagged.
 */
export function looksLikeRequestLine(text: string): boolean {
  const start = firstNonSpace(text);
  if (start === -1) return false;
  const t = leadingToken(text, start);
  if (!t || t.token !== t.token.toUpperCase() || t.rest >= text.length) return false;
  if (KNOWN_METHODS.has(t.token)) return looksLikeTarget(text, t.rest);
  return t.token.length >= 3 && (text.startsWith('http://', t.rest) || text.startsWith('https://', t.rest));
}
