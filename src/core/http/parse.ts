// `.http` / `.rest` documents (and ```http fences in Markdown) → request templates with exact
// ranges. Pure and total: any text parses, problems are reported as Problem entries, never thrown.
// Blocks are cut at `###` lines (SPEC §1.2, REST Client's rule; the text after ### names the request
// as in JetBrains); each block is parsed by request-block.ts.
//
// Where the tools disagree (SPEC §9), and where we part from REST Client on purpose:
//  - indented `/path` lines continue the URL (JetBrains); `HTTP/1.1` on the first of several query
//    lines is kept with a warning instead of losing the query (P8);
//  - a `# @name = x` / `# @name=x` names the request x; without @name the `###` title is the name;
//  - the blank line before the body is required (REST Client), with a diagnostic when missing;
//    extra leading blank lines of the body are kept (REST Client; §9 says nothing);
//  - comment lines are removed from bodies (REST Client); JetBrains `> {% %}`, `>>`, `<>` and
//    httpYac `??` / `{{ }}` sections after the body are recognised first (P35), kept and not run;
//  - an unknown upper-case method (`PURGE https://…`) is kept as the method (REST Client sends GET
//    with the whole line as URL, P26), with an info diagnostic;
//  - cURL: quoted whitespace is preserved (REST Client collapses it, P27).

import { delimiterTitle, firstNonSpace, lastNonSpace, lineEnd, isBlank, isComment, isResponseStatusLine, isSpace, parseVariableDefinition, range, spanRange, splitLines } from './lines';
import { isHttpyacScriptOpen, parseBlock, type BlockInfo, type DocumentState } from './request-block';
import type { ParsedDocument, Range, RequestTemplate } from './types';

const EMPTY_RANGE = range(0, 0, 0, 0);

export interface ParseOptions {
  languageId?: 'http' | 'markdown';
}

export function parseHttpDocument(text: string, options: ParseOptions = {}): ParsedDocument {
  const languageId = options.languageId ?? 'http';
  const source = typeof text === 'string' ? text : '';
  const lineStarts: number[] = [];
  // Markdown needs every line to find its fences; a `.http` file cuts out the lines of one block at a time.
  const lines = languageId === 'markdown' ? splitLines(source, lineStarts) : blankLines(source, lineStarts);
  const st: DocumentState = { lines, requests: [], fileVariables: [], problems: [], names: new Set(), source, lineStarts };
  if (languageId === 'markdown') parseMarkdown(st);
  else parseHttp(st, lines);
  const doc: ParsedDocument = { languageId, requests: st.requests, fileVariables: st.fileVariables, problems: st.problems, lineCount: lines.length };
  if (st.fileStore !== undefined) doc.fileStore = st.fileStore;
  return doc;
}

/**
 * Where the requests are, without parsing them: the request line of each block, found by the same
 * code as parseHttpDocument (the block cutting and the before-the-request-line phase), so the two
 * always agree. Several times faster: code lenses of a large file need only this.
 */
export function indexHttpDocument(text: string, options: ParseOptions = {}): { requestLineRange: Range }[] {
  if (typeof text !== 'string') text = '';
  if ((options.languageId ?? 'http') !== 'markdown') return indexHttp(text);
  const lines = splitLines(text);
  const st: DocumentState = { lines, requests: [], fileVariables: [], problems: [], names: new Set(), requestLines: [] };
  parseMarkdown(st);
  return st.requestLines!;
}

/**
 * The index of a `.http` file without splitting it into lines: blocks are found with
 * indexOf('\n###'), and only the lines before each block's request line are cut out and read, by
 * the same line tests parseBlock's first phase uses. The lines after the request line are skipped
 * by counting line breaks. A block whose first phase meets a script (`< {% … %}`, `{{`) is handed to
 * parseBlock itself, so the rare multi-line cases keep one implementation.
 */
function indexHttp(text: string): { requestLineRange: Range }[] {
  const out: { requestLineRange: Range }[] = [];
  const len = text.length;
  let pos = 0; // start of the current line
  let line = 0; // its number
  for (;;) {
    // A `###` line where a block would start: a delimiter with an empty block before it.
    if (text.charCodeAt(pos) === 35 && text.charCodeAt(pos + 1) === 35 && text.charCodeAt(pos + 2) === 35) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) return out;
      pos = nl + 1;
      line++;
      continue;
    }
    const d = text.indexOf('\n###', pos);
    const blockEnd = d === -1 ? len : d; // the line break ending the block's last line (or the end)
    // First phase: up to the request line, one line cut out at a time.
    const first = line;
    let p = pos;
    for (;;) {
      let nl = text.indexOf('\n', p);
      if (nl === -1 || nl > blockEnd) nl = len;
      const t = text.slice(p, lineEnd(text, p, nl));
      const kind = beforeRequestLine(t);
      if (kind === 'request') {
        out.push({ requestLineRange: lineContentRange(t, line) });
        break;
      }
      if (kind === 'script') {
        // Rare: parseBlock reads this block, from a sparse array holding only its lines.
        const blockLines: string[] = [];
        let q = pos;
        let k = first;
        for (;;) {
          let e = text.indexOf('\n', q);
          if (e === -1 || e > blockEnd) e = len;
          blockLines[k] = text.slice(q, lineEnd(text, q, e));
          if (e >= blockEnd) break;
          q = e + 1;
          k++;
        }
        const st: DocumentState = { lines: blockLines, requests: [], fileVariables: [], problems: [], names: new Set(), requestLines: out };
        parseBlock(st, { first, last: k, range: EMPTY_RANGE });
        line = k;
        p = blockEnd;
        break;
      }
      if (kind === 'no-request' || nl >= blockEnd) break;
      p = nl + 1;
      line++;
    }
    // Skip the rest of the block, counting its line breaks.
    for (let nl = text.indexOf('\n', p); nl !== -1 && nl < blockEnd; nl = text.indexOf('\n', nl + 1)) line++;
    if (d === -1) return out;
    pos = d + 1; // the delimiter line
    line++;
  }
}

