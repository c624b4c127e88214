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

import { delimiterTitle, isDelimiter, range, spanRange, splitLines } from './lines';
import { parseBlock, type DocumentState } from './request-block';
import type { ParsedDocument, Range, RequestTemplate } from './types';

const EMPTY_RANGE = range(0, 0, 0, 0);

export interface ParseOptions {
  languageId?: 'http' | 'markdown';
}

export function parseHttpDocument(text: string, options: ParseOptions = {}): ParsedDocument {
  const languageId = options.languageId ?? 'http';
  const lines = splitLines(typeof text === 'string' ? text : '');
  const st: DocumentState = { lines, requests: [], fileVariables: [], problems: [], names: new Set() };
  if (languageId === 'markdown') parseMarkdown(st);
  else parseHttp(st);
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
  const lines = splitLines(typeof text === 'string' ? text : '');
  const st: DocumentState = { lines, requests: [], fileVariables: [], problems: [], names: new Set(), requestLines: [] };
  if ((options.languageId ?? 'http') === 'markdown') parseMarkdown(st);
  else parseHttp(st);
  return st.requestLines!;
}

function parseHttp(st: DocumentState): void {
  const { lines } = st;
  let blockStart = 0;
  let title: string | undefined;
  let delimiterLine = -1;
  const flush = (end: number) => {
    if (end >= blockStart) {
      const info = {
        first: blockStart,
        last: end,
        // Index mode records request lines only: no block range needed.
        range: st.requestLines ? EMPTY_RANGE : spanRange(blockStart, end, lines),
        ...(title !== undefined ? { title } : {}),
        ...(delimiterLine !== -1 ? { delimiterRange: range(delimiterLine, 0, delimiterLine, lines[delimiterLine].length) } : {}),
      };
      parseBlock(st, info);
    }
  };
  for (let i = 0; i < lines.length; i++) {
    if (!isDelimiter(lines[i])) continue;
    flush(i - 1);
    blockStart = i + 1;
    title = delimiterTitle(lines[i]);
    delimiterLine = i;
  }
  flush(lines.length - 1);
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
