// `curl …` blocks (SPEC §2.12): the command is tokenised like a POSIX shell would (quotes,
// backslash-newline continuations) and the options REST Client understands are turned into a
// request. Deliberate differences from REST Client, which collapses every run of whitespace
// *before* parsing (P27): whitespace inside quotes is kept as written, and `curl.example.com/x`
// is not mistaken for a curl command (a curl block needs `curl` followed by whitespace).

import { encodeComponent } from './encode-url';
import { range } from './lines';
import type { Body, HeaderLine, Problem, Range } from './types';

export interface CurlToken {
  text: string;
  range: Range;
}

export interface CurlConversion {
  method: string;
  url: string;
  urlRange: Range;
  headers: HeaderLine[];
  body?: Body;
  /** Whether any `-H` / `--header` was present (default headers are added only then, P27). */
  hasHeaderOption: boolean;
  problems: Problem[];
}

/** `curl` followed by whitespace or the end of the line, after optional indentation. */
export function isCurlLine(text: string): boolean {
  const m = /^\s*curl(?=\s|$)/i.exec(text);
  return m !== null;
}

/**
 * Tokenises the command spread over `lines` (the block's lines from the curl line on, comment
 * lines already removed), `lineNumbers[i]` being the document line of `lines[i]`.
 */
export function tokenizeCurl(lines: readonly string[], lineNumbers: readonly number[], problems: Problem[]): CurlToken[] {
  const tokens: CurlToken[] = [];
  let li = 0;
  let ci = 0;
  const atEnd = () => li >= lines.length || (li === lines.length - 1 && ci >= lines[li].length);
  const ch = () => (ci < lines[li].length ? lines[li][ci] : '\n');
  const advance = () => {
    if (ci < lines[li].length) ci++;
    else {
      li++;
      ci = 0;
    }
  };
  const isWs = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

  while (!atEnd()) {
    // skip whitespace and backslash-newline continuations
    let c = ch();
    if (isWs(c)) {
      advance();
      continue;
    }
    if (c === '\\' && isBlankFrom(lines[li], ci + 1)) {
      li++;
      ci = 0;
      continue;
    }
    const startLine = li;
    const startChar = ci;
    let text = '';
    let endLine = li;
    let endChar = ci;
    while (!atEnd()) {
      c = ch();
      if (isWs(c)) break;
      if (c === "'") {
        const openLine = li;
        const openChar = ci;
        advance();
        let closed = false;
        while (!atEnd()) {
          const q = ch();
          advance();
          if (q === "'") {
            closed = true;
            break;
          }
          text += q;
        }
        if (!closed) problems.push(unterminated(lineNumbers[openLine], openChar, "'"));
      } else if (c === '"') {
        const openLine = li;
        const openChar = ci;
        advance();
        let closed = false;
        while (!atEnd()) {
          const q = ch();
          advance();
          if (q === '"') {
            closed = true;
            break;
          }
          if (q === '\\' && !atEnd()) {
            const n = ch();
            if (n === '\n') {
              advance();
              continue;
            }
            if (n === '"' || n === '\\' || n === '$' || n === '`') {
              text += n;
              advance();
              continue;
            }
          }
          text += q;
        }
        if (!closed) problems.push(unterminated(lineNumbers[openLine], openChar, '"'));
      } else if (c === '$' && ci + 1 < lines[li].length && lines[li][ci + 1] === "'") {
        // ANSI-C quoting: $'a\nb'
        advance();
        advance();
        while (!atEnd()) {
          const q = ch();
          advance();
          if (q === "'") break;
          if (q === '\\' && !atEnd()) {
            const n = ch();
            advance();
            text += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
            continue;
          }
          text += q;
        }
      } else if (c === '\\' && isBlankFrom(lines[li], ci + 1)) {
        li++;
        ci = 0;
      } else if (c === '\\') {
        advance();
        if (!atEnd()) {
          const n = ch();
          advance();
          if (n !== '\n') text += n;
        }
      } else {
        text += c;
        advance();
      }
      endLine = li;
      endChar = ci;
    }
    if (endLine >= lines.length) {
      endLine = lines.length - 1;
      endChar = lines[endLine].length;
    }
    tokens.push({ text, range: range(lineNumbers[startLine], startChar, lineNumbers[endLine], endChar) });
  }
  return tokens;
}

