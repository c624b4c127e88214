// Pretty-printed JSON as a list of lines, built incrementally over the source text without parsing
// it into objects: a 20 MB array becomes a million lines, of which the runner panel renders only
// those on screen. Each line is a span of the source plus its depth; an opening line knows where its
// block closes (folding). The layout is JSON.stringify(value, null, 2)'s, for valid JSON.
//
// Pure: used by the webview (media/runner.ts) and by the benchmark.

export interface JsonLineStore {
  /** Lines formatted so far. */
  count: number;
  /** Source offset where line i starts / ends (exclusive). */
  start: Int32Array;
  end: Int32Array;
  depth: Int32Array;
  /** For a line that opens a non-empty block: the line that closes it, else -1. */
  closeLine: Int32Array;
}

const OPEN_BRACE = 123, CLOSE_BRACE = 125, OPEN_BRACKET = 91, CLOSE_BRACKET = 93, QUOTE = 34, BACKSLASH = 92, COMMA = 44;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Formats `source` a chunk at a time: `advance(n)` consumes about n more characters; `done` says
 * whether the whole text was read; `valid` is false once the structure is known to be broken (then
 * show the raw text instead).
 */
export class PrettyJson {
  readonly lines: JsonLineStore;
  private pos = 0;
  private lineStart = -1;
  private depth = 0;
  /** Lines that opened a block not yet closed. */
  private readonly openers: number[] = [];
  /** The opener this line closes, set when a closing bracket starts the current line. */
  private closing = -1;
  done = false;
  valid = true;

  constructor(readonly source: string) {
    const guess = Math.max(64, Math.min(1 << 22, Math.ceil(source.length / 16)));
    this.lines = { count: 0, start: new Int32Array(guess), end: new Int32Array(guess), depth: new Int32Array(guess), closeLine: new Int32Array(guess) };
  }

  private push(start: number, end: number, depth: number): number {
    const l = this.lines;
    if (l.count === l.start.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      l.start = grow(l.start);
      l.end = grow(l.end);
      l.depth = grow(l.depth);
      l.closeLine = grow(l.closeLine);
    }
    const i = l.count++;
    l.start[i] = start;
    l.end[i] = end;
    l.depth[i] = depth;
    l.closeLine[i] = -1;
    if (this.closing >= 0) {
      l.closeLine[this.closing] = i;
      this.closing = -1;
    }
    return i;
  }

  /** Ends the current line at `end` (exclusive), if it has content. */
  private flush(end: number): void {
    if (this.lineStart >= 0 && end > this.lineStart) this.push(this.lineStart, end, this.depth);
    this.lineStart = -1;
  }

  /** Reads about `budget` more characters; returns true when the text is finished. */
  advance(budget: number): boolean {
    if (this.done) return true;
    const s = this.source;
    const n = s.length;
    const stop = Math.min(n, this.pos + budget);
    let i = this.pos;
    while (i < stop) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        if (this.lineStart < 0) this.lineStart = i;
        // Skip the string: to the next quote not escaped.
        let j = i + 1;
        for (;;) {
          const q = s.indexOf('"', j);
          if (q < 0) { j = n; this.valid = false; break; }
          let b = q - 1;
          while (b > i && s.charCodeAt(b) === BACKSLASH) b--;
          if ((q - 1 - b) % 2 === 0) { j = q + 1; break; }
          j = q + 1;
        }
        i = j;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.lineStart < 0) this.lineStart = i;
        let k = i + 1;
        while (k < n && isSpace(s.charCodeAt(k))) k++;
        const closer = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        if (s.charCodeAt(k) === closer) { i = k + 1; continue; } // {} and [] stay on their line
        const line = this.push(this.lineStart, i + 1, this.depth);
        this.openers.push(line);
        this.depth++;
        this.lineStart = -1;
        i++;
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.flush(i);
        if (this.depth === 0) { this.valid = false; i++; continue; }
        this.depth--;
        this.closing = this.openers.pop() ?? -1;
        this.lineStart = i;
        i++;
        continue;
      }
      if (c === COMMA) {
        if (this.lineStart < 0) this.lineStart = i;
        this.flush(i + 1);
        i++;
        continue;
      }
      if (!isSpace(c) && this.lineStart < 0) this.lineStart = i;
      i++;
    }
    this.pos = i;
    if (i >= n) {
      this.flush(n);
      this.done = true;
      if (this.depth !== 0 || this.openers.length) this.valid = false;
    }
    return this.done;
  }

  /** Line i as JSON.stringify(…, 2) would print it. */
  text(i: number): string {
    return '  '.repeat(this.lines.depth[i]!) + compact(this.source, this.lines.start[i]!, this.lines.end[i]!);
  }

  /** The line holding source offset `offset` (binary search over the formatted lines). */
  lineAt(offset: number): number {
    const { start, count } = this.lines;
    let lo = 0, hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start[mid]! <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
}

