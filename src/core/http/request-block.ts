// One block (the lines between two `###`, or one Markdown fence) → at most one RequestTemplate.
// The walk is a single pass in phases, each a small loop over line kinds:
//   before the request line: blank, comment/metadata, `@var = …`, JetBrains `< {% %}` and httpYac
//   `{{ }}` pre-request scripts, a pasted `HTTP/1.1 200` response (the block then has no request);
//   the request line and its `?`/`&`/`/` continuation lines; headers up to the first blank line;
//   the body; response sections after it (`> {% %}`, `> x.js`, `>> file`, `<> file`, `?? …`, `{{ }}`).
// Comment lines are transparent everywhere, including the body (SPEC §1.3, P2).

import { isAssertion, parseAssertion } from './assertions';
import { buildBody, isGraphQL, isMultipart } from './body';
import { convertCurl, isCurlLine, tokenizeCurl } from './curl';
import {
  KNOWN_METHODS,
  commentText,
  contentRange,
  firstNonSpace,
  isBlank,
  isComment,
  isIndentedDelimiter,
  isResponseStatusLine,
  isSpace,
  lastNonSpace,
  leadingToken,
  looksLikeRequestLine,
  looksLikeTarget,
  parseFileReference,
  parseMetadataLine,
  parseVariableDefinition,
  range,
  unescapeValue,
} from './lines';
import type {
  Body,
  BodyLine,
  FileReference,
  FileVariable,
  HeaderLine,
  MetadataEntry,
  Position,
  PromptDeclaration,
  Problem,
  Range,
  RequestMetadata,
  RequestTemplate,
  ScriptBlock,
  TextLine,
} from './types';

/** What the document-level walk shares with each block. */
export interface DocumentState {
  /**
   * One entry per line of the document. Only the lines of the block being parsed are sure to hold
   * their text: a `.http` file's blocks get theirs just before they are parsed (parse.ts), and the
   * index reads a sparse list. A block reads nothing outside its first..last lines.
   */
  lines: readonly string[];
  /** The document's text and where each of its lines starts (full parse only), to take a body as one slice. */
  source?: string;
  lineStarts?: readonly number[];
  requests: RequestTemplate[];
  fileVariables: FileVariable[];
  fileStore?: string;
  problems: Problem[];
  /** Request names seen so far, to warn about duplicates. */
  names: Set<string>;
  /**
   * Index mode (indexHttpDocument): blocks stop at their request line, which is recorded here, and
   * nothing after it is parsed. Code lenses need no more than that.
   */
  requestLines?: { requestLineRange: Range }[];
}

export interface BlockInfo {
  /** First and last line of the block's content (inclusive). */
  first: number;
  last: number;
  /** The range a request of this block reports (the block, or the whole fence in Markdown). */
  range: Range;
  title?: string;
  delimiterRange?: Range;
}

/**
 * The one empty list every request without scripts, references, assertions, prompts, metadata or
 * headers shares: a parse of a large file makes tens of thousands of requests, and an array each
 * would be most of what it allocates. Frozen, so a change by mistake throws instead of reaching
 * every request (the types say readonly).
 */
const NONE: readonly never[] = Object.freeze([]);

/**
 * A list as the result keeps it: the shared empty list, or a copy as long as its contents. A list
 * filled by push keeps room for 16 more entries (V8 grows a backing store by half plus 16); the copy
 * drops that room, which a large file would otherwise hold for each request.
 */
function kept<T>(list: T[]): readonly T[] {
  return list.length === 0 ? NONE : list.length === 1 ? [list[0]] : list.slice();
}

type SectionKind = 'handler' | 'handler-file' | 'redirect' | 'ref' | 'assert' | 'httpyac-script';

/** A line that starts a response section after the body (column 0, SPEC §4.3, §5.3). */
function sectionKind(text: string): SectionKind | undefined {
  const c = text.charCodeAt(0);
  if (c === 62 /* > */) {
    if (text.startsWith('>>')) return /^>>!?\s+\S/.test(text) ? 'redirect' : undefined;
    const rest = text.slice(1).trimStart();
    if (rest.startsWith('{%')) return 'handler';
    if (text.length > 1 && isSpace(text.charCodeAt(1)) && /\.[cm]?js$/i.test(rest.trimEnd())) return 'handler-file';
    return undefined;
  }
  if (c === 60 /* < */ && text.charCodeAt(1) === 62 && text.length > 2 && isSpace(text.charCodeAt(2))) return 'ref';
  if (c === 63 /* ? */ && text.charCodeAt(1) === 63 && (text.length === 2 || isSpace(text.charCodeAt(2)))) return 'assert';
  if (isHttpyacScriptOpen(text)) return 'httpyac-script';
  return undefined;
}

