// Turns the body lines of a request (comments removed, trailing blanks trimmed) into a Body:
// GraphQL (SPEC §2.9), multipart (§2.8), a single `< file` (§2.6), mixed inline/file, or text.

import { range } from './lines';
import type { Body, BodyLine, HeaderLine, MultipartPart, Problem, Range, TextLine } from './types';

export function headerValue(headers: readonly HeaderLine[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const h of headers) if (h.name.toLowerCase() === lower) return h.value;
  return undefined;
}

/** `X-Request-Type: GraphQL`, value compared case-insensitively (SPEC §2.9, P20), or the GRAPHQL method (§9). */
export function isGraphQL(method: string, headers: readonly HeaderLine[]): boolean {
  if (method === 'GRAPHQL') return true;
  const v = headerValue(headers, 'x-request-type');
  return v !== undefined && v.trim().toLowerCase() === 'graphql';
}

const MULTIPART = /^\s*multipart\//i;

/** Whether the request's Content-Type is multipart/… (buildBody then splits the body into parts). */
export function isMultipart(headers: readonly HeaderLine[]): boolean {
  return MULTIPART.test(headerValue(headers, 'content-type') ?? '');
}

/** A text body's lines with their document ranges (kept, or made from the text when the body left them out). */
export function textBodyLines(body: { text: string; lines?: TextLine[]; range: Range }): TextLine[] {
  if (body.lines) return body.lines;
  const out: TextLine[] = [];
  const { text } = body;
  let line = body.range.start.line;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    out.push({ text: text.slice(start, end), range: range(line, 0, line, end - start) });
    if (nl === -1) return out;
    start = nl + 1;
    line++;
  }
}

export function buildBody(lines: BodyLine[], method: string, headers: readonly HeaderLine[], problems: Problem[]): Body | undefined {
  if (lines.length === 0) return undefined;
  const range: Range = { start: lines[0].range.start, end: lines[lines.length - 1].range.end };
  if (isGraphQL(method, headers)) return graphqlBody(lines, range);
  const contentType = headerValue(headers, 'content-type') ?? '';
  if (MULTIPART.test(contentType)) return multipartBody(lines, contentType, range, headers, problems);
  const files = lines.filter((l) => l.kind === 'file');
  if (files.length === 0) {
    const textLines = lines as TextLine[];
    return { kind: 'text', text: textLines.map((l) => l.text).join('\n'), lines: textLines.map((l) => ({ text: l.text, range: l.range })), range };
  }
  if (lines.length === 1 && lines[0].kind === 'file') {
    const f = lines[0];
    const body: Body = { kind: 'file', path: f.path, processVariables: f.processVariables, range: f.range };
    if (f.encoding !== undefined) body.encoding = f.encoding;
    return body;
  }
  return { kind: 'mixed', lines, range };
}

/** Query up to the first blank line, variables after it (REST Client splits at the first blank line). */
function graphqlBody(lines: BodyLine[], range: Range): Body {
  const asText = lines.map((l): TextLine => (l.kind === 'text' ? { text: l.text, range: l.range } : { text: lineOf(l), range: l.range }));
  let i = 0;
  while (i < asText.length && asText[i].text.trim() === '') i++;
  const queryLines: TextLine[] = [];
  for (; i < asText.length && asText[i].text.trim() !== ''; i++) queryLines.push(asText[i]);
  const variablesLines = asText.slice(i);
  while (variablesLines.length > 0 && variablesLines[0].text.trim() === '') variablesLines.shift();
  const query = queryLines.map((l) => l.text).join('\n');
  const body: Body = { kind: 'graphql', query, queryLines, variablesLines, range };
  if (variablesLines.length > 0) body.variables = variablesLines.map((l) => l.text).join('\n');
  const op = graphqlOperationName(query);
  if (op !== undefined) body.operationName = op;
  return body;
}

/** REST Client derives operationName only from `query Name` (SPEC §2.9, C20). */
export function graphqlOperationName(query: string): string | undefined {
  const m = /^\s*query\s+([^@{(\s]+)/i.exec(query);
  return m ? m[1] : undefined;
}

function lineOf(f: BodyLine): string {
  if (f.kind === 'text') return f.text;
  return `<${f.processVariables ? '@' + (f.encoding ?? '') : ''} ${f.path}`;
}

export function multipartBoundary(contentType: string): string | undefined {
  const m = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  if (!m) return undefined;
  return m[1] ?? m[2];
}

function multipartBody(lines: BodyLine[], contentType: string, range: Range, headers: readonly HeaderLine[], problems: Problem[]): Body {
  const boundary = multipartBoundary(contentType);
  const parts: MultipartPart[] = [];
  if (boundary === undefined) {
    const ct = headers.find((h) => h.name.toLowerCase() === 'content-type');
    problems.push({
      range: ct?.range ?? range,
      message: 'This multipart Content-Type has no boundary= parameter, so the parts cannot be told apart.',
      severity: 'warning',
      code: 'multipart-no-boundary',
    });
    return { kind: 'multipart', parts, lines, range };
  }
  const open = `--${boundary}`;
  const close = `--${boundary}--`;
  let current: { part: MultipartPart; inHeaders: boolean } | undefined;
  let closed = false;
  const finish = () => {
    if (current) {
      const p = current.part;
      const last = p.lines.length > 0 ? p.lines[p.lines.length - 1].range.end : p.headers.length > 0 ? p.headers[p.headers.length - 1].range.end : p.range.start;
      p.range = { start: p.range.start, end: last };
      parts.push(p);
    }
    current = undefined;
  };
  for (const line of lines) {
    const t = line.kind === 'text' ? line.text.trim() : undefined;
    if (t === close) {
      finish();
      closed = true;
      break;
    }
    if (t === open) {
      finish();
      current = { part: { headers: [], lines: [], range: { start: line.range.start, end: line.range.end } }, inHeaders: true };
      continue;
    }
    if (!current) continue; // preamble
    if (current.inHeaders && line.kind === 'text') {
      if (t === '') {
        current.inHeaders = false;
        continue;
      }
      const colon = line.text.indexOf(':');
      const name = (colon === -1 ? line.text : line.text.slice(0, colon)).trim();
      const value = colon === -1 ? '' : line.text.slice(colon + 1).trim();
      current.part.headers.push({ name, value, range: line.range, nameRange: line.range, valueRange: line.range });
      if (name.toLowerCase() === 'content-disposition') {
        const n = dispositionParam(value, 'name');
        const f = dispositionParam(value, 'filename');
        if (n !== undefined) current.part.name = n;
        if (f !== undefined) current.part.filename = f;
      }
      continue;
    }
    current.inHeaders = false;
    current.part.lines.push(line);
  }
  if (!closed) {
    finish();
    problems.push({
      range: lines[lines.length - 1].range,
      message: `The multipart body never ends with its closing line ${close}.`,
      severity: 'warning',
      code: 'multipart-unterminated',
    });
  }
  return { kind: 'multipart', boundary, parts, lines, range };
}

function dispositionParam(value: string, param: string): string | undefined {
  const re = param === 'name' ? /(?:^|;)\s*name\s*=\s*(?:"([^"]*)"|([^;\s]*))/i : /(?:^|;)\s*filename\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;
  const m = re.exec(value);
  if (!m) return undefined;
  return m[1] ?? m[2];
}