function isBlankFrom(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) if (text[i] !== ' ' && text[i] !== '\t') return false;
  return true;
}

function unterminated(line: number, character: number, quote: string): Problem {
  return {
    range: range(line, character, line, character + 1),
    message: `This ${quote} quote is never closed; the rest of the command is read as one argument.`,
    severity: 'error',
    code: 'curl-unterminated-quote',
  };
}

const VALUE_OPTIONS: Record<string, string> = {
  '-X': 'request', '--request': 'request',
  '-H': 'header', '--header': 'header',
  '-d': 'data', '--data': 'data', '--data-ascii': 'data', '--data-binary': 'data',
  '--data-raw': 'data-raw', '--data-urlencode': 'data-urlencode', '--json': 'json',
  '-u': 'user', '--user': 'user',
  '-b': 'cookie', '--cookie': 'cookie',
  '-A': 'user-agent', '--user-agent': 'user-agent',
  '-e': 'referer', '--referer': 'referer',
  '--url': 'url',
  '--oauth2-bearer': 'bearer',
  '-F': 'form', '--form': 'form', '--form-string': 'form',
  // accepted and ignored: they do not change the request
  '-o': 'ignore', '--output': 'ignore', '-m': 'ignore', '--max-time': 'ignore', '--connect-timeout': 'ignore',
  '-w': 'ignore', '--write-out': 'ignore', '--cacert': 'ignore', '--cert': 'ignore', '-E': 'ignore', '--key': 'ignore',
  '-x': 'ignore', '--proxy': 'ignore', '-U': 'ignore', '--proxy-user': 'ignore', '-c': 'ignore', '--cookie-jar': 'ignore',
  '-r': 'ignore', '--range': 'ignore', '--retry': 'ignore', '--resolve': 'ignore', '--limit-rate': 'ignore',
  '--max-redirs': 'ignore', '-K': 'ignore', '--config': 'ignore', '-T': 'unsupported', '--upload-file': 'unsupported',
};

const FLAG_OPTIONS: Record<string, string> = {
  '-I': 'head', '--head': 'head', '-G': 'get', '--get': 'get',
  '-L': 'ignore', '--location': 'ignore', '--compressed': 'ignore', '-s': 'ignore', '--silent': 'ignore',
  '-S': 'ignore', '--show-error': 'ignore', '-k': 'ignore', '--insecure': 'ignore', '-v': 'ignore', '--verbose': 'ignore',
  '-i': 'ignore', '--include': 'ignore', '-f': 'ignore', '--fail': 'ignore', '-g': 'ignore', '--globoff': 'ignore',
  '-#': 'ignore', '--progress-bar': 'ignore', '--http1.1': 'ignore', '--http2': 'ignore', '--http1.0': 'ignore',
  '-N': 'ignore', '--no-buffer': 'ignore', '-0': 'ignore', '--fail-with-body': 'ignore', '-Z': 'ignore',
};