/** contentRange for one line's text. */
function lineContentRange(text: string, line: number): Range {
  const first = firstNonSpace(text);
  return first === -1 ? range(line, 0, line, text.length) : range(line, first, line, lastNonSpace(text) + 1);
}

/** parseBlock's first phase in index mode, for one line: what it makes of the line. */
function beforeRequestLine(text: string): 'skip' | 'script' | 'no-request' | 'request' {
  if (isBlank(text) || isComment(text) || parseVariableDefinition(text) !== undefined) return 'skip';
  if (text.charCodeAt(0) === 60 /* < */ && text.length > 1 && (isSpace(text.charCodeAt(1)) || text.startsWith('<{%'))) return 'script';
  if (isHttpyacScriptOpen(text)) return 'script';
  if (isResponseStatusLine(text)) return 'no-request';
  return 'request';
}

/**
 * One '' per line of `text` (what splitLines would return, before any line is cut out), with where
 * each line starts pushed onto `starts`.
 */
function blankLines(text: string, starts: number[]): string[] {
  let start = 0;
  for (;;) {
    starts.push(start);
    const nl = text.indexOf('\n', start);
    if (nl === -1) return new Array<string>(starts.length).fill('');
    start = nl + 1;
  }
}

/**
 * A `.http` file, block by block. The lines of a block are cut out of the text into `lines` just
 * before the block is parsed and dropped after it, so a large file never holds all its lines as
 * strings at once: those strings die young, and the garbage collector does not copy them along
 * with the parse result (fewer than half of a file's lines end up in the result). splitLines' rule
 * applies (lineEnd).
 */
function parseHttp(st: DocumentState, lines: string[]): void {
  const source = st.source!;
  const starts = st.lineStarts!;
  const count = lines.length;
  const lineText = (i: number): string => {
    const s = starts[i];
    return source.slice(s, lineEnd(source, s, i + 1 === count ? source.length : starts[i + 1] - 1));
  };
  let blockStart = 0;
  let title: string | undefined;
  let delimiterRange: Range | undefined;
  const flush = (end: number) => {
    if (end < blockStart) return;
    for (let k = blockStart; k <= end; k++) lines[k] = lineText(k);
    // Index mode records request lines only: no block range needed.
    const info: BlockInfo = { first: blockStart, last: end, range: st.requestLines ? EMPTY_RANGE : spanRange(blockStart, end, lines) };
    if (title !== undefined) info.title = title;
    if (delimiterRange !== undefined) info.delimiterRange = delimiterRange;
    parseBlock(st, info);
    for (let k = blockStart; k <= end; k++) lines[k] = '';
  };
  for (let i = 0; i < count; i++) {
    // isDelimiter, read in the text: `###` at column 0.
    const s = starts[i];
    if (source.charCodeAt(s) !== 35 || source.charCodeAt(s + 1) !== 35 || source.charCodeAt(s + 2) !== 35) continue;
    flush(i - 1);
    const delimiter = lineText(i);
    blockStart = i + 1;
    title = delimiterTitle(delimiter);
    delimiterRange = range(i, 0, i, delimiter.length);
  }
  flush(count - 1);
}

/** Fences whose opening line is exactly ```http or ```rest, closed by a line that is exactly ``` (SPEC §1.6, P30). */
function parseMarkdown(st: DocumentState): void {
  const { lines } = st;
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i];
    if (open !== '```http' && open !== '```rest') continue;
    let close = -1;
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j] === '```') {
        close = j;
        break;
      }
    }
    if (close === -1) {
      st.problems.push({
        range: range(i, 0, i, open.length),
        severity: 'warning',
        code: 'unterminated-fence',
        message: 'This ```http block is never closed with a ``` line, so it is not a request.',
      });
      return;
    }
    parseBlock(st, { first: i + 1, last: close - 1, range: spanRange(i, close, lines) });
    i = close;
  }
}

/**
 * The request the editor's line belongs to, REST Client's selector (SPEC §2.1): the block around the
 * line; nothing on a `###` line or in a block without a request; in Markdown, the fence around it.
 */
export function requestAt(doc: ParsedDocument, line: number): RequestTemplate | undefined {
  const reqs = doc.requests;
  let lo = 0;
  let hi = reqs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = reqs[mid].range;
    if (line < r.start.line) hi = mid - 1;
    else if (line > r.end.line) lo = mid + 1;
    else return reqs[mid];
  }
  return undefined;
}