/** The source span with whitespace outside strings removed and `: ` after each key. */
export function compact(s: string, from: number, to: number): string {
  let out = '';
  let run = from;
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      while (j < to) {
        const d = s.charCodeAt(j);
        if (d === BACKSLASH) { j += 2; continue; }
        if (d === QUOTE) break;
        j++;
      }
      i = j + 1;
      continue;
    }
    if (c === 58 /* : */) {
      out += s.slice(run, i) + ': ';
      i++;
      while (i < to && isSpace(s.charCodeAt(i))) i++;
      run = i;
      continue;
    }
    if (isSpace(c)) {
      out += s.slice(run, i);
      while (i < to && isSpace(s.charCodeAt(i))) i++;
      run = i;
      continue;
    }
    i++;
  }
  return out + s.slice(run, to);
}

export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space';

/**
 * A formatted line cut into coloured pieces (the webview escapes and wraps them). Strings are found
 * by walking to their closing quote, once: as a regular-expression alternative, an unclosed string
 * of `\"` was rescanned from each of its quotes (seconds for a 40 KB line). An unclosed string runs
 * to the end of the line (it used to lose its opening quote).
 */
export function tokenize(line: string): [TokenKind, string][] {
  const out: [TokenKind, string][] = [];
  const rest = /(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)|([^\s"{}[\],:]+)/y;
  const colon = /\s*:/y;
  let i = 0;
  while (i < line.length) {
    if (line[i] === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      const end = Math.min(j + 1, line.length);
      const text = line.slice(i, end);
      colon.lastIndex = end;
      const c = end <= line.length && j < line.length ? colon.exec(line) : null;
      if (c) {
        out.push(['key', text], ['punct', c[0]]);
        i = end + c[0].length;
      } else {
        out.push(['string', text]);
        i = end;
      }
      continue;
    }
    rest.lastIndex = i;
    const m = rest.exec(line)!; // every character but " starts one of these
    if (m[1] !== undefined) out.push(['number', m[1]]);
    else if (m[2] !== undefined) out.push(['literal', m[2]]);
    else if (m[3] !== undefined) out.push(['punct', m[3]]);
    else if (m[4] !== undefined) out.push(['space', m[4]]);
    else out.push(['punct', m[5]!]);
    i += m[0].length;
  }
  return out;
}

function printable(code: number): boolean {
  // Not the controls (C0, DEL, C1), not a quote or backslash (the string's own syntax), not a lone surrogate.
  return code >= 0x20 && code !== 0x22 && code !== 0x5c && !(code >= 0x7f && code <= 0x9f) && !(code >= 0xd800 && code <= 0xdfff);
}

/**
 * A formatted JSON line as people read it: inside strings, `\/` is `/` and `\uXXXX` is its
 * character ("M\u00fcller" reads Müller, a surrogate pair its emoji). Escapes that the line needs
 * to stay one line of valid-looking JSON stay as they are: `\"`, `\\`, `\n`, `\t`, control
 * characters and lone surrogates. Outside strings nothing changes. The Raw view shows the bytes.
 */
export function readableJsonLine(line: string): string {
  if (!line.includes('\\')) return line;
  let out = '';
  let inString = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') {
      inString = !inString;
      out += c;
      i++;
      continue;
    }
    if (c !== '\\' || !inString) {
      out += c;
      i++;
      continue;
    }
    const next = line[i + 1];
    if (next === '/') {
      out += '/';
      i += 2;
      continue;
    }
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(line.slice(i + 2, i + 6))) {
      const code = parseInt(line.slice(i + 2, i + 6), 16);
      if (code >= 0xd800 && code <= 0xdbff && line[i + 6] === '\\' && line[i + 7] === 'u' && /^[0-9a-fA-F]{4}$/.test(line.slice(i + 8, i + 12))) {
        const low = parseInt(line.slice(i + 8, i + 12), 16);
        if (low >= 0xdc00 && low <= 0xdfff) {
          out += String.fromCharCode(code, low);
          i += 12;
          continue;
        }
      }
      if (printable(code)) {
        out += String.fromCharCode(code);
        i += 6;
        continue;
      }
    }
    // Any other escape (\" \\ \n …) is kept whole, so its second character is not read as a quote.
    out += line.slice(i, i + 2);
    i += 2;
  }
  return out;
}