/** Converts the tokens of a curl command (tokens[0] is `curl`). Never throws. */
export function convertCurl(tokens: readonly CurlToken[], blockRange: Range): CurlConversion {
  const problems: Problem[] = [];
  const headers: HeaderLine[] = [];
  const data: { text: string; range: Range; file?: boolean }[] = [];
  let method: string | undefined;
  let url: CurlToken | undefined;
  let head = false;
  let getMode = false;
  let hasHeaderOption = false;

  const addHeader = (name: string, value: string, r: Range) =>
    headers.push({ name, value, range: r, nameRange: r, valueRange: r });

  for (let i = 1; i < tokens.length; i++) {
    const tok = tokens[i];
    let opt = tok.text;
    let value: CurlToken | undefined;
    if (opt.startsWith('--') && opt.length > 2) {
      const eq = opt.indexOf('=');
      if (eq !== -1) {
        value = { text: opt.slice(eq + 1), range: tok.range };
        opt = opt.slice(0, eq);
      }
    } else if (opt.startsWith('-') && !opt.startsWith('--') && opt.length > 2 && !(opt in FLAG_OPTIONS)) {
      // -XPOST (attached value) or -sSL / -sXPOST (a cluster of one-letter flags)
      let resolved: string | undefined;
      let unknown = false;
      for (let k = 1; k < opt.length; k++) {
        const f = '-' + opt[k];
        if (f in VALUE_OPTIONS) {
          resolved = f;
          if (k + 1 < opt.length) value = { text: opt.slice(k + 1), range: tok.range };
          break;
        }
        if (!(f in FLAG_OPTIONS)) {
          unknown = true;
          break;
        }
        if (FLAG_OPTIONS[f] === 'head') head = true;
        if (FLAG_OPTIONS[f] === 'get') getMode = true;
      }
      if (unknown) {
        problems.push({ range: tok.range, message: `The curl option ${tok.text} is not understood and is ignored.`, severity: 'info', code: 'curl-unsupported-option' });
        continue;
      }
      if (resolved === undefined) continue;
      opt = resolved;
    }

    if (opt in FLAG_OPTIONS) {
      if (FLAG_OPTIONS[opt] === 'head') head = true;
      if (FLAG_OPTIONS[opt] === 'get') getMode = true;
      continue;
    }
    if (opt in VALUE_OPTIONS) {
      if (!value) {
        value = tokens[i + 1];
        if (value) i++;
      }
      if (!value) {
        problems.push({ range: tok.range, message: `The curl option ${opt} needs a value.`, severity: 'warning', code: 'curl-unsupported-option' });
        continue;
      }
      switch (VALUE_OPTIONS[opt]) {
        case 'request':
          method = value.text.toUpperCase();
          break;
        case 'header': {
          hasHeaderOption = true;
          const colon = value.text.indexOf(':');
          if (colon === -1) {
            const name = value.text.replace(/;$/, '').trim();
            addHeader(name, '', value.range);
          } else addHeader(value.text.slice(0, colon).trim(), value.text.slice(colon + 1).trim(), value.range);
          break;
        }
        case 'data':
          if (value.text.startsWith('@')) data.push({ text: value.text.slice(1), range: value.range, file: true });
          else data.push({ text: value.text, range: value.range });
          break;
        case 'data-raw':
          data.push({ text: value.text, range: value.range });
          break;
        case 'data-urlencode':
          data.push({ text: urlencodeData(value.text), range: value.range });
          break;
        case 'json':
          if (value.text.startsWith('@')) data.push({ text: value.text.slice(1), range: value.range, file: true });
          else data.push({ text: value.text, range: value.range });
          if (!hasHeader(headers, 'content-type')) addHeader('Content-Type', 'application/json', value.range);
          if (!hasHeader(headers, 'accept')) addHeader('Accept', 'application/json', value.range);
          break;
        case 'user': {
          addHeader('Authorization', basicFromUser(value.text), value.range);
          break;
        }
        case 'cookie':
          if (value.text.includes('=')) addHeader('Cookie', value.text, value.range);
          else problems.push({ range: value.range, message: 'A cookie file (-b FILE) is not read; write the cookie as -b "name=value".', severity: 'info', code: 'curl-unsupported-option' });
          break;
        case 'user-agent':
          addHeader('User-Agent', value.text, value.range);
          break;
        case 'referer':
          addHeader('Referer', value.text, value.range);
          break;
        case 'bearer':
          addHeader('Authorization', `Bearer ${value.text}`, value.range);
          break;
        case 'url':
          if (!url) url = value;
          break;
        case 'form':
        case 'unsupported':
          problems.push({ range: tok.range, message: `The curl option ${opt} is not supported; write the request as an HTTP block instead.`, severity: 'warning', code: 'curl-unsupported-option' });
          break;
        default:
          break;
      }
      continue;
    }
    if (opt.startsWith('-') && opt.length > 1) {
      problems.push({ range: tok.range, message: `The curl option ${opt} is not understood and is ignored.`, severity: 'info', code: 'curl-unsupported-option' });
      continue;
    }
    if (!url) url = tok;
  }

  let body: Body | undefined;
  let urlText = url?.text ?? '';
  if (data.length > 0 && getMode) {
    const query = data.map((d) => d.text).join('&');
    urlText += (urlText.includes('?') ? '&' : '?') + query;
  } else if (data.length === 1 && data[0].file) {
    body = { kind: 'file', path: data[0].text, processVariables: false, range: data[0].range };
  } else if (data.length > 0) {
    const text = data.map((d) => (d.file ? `@${d.text}` : d.text)).join('&');
    const r = { start: data[0].range.start, end: data[data.length - 1].range.end };
    body = { kind: 'text', text, lines: [{ text, range: r }], range: r };
  }
  if (body && !hasHeader(headers, 'content-type')) {
    addHeader('Content-Type', 'application/x-www-form-urlencoded', body.range);
  }
  if (!url) {
    problems.push({ range: tokens[0]?.range ?? blockRange, message: 'This curl command has no URL.', severity: 'error', code: 'curl-no-url' });
  } else {
    const bad = malformedPercentEscape(url.text);
    if (bad) problems.push({ range: url.range, message: `${bad.sentence} ${bad.kind === 'hex' ? `It is sent as ${bad.sentAs}.` : 'It is sent as written.'}`, severity: 'warning', code: 'curl-malformed-url' });
  }
  const resolvedMethod = method ?? (head ? 'HEAD' : body ? 'POST' : 'GET');
  return { method: resolvedMethod, url: urlText, urlRange: url?.range ?? tokens[0]?.range ?? blockRange, headers, body, hasHeaderOption, problems };
}