/** A line that is exactly `{{`, optionally `+{{` and an event: `{{@response` (httpYac). */
export function isHttpyacScriptOpen(text: string): boolean {
  return /^\+?\{\{(?:@[\w-]+)?\s*$/.test(text);
}

export function addVariable(st: DocumentState, text: string, line: number): boolean {
  const def = parseVariableDefinition(text);
  if (!def) return false;
  const v: FileVariable = {
    name: def.name,
    value: unescapeValue(def.rawValue),
    rawValue: def.rawValue,
    range: range(line, firstNonSpace(text), line, Math.max(def.valueEnd, def.nameEnd)),
    nameRange: range(line, def.nameStart, line, def.nameEnd),
    valueRange: range(line, def.valueStart, line, def.valueEnd),
  };
  st.fileVariables.push(v);
  if (v.name === 'store') st.fileStore = v.value;
  return true;
}

function problem(st: DocumentState, r: Range, severity: Problem['severity'], code: Problem['code'], message: string): void {
  st.problems.push({ range: r, severity, code, message });
}

/** Comments are dropped, but an indented `###` deserves a word (P1). */
function noteComment(st: DocumentState, line: number): void {
  const text = st.lines[line];
  if (isIndentedDelimiter(text)) {
    problem(st, contentRange(st.lines, line), 'warning', 'indented-delimiter',
      'An indented ### is a comment, not a request separator; remove the indentation to start a new request here.');
  }
}

/**
 * Reads a JetBrains script starting at `line` (`< {% … %}`, `> {% … %}`, `< ./pre.js`, `> ./handler.js`).
 * Returns the last line it used.
 */
function readJetBrainsScript(st: DocumentState, line: number, last: number, when: ScriptBlock['when'], scripts: ScriptBlock[]): number {
  const text = st.lines[line];
  const open = text.indexOf('{%');
  if (open === -1) {
    const file = text.slice(1).trim();
    scripts.push({ when, flavor: 'jetbrains', file, range: contentRange(st.lines, line) });
    return line;
  }
  const sameLine = text.indexOf('%}', open + 2);
  if (sameLine !== -1) {
    scripts.push({ when, flavor: 'jetbrains', source: text.slice(open + 2, sameLine).trim(), range: range(line, 0, line, sameLine + 2) });
    return line;
  }
  const parts = [text.slice(open + 2)];
  for (let j = line + 1; j <= last; j++) {
    const t = st.lines[j];
    const close = t.indexOf('%}');
    if (close !== -1) {
      parts.push(t.slice(0, close));
      scripts.push({ when, flavor: 'jetbrains', source: trimScript(parts), range: range(line, 0, j, close + 2) });
      return j;
    }
    parts.push(t);
  }
  scripts.push({ when, flavor: 'jetbrains', source: trimScript(parts), range: range(line, 0, last, st.lines[last].length) });
  problem(st, range(line, 0, line, text.length), 'error', 'unterminated-script',
    'This script is never closed with %}; everything after it in this request is read as script.');
  return last;
}

function readHttpyacScript(st: DocumentState, line: number, last: number, when: ScriptBlock['when'], scripts: ScriptBlock[]): number {
  const parts: string[] = [];
  for (let j = line + 1; j <= last; j++) {
    const t = st.lines[j];
    if (t.trim() === '}}') {
      scripts.push({ when, flavor: 'httpyac', source: trimScript(parts), range: range(line, 0, j, t.length) });
      return j;
    }
    parts.push(t);
  }
  scripts.push({ when, flavor: 'httpyac', source: trimScript(parts), range: range(line, 0, last, st.lines[last].length) });
  problem(st, range(line, 0, line, st.lines[line].length), 'error', 'unterminated-script',
    'This script block is never closed with a }} line; everything after it in this request is read as script.');
  return last;
}

/** The script's lines without leading and trailing blank lines (indentation kept). */
function trimScript(parts: string[]): string {
  let a = 0;
  let b = parts.length;
  while (a < b && isBlank(parts[a])) a++;
  while (b > a && isBlank(parts[b - 1])) b--;
  return parts.slice(a, b).join('\n');
}

/**
 * Where `HTTP/` (any case) starts in `text[start, end)` preceded by whitespace inside that piece, or
 * -1. Linear, no regex, and no copy of the piece: this runs on every URL line.
 */
function versionIndex(text: string, start: number, end: number): number {
  for (let p = start + 1; p + 5 <= end; p++) {
    const c = text.charCodeAt(p);
    if (c !== 104 && c !== 72) continue; // h H
    if (!isSpace(text.charCodeAt(p - 1))) continue;
    if ((text.charCodeAt(p + 1) | 32) === 116 && (text.charCodeAt(p + 2) | 32) === 116 && (text.charCodeAt(p + 3) | 32) === 112 && text.charCodeAt(p + 4) === 47) return p;
  }
  return -1;
}

/** Splits a request-line piece `[start, end)` into the URL part and an `HTTP/x` suffix. */
function splitVersion(text: string, start: number, end: number): { urlEnd: number; version?: string } {
  const v = versionIndex(text, start, end);
  if (v === -1) return { urlEnd: end };
  let urlEnd = v;
  while (urlEnd > start && isSpace(text.charCodeAt(urlEnd - 1))) urlEnd--;
  return { urlEnd, version: text.slice(v, end).trim() };
}

export function parseBlock(st: DocumentState, info: BlockInfo): void {
  const { lines } = st;
  const { first, last } = info;
  const entries: MetadataEntry[] = [];
  let scripts: ScriptBlock[] | undefined;
  let commentTitle: string | undefined;
  let requestLine = -1;

  // ── before the request line
  for (let i = first; i <= last; i++) {
    const text = lines[i];
    if (isBlank(text)) continue;
    if (isComment(text)) {
      if (st.requestLines) continue; // index mode: comments never decide where the request line is
      noteComment(st, i);
      const entry = parseMetadataLine(text, i);
      if (entry) entries.push(entry);
      else if (commentTitle === undefined && !isIndentedDelimiter(text)) {
        const t = commentText(text);
        if (t !== '') commentTitle = t;
      }
      continue;
    }
    if (addVariable(st, text, i)) continue;
    if (text.charCodeAt(0) === 60 /* < */ && text.length > 1 && (isSpace(text.charCodeAt(1)) || text.startsWith('<{%'))) {
      i = readJetBrainsScript(st, i, last, 'pre-request', (scripts ??= []));
      continue;
    }
    if (isHttpyacScriptOpen(text)) {
      i = readHttpyacScript(st, i, last, 'pre-request', (scripts ??= []));
      continue;
    }
    if (isResponseStatusLine(text)) {
      // A pasted response: no request (P28), but its variable lines still count (SPEC §3.2).
      for (let j = i + 1; j <= last; j++) addVariable(st, lines[j], j);
      return;
    }
    requestLine = i;
    break;
  }
  if (requestLine === -1) return;
  if (st.requestLines) {
    st.requestLines.push({ requestLineRange: contentRange(lines, requestLine) });
    return;
  }

  const metadata = buildMetadata(entries);
  const template: RequestTemplate = {
    index: st.requests.length,
    method: 'GET',
    url: '',
    urlLines: NONE,
    headers: NONE,
    metadata,
    range: info.range,
    requestLineRange: contentRange(lines, requestLine),
    applyDefaultHeaders: true,
    scripts: scripts === undefined ? NONE : kept(scripts),
    responseRefs: NONE,
    assertions: NONE,
  };
  const name = metadata.name ?? info.title;
  if (name !== undefined) template.name = name;
  const title = info.title ?? commentTitle;
  if (title !== undefined) template.title = title;
  if (info.delimiterRange) template.delimiterRange = info.delimiterRange;
  // Only explicit `# @name`s are checked: repeated ### titles ("### Create") are common and harmless.
  if (metadata.name !== undefined) {
    if (st.names.has(metadata.name)) {
      const entry = [...entries].reverse().find((e) => e.key === 'name');
      problem(st, entry?.range ?? template.requestLineRange, 'warning', 'duplicate-name',
        `Another request above is already named "${metadata.name}"; {{${metadata.name}.response…}} uses the most recent response of either.`);
    }
    st.names.add(metadata.name);
  }

  let next: number;
  if (isCurlLine(lines[requestLine])) next = parseCurl(st, template, requestLine, last);
  else next = parseHttp(st, template, requestLine, last);
  if (next <= last) parseSections(st, template, next, last);
  st.requests.push(template);
}

/** The `# @…` lines above the request line → typed metadata plus every entry as written. */
function buildMetadata(entries: MetadataEntry[]): RequestMetadata {
  const md: RequestMetadata = { prompts: NONE, entries: kept(entries) };
  let prompts: PromptDeclaration[] | undefined;
  for (const e of entries) {
    switch (e.key) {
      case 'name':
        if (e.value !== undefined) md.name = e.value;
        break;
      case 'note':
        md.note = e.value ?? '';
        break;
      case 'no-redirect':
      case 'noredirect':
        md.noRedirect = true;
        break;
      case 'no-cookie-jar':
      case 'nocookiejar':
        md.noCookieJar = true;
        break;
      case 'store':
        if (e.value !== undefined) md.store = e.value;
        break;
      case 'prompt': {
        if (e.value === undefined) break;
        const v = e.value;
        let k = 0;
        while (k < v.length && !isSpace(v.charCodeAt(k))) k++;
        const description = v.slice(k).trim();
        (prompts ??= []).push(description === '' ? { name: v.slice(0, k), range: e.range } : { name: v.slice(0, k), description, range: e.range });
        break;
      }
      case 'prompts':
      case 'entries':
        break; // would clobber the typed fields
      default:
        md[e.key] = e.value ?? true;
    }
  }
  if (prompts !== undefined) md.prompts = kept(prompts);
  return md;
}

/** Comment lines after the request line: dropped; metadata there has no effect (P4). */
function commentAfterRequestLine(st: DocumentState, line: number): void {
  noteComment(st, line);
  const entry = parseMetadataLine(st.lines[line], line);
  if (entry) {
    problem(st, entry.range, 'warning', 'metadata-after-request-line',
      `@${entry.key} has no effect after the request line; move it above the line with the URL.`);
  }
}

/** The request line, continuation lines, headers and body. Returns the line where response sections start (or last+1). */
function parseHttp(st: DocumentState, t: RequestTemplate, requestLine: number, last: number): number {
  const { lines } = st;
  const text = lines[requestLine];
  const start = firstNonSpace(text);
  const end = lastNonSpace(text) + 1;
  let urlStart = start;
  const tok = leadingToken(text, start);
  if (tok) {
    const upper = tok.token.toUpperCase();
    if (KNOWN_METHODS.has(upper)) {
      t.method = upper;
      urlStart = tok.rest;
      if (tok.rest >= end) {
        problem(st, t.requestLineRange, 'error', 'missing-url', `${upper} needs a URL after it, e.g. ${upper} https://example.com/`);
      }
    } else if (tok.token === upper && tok.token.length >= 2 && tok.rest < end && looksLikeTarget(text, tok.rest)) {
      // PURGE https://x: REST Client would send GET "PURGE https://x" (P26); we send the method as written.
      t.method = tok.token;
      urlStart = tok.rest;
      problem(st, range(requestLine, start, requestLine, start + tok.token.length), 'info', 'unknown-method',
        `${tok.token} is not a method REST Client knows; it would send GET "${text.slice(start, end)}". This extension sends ${tok.token}.`);
    }
  }
  const first = splitVersion(text, urlStart, end);
  let versionLine = -1;
  if (first.version !== undefined) {
    t.httpVersion = first.version;
    versionLine = requestLine;
  }
  const urlLines: TextLine[] = [];
  if (first.urlEnd > urlStart) {
    // The URL usually ends where the request line does: the two ranges then share that position.
    const urlEnd = first.urlEnd === end ? t.requestLineRange.end : { line: requestLine, character: first.urlEnd };
    urlLines.push({ text: text.slice(urlStart, first.urlEnd), range: { start: { line: requestLine, character: urlStart }, end: urlEnd } });
  }

  // ── continuation lines: `?a=1`, `&b=2` (REST Client), indented `/path` (JetBrains, §9)
  let j = requestLine + 1;
  let versionWarned = false;
  for (; j <= last; j++) {
    const line = lines[j];
    if (isComment(line)) {
      commentAfterRequestLine(st, j);
      continue;
    }
    const s = firstNonSpace(line);
    if (s === -1) break;
    const c = line.charCodeAt(s);
    if (c !== 63 /* ? */ && c !== 38 /* & */ && c !== 47 /* / */) break;
    // `?? status == 200` right under the request line is an assertion (httpYac), not a query line.
    if (s === 0 && sectionKind(line) === 'assert') break;
    if (versionLine !== -1 && !versionWarned) {
      versionWarned = true;
      problem(st, contentRange(lines, versionLine), 'warning', 'http-version-position',
        `Put ${t.httpVersion} at the end of the last query line; REST Client drops the query lines that follow it.`);
    }
    const e = lastNonSpace(line) + 1;
    const piece = splitVersion(line, s, e);
    if (piece.version !== undefined) {
      t.httpVersion = piece.version;
      versionLine = j;
      versionWarned = false;
    }
    urlLines.push({ text: line.slice(s, piece.urlEnd), range: range(j, s, j, piece.urlEnd) });
  }
  t.urlLines = kept(urlLines);
  t.url = urlLines.length === 1 ? urlLines[0].text : urlLines.map((p) => p.text).join('');

  // ── headers, up to the first blank line
  const headers: HeaderLine[] = [];
  let bodyStart = last + 1;
  let sectionAtHeaders = -1;
  for (; j <= last; j++) {
    const line = lines[j];
    if (isBlank(line)) {
      bodyStart = j + 1;
      break;
    }
    if (isComment(line)) {
      commentAfterRequestLine(st, j);
      continue;
    }
    if (sectionKind(line) !== undefined) {
      sectionAtHeaders = j;
      break;
    }
    if (addVariable(st, line, j)) {
      problem(st, contentRange(lines, j), 'warning', 'variable-in-request',
        'A variable defined after the request line is not a header; REST Client would send it as one. Move it above the request line.');
      continue;
    }
    if (looksLikeRequestLine(line)) {
      problem(st, contentRange(lines, j), 'warning', 'request-line-in-headers',
        'This looks like the start of another request, but it is read as a header of the one above. Put ### on the line before it.');
    }
    headers.push(parseHeaderLine(st, line, j));
  }
  t.headers = kept(headers);
  if (sectionAtHeaders !== -1) return sectionAtHeaders;
  if (bodyStart > last) return last + 1;

  // ── body: everything after the blank line, comments removed, trailing blanks trimmed.
  // A text line is kept as its line number until the body's kind is known: a text body whose lines
  // are consecutive in the document keeps no object per line at all (textBodyLines makes them when
  // asked); only other bodies get a TextLine or BodyLine per line.
  const items: (number | FileReference)[] = [];
  let hasFile = false;
  let sectionAt = last + 1;
  for (let k = bodyStart; k <= last; k++) {
    const line = lines[k];
    if (onlyText(line)) {
      items.push(k);
      continue;
    }
    if (isComment(line)) {
      noteComment(st, k);
      continue;
    }
    if (sectionKind(line) !== undefined) {
      sectionAt = k;
      break;
    }
    if (addVariable(st, line, k)) {
      problem(st, contentRange(lines, k), 'warning', 'variable-in-request',
        'This variable definition is inside the body: it is defined for the whole file and also sent as body text (REST Client does the same).');
    } else if (looksLikeRequestLine(line)) {
      problem(st, contentRange(lines, k), 'warning', 'request-line-in-body',
        'This looks like the start of another request, but it is sent as part of the body above. Put ### on the line before it.');
    }
    const file = line.charCodeAt(0) === 60 /* < */ ? parseFileReference(line, k) : undefined;
    if (file) {
      hasFile = true;
      items.push(file);
    } else items.push(k);
  }
  while (items.length > 0) {
    const l = items[items.length - 1];
    if (typeof l === 'number' && isBlank(lines[l])) items.pop();
    else break;
  }
  if (items.length === 0) return sectionAt;
  if (!hasFile && !isGraphQL(t.method, t.headers) && !isMultipart(t.headers)) {
    t.body = textBody(st, items as number[]);
    return sectionAt;
  }
  const general: BodyLine[] = items.map((l) => (typeof l === 'number' ? { kind: 'text', text: lines[l], range: range(l, 0, l, lines[l].length) } : l));
  const body = buildBody(general, t.method, t.headers, st.problems);
  if (body) t.body = body;
  return sectionAt;
}

/**
 * A text body from its lines' numbers. Lines first..last with none left out (no comment line
 * removed) are the body's whole range: the text is one slice of the document when they are
 * separated by LF alone, a join otherwise, and no `lines` are kept (textBodyLines makes them).
 * Otherwise each line is kept as a TextLine, as the text does not say where its lines are.
 */
function textBody(st: DocumentState, lineNumbers: readonly number[]): Body {
  const { lines, source, lineStarts } = st;
  const first = lineNumbers[0];
  const last = lineNumbers[lineNumbers.length - 1];
  const r = range(first, 0, last, lines[last].length);
  if (last - first + 1 === lineNumbers.length) {
    if (source !== undefined && lineStarts !== undefined) {
      // LF alone between the lines when the slice is as long as the lines plus one LF each.
      const from = lineStarts[first];
      const to = lineStarts[last] + lines[last].length;
      let length = -1;
      for (let n = first; n <= last; n++) length += lines[n].length + 1;
      if (to - from === length) return { kind: 'text', text: source.slice(from, to), range: r };
    }
    return { kind: 'text', text: lines.slice(first, last + 1).join('\n'), range: r };
  }
  const textLines: TextLine[] = lineNumbers.map((n) => ({ text: lines[n], range: range(n, 0, n, lines[n].length) }));
  return { kind: 'text', text: textLines.map((l) => l.text).join('\n'), lines: textLines, range: { start: textLines[0].range.start, end: textLines[textLines.length - 1].range.end } };
}

/**
 * A body line that can be nothing but text: blank, or starting (after indentation) with a character
 * no comment, section, variable, file reference or request line starts with. Most JSON lines are
 * these, and they skip the tests below.
 */
function onlyText(line: string): boolean {
  const s = firstNonSpace(line);
  if (s === -1) return true;
  const c = line.charCodeAt(s);
  if (c === 34 /* " */ || c === 125 /* } */ || c === 93 /* ] */ || c === 91 /* [ */ || (c >= 48 && c <= 57) /* 0-9 */) return true;
  // `{`: only `{{` at column 0 can open an httpYac script.
  return c === 123 && (s > 0 || line.charCodeAt(1) !== 123);
}

function parseHeaderLine(st: DocumentState, line: string, j: number): HeaderLine {
  const s = firstNonSpace(line);
  const e = lastNonSpace(line) + 1;
  const colon = line.indexOf(':', s);
  if (colon === -1 || colon >= e) {
    const c = line.charCodeAt(s);
    const bodyLike = c === 123 || c === 91 || c === 60 || c === 34; // { [ < "
    problem(st, range(j, s, j, e), 'warning', bodyLike ? 'missing-blank-line' : 'header-without-colon',
      bodyLike
        ? 'This line is read as a header because there is no blank line between the headers and the body. Add an empty line above the body.'
        : 'A header line needs a colon (Name: value); this one is sent as a header with an empty value.');
    const r = range(j, s, j, e);
    return { name: line.slice(s, e), value: '', range: r, nameRange: r, valueRange: range(j, e, j, e) };
  }
  let ne = colon;
  while (ne > s && isSpace(line.charCodeAt(ne - 1))) ne--;
  let vs = colon + 1;
  while (vs < e && isSpace(line.charCodeAt(vs))) vs++;
  const name = line.slice(s, ne);
  const c = line.charCodeAt(s);
  if (c === 123 || c === 91 || c === 34) {
    problem(st, range(j, s, j, e), 'warning', 'missing-blank-line',
      'This line is read as a header because there is no blank line between the headers and the body. Add an empty line above the body.');
  }
  // The three ranges share their positions where they meet (no consumer changes a position).
  const start: Position = { line: j, character: s };
  const end: Position = { line: j, character: e };
  return { name, value: line.slice(vs, e), range: { start, end }, nameRange: { start, end: { line: j, character: ne } }, valueRange: { start: { line: j, character: vs }, end } };
}

/** A `curl …` block (SPEC §2.12). Returns the line where response sections start (or last+1). */
function parseCurl(st: DocumentState, t: RequestTemplate, requestLine: number, last: number): number {
  const { lines } = st;
  const cmdLines: string[] = [];
  const cmdLineNumbers: number[] = [];
  let sectionAt = last + 1;
  for (let j = requestLine; j <= last; j++) {
    const line = lines[j];
    if (isComment(line)) {
      noteComment(st, j);
      continue;
    }
    if (sectionKind(line) !== undefined) {
      sectionAt = j;
      break;
    }
    if (j > requestLine && addVariable(st, line, j)) continue;
    cmdLines.push(line);
    cmdLineNumbers.push(j);
  }
  const tokens = tokenizeCurl(cmdLines, cmdLineNumbers, st.problems);
  const conv = convertCurl(tokens, t.requestLineRange);
  st.problems.push(...conv.problems);
  t.curl = true;
  t.method = conv.method;
  t.url = conv.url;
  t.urlLines = conv.url === '' ? NONE : [{ text: conv.url, range: conv.urlRange }];
  t.headers = kept(conv.headers);
  if (conv.body) t.body = conv.body;
  t.applyDefaultHeaders = conv.hasHeaderOption;
  return sectionAt;
}

/** Response handlers, redirects, response references and assertions after the body: kept (handlers run only when the workspace is trusted, SPEC §10.4). */
function parseSections(st: DocumentState, t: RequestTemplate, from: number, last: number): void {
  const { lines } = st;
  // Made when the first entry is met; the request's shared empty lists are never changed.
  let scripts: ScriptBlock[] | undefined;
  let responseRefs: { path: string; range: Range }[] | undefined;
  let assertions: TextLine[] | undefined;
  let strayStart = -1;
  let strayEnd = -1;
  const flushStray = () => {
    if (strayStart !== -1) {
      problem(st, range(strayStart, 0, strayEnd, lines[strayEnd].length), 'warning', 'text-after-response-handler',
        'Text after a response handler, redirect or reference is ignored. Move it into the body, or start a new request with ###.');
    }
    strayStart = -1;
  };
  for (let k = from; k <= last; k++) {
    const line = lines[k];
    if (isBlank(line)) continue;
    if (isComment(line)) {
      noteComment(st, k);
      continue;
    }
    const kind = sectionKind(line);
    if (kind === undefined) {
      if (addVariable(st, line, k)) continue;
      if (strayStart === -1) strayStart = k;
      strayEnd = k;
      continue;
    }
    flushStray();
    switch (kind) {
      case 'handler':
      case 'handler-file':
        k = readJetBrainsScript(st, k, last, 'response', (scripts ??= [...t.scripts]));
        break;
      case 'httpyac-script':
        k = readHttpyacScript(st, k, last, 'response', (scripts ??= [...t.scripts]));
        break;
      case 'redirect': {
        const overwrite = line.startsWith('>>!');
        const path = line.slice(overwrite ? 3 : 2).trim();
        t.outputRedirect = { path, overwrite, range: contentRange(lines, k) };
        break;
      }
      case 'ref':
        (responseRefs ??= []).push({ path: line.slice(2).trim(), range: contentRange(lines, k) });
        break;
      case 'assert': {
        const r = contentRange(lines, k);
        const textLine: TextLine = { text: line.slice(2).trim(), range: r };
        (assertions ??= []).push(textLine);
        // Read now so a mistake shows as you type (SPEC §10.1), not only when the request runs.
        const parsed = parseAssertion(textLine);
        if (!isAssertion(parsed)) problem(st, parsed.range, 'error', 'invalid-assertion', parsed.message);
        break;
      }
    }
  }
  flushStray();
  if (scripts !== undefined) t.scripts = kept(scripts);
  if (responseRefs !== undefined) t.responseRefs = kept(responseRefs);
  if (assertions !== undefined) t.assertions = kept(assertions);
}