/**
 * The first malformed percent escape of a URL, outside {{variables}}: a `%` not followed by two
 * hexadecimal digits, or a run of escapes whose bytes are not UTF-8 (what makes decodeURI throw
 * "URI malformed"). `sentence` says which, for a problem or a message.
 */
export function malformedPercentEscape(url: string): { kind: 'hex' | 'utf8'; escape: string; sentence: string; sentAs?: string } | undefined {
  const hex = (c: string | undefined) => c !== undefined && /[0-9A-Fa-f]/.test(c);
  const runs: [number, number][] = [];
  for (let i = 0; i < url.length; i++) {
    if (url.startsWith('{{', i)) {
      const close = url.indexOf('}}', i + 2);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (url[i] !== '%') continue;
    if (!hex(url[i + 1]) || !hex(url[i + 2])) {
      const escape = url.slice(i, i + 3);
      return { kind: 'hex', escape, sentAs: `%25${escape.slice(1)}`, sentence: `The URL has a malformed percent escape "${escape}": a % must be followed by two hexadecimal digits (%25 for a percent sign itself).` };
    }
    const start = i;
    while (url[i + 3] === '%' && hex(url[i + 4]) && hex(url[i + 5])) i += 3;
    runs.push([start, i + 3]);
    i += 2;
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const [start, end] of runs) {
    const run = url.slice(start, end);
    const bytes = Uint8Array.from(run.slice(1).split('%'), (h) => parseInt(h, 16));
    try {
      utf8.decode(bytes);
    } catch {
      return { kind: 'utf8', escape: run, sentence: `The URL's percent escapes "${run}" are not UTF-8 text, so the path cannot be read as text.` };
    }
  }
  return undefined;
}

function hasHeader(headers: HeaderLine[], lower: string): boolean {
  return headers.some((h) => h.name.toLowerCase() === lower);
}

/**
 * `-u user:pass` → `Basic base64(user:pass)` (SPEC C22). When the credentials hold `{{variables}}`
 * they cannot be encoded yet, so the REST Client shorthand `Basic user:pass` is kept instead; the
 * auth step expands it after substitution (SPEC §3.8).
 */
function basicFromUser(user: string): string {
  const creds = user.includes(':') ? user : `${user}:`;
  if (creds.includes('{{')) return `Basic ${creds}`;
  return `Basic ${base64Utf8(creds)}`;
}

/** base64 of the UTF-8 bytes without Node's Buffer, so the parser can also run outside Node (a webview). */
function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** curl's --data-urlencode forms: `content`, `=content`, `name=content` (the `@file` forms are kept as written). */
function urlencodeData(text: string): string {
  if (text.includes('@')) {
    const at = text.indexOf('@');
    const eq = text.indexOf('=');
    if (eq === -1 || at < eq) return text;
  }
  const eq = text.indexOf('=');
  if (eq === -1) return encodeComponent(text);
  if (eq === 0) return encodeComponent(text.slice(1));
  return `${text.slice(0, eq)}=${encodeComponent(text.slice(eq + 1))}`;
}
