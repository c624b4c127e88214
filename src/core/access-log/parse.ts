// Apache and nginx access-log lines: the named formats (combined, common, vhost_combined), any
// Apache `LogFormat` or nginx `log_format` string, detection from a file's first lines, and a
// hand-written scanner that finds each field with `indexOf` on the literal text that follows it,
// so a line costs a handful of native searches and no regular expression.
//
// A line that does not fit the format (a wrong delimiter, a status that is not three digits, a time
// that is not a time) is reported as not parsed; the caller counts it and goes on. Nothing here throws
// for a line; only a format string that cannot be understood throws (`LogFormatError`).
//
// Pure: no `vscode`, no I/O.

/** A format string this module cannot use: the message says which part and why. */
export class LogFormatError extends Error {}

/** The formats known by name. nginx's predefined `combined` writes exactly Apache's combined. */
export const NAMED_FORMATS = {
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
  common: '%h %l %u %t "%r" %>s %b',
  // Debian's other_vhosts_access.log: the virtual host and its port first, which tells the scheme.
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
} as const;
export type NamedFormat = keyof typeof NAMED_FORMATS;

/** What a field of a line means. Fields nobody reads (`%A`, `$upstream_addr`, ...) are SKIP. */
export const Field = {
  SKIP: 0,
  HOST: 1, //          %h %a $remote_addr
  IDENT: 2, //         %l
  USER: 3, //          %u $remote_user
  TIME_CLF: 4, //      %t (without its brackets) $time_local: 27/Nov/2026:10:00:00 +0100
  TIME_ISO: 5, //      $time_iso8601, %{%Y-%m-%dT%H:%M:%S%z}t
  TIME_SEC: 6, //      %{sec}t
  TIME_MSEC: 7, //     %{msec}t
  TIME_USEC: 8, //     %{usec}t
  TIME_SEC_FRAC: 9, // $msec: 1795770000.123
  REQUEST: 10, //      %r $request: GET /path?query HTTP/1.1
  METHOD: 11, //       %m $request_method
  PATH: 12, //         %U $uri
  QUERY: 13, //        %q (with its "?")
  ARGS: 14, //         $args $query_string (without "?")
  REQUEST_URI: 15, //  $request_uri (path and query)
  PROTOCOL: 16, //     %H $server_protocol
  STATUS: 17, //       %s %>s $status
  BYTES: 18, //        %b %B %O $body_bytes_sent $bytes_sent
  REFERER: 19, //      %{Referer}i $http_referer
  USER_AGENT: 20, //   %{User-Agent}i $http_user_agent
  VHOST: 21, //        %v %V %{Host}i $host $server_name $http_host
  PORT: 22, //         %p %{canonical}p %{local}p $server_port
  SCHEME: 23, //       $scheme %{REQUEST_SCHEME}e %{X-Forwarded-Proto}i $http_x_forwarded_proto
  HTTPS_FLAG: 24, //   $https %{HTTPS}e: "on" over TLS
  SSL_PROTOCOL: 25, // %{SSL_PROTOCOL}x: "-" without TLS
  DURATION_US: 26, //  %D %{us}T
  DURATION_MS: 27, //  %{ms}T
  DURATION_S: 28, //   %T %{s}T $request_time
} as const;
export type FieldKind = (typeof Field)[keyof typeof Field];
const FIELD_COUNT = 29;

/** A format ready for scanning: literal text around each field. */
export interface CompiledFormat {
  /** 'combined', 'common', 'vhost_combined', or 'custom'. */
  readonly name: string;
  /** The format string, normalised (config quoting removed). */
  readonly spec: string;
  /** `literals[i]` comes before `fields[i]`; the last one follows the last field. */
  readonly literals: readonly string[];
  readonly fields: readonly FieldKind[];
  /** Whether field i sits between double quotes (its end is found escape-aware). */
  readonly quoted: readonly boolean[];
  /** The position of the first field of each kind, or -1. */
  readonly index: Readonly<Int8Array>;
}

/** One parsed line. Absent fields are undefined; `timeMs` is NaN when the format has no time. */
export interface AccessLogEntry {
  remoteAddr: string;
  remoteUser?: string;
  /** UTC milliseconds since the epoch. */
  timeMs: number;
  /** The zone the time was written in, minutes east of UTC (+0100 → 60); 0 when none is given. */
  utcOffsetMinutes: number;
  method: string;
  /** The request-target as logged: path and query, not decoded. Empty for a request line like "-". */
  target: string;
  protocol: string;
  status: number;
  bytes: number;
  referer?: string;
  userAgent?: string;
  vhost?: string;
  port?: number;
  /** Only when the log says it (a scheme/HTTPS field); see `schemeOf` in analyze.ts for the inference. */
  scheme?: 'http' | 'https';
  durationMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Compiling a format string

const APACHE_LETTERS: Record<string, FieldKind> = {
  h: Field.HOST, a: Field.HOST, l: Field.IDENT, u: Field.USER, r: Field.REQUEST, m: Field.METHOD,
  U: Field.PATH, q: Field.QUERY, H: Field.PROTOCOL, s: Field.STATUS, b: Field.BYTES, B: Field.BYTES,
  O: Field.BYTES, v: Field.VHOST, V: Field.VHOST, p: Field.PORT, D: Field.DURATION_US, T: Field.DURATION_S,
};

const NGINX_VARIABLES: Record<string, FieldKind> = {
  remote_addr: Field.HOST, remote_user: Field.USER, time_local: Field.TIME_CLF, time_iso8601: Field.TIME_ISO,
  msec: Field.TIME_SEC_FRAC, request: Field.REQUEST, request_method: Field.METHOD, uri: Field.PATH,
  document_uri: Field.PATH, args: Field.ARGS, query_string: Field.ARGS, request_uri: Field.REQUEST_URI,
  server_protocol: Field.PROTOCOL, status: Field.STATUS, body_bytes_sent: Field.BYTES, bytes_sent: Field.BYTES,
  http_referer: Field.REFERER, http_user_agent: Field.USER_AGENT, host: Field.VHOST, server_name: Field.VHOST,
  http_host: Field.VHOST, server_port: Field.PORT, scheme: Field.SCHEME, https: Field.HTTPS_FLAG,
  http_x_forwarded_proto: Field.SCHEME, request_time: Field.DURATION_S,
};

/** An Apache `%{NAME}x` token: the name decides for headers (i), environment (e) and SSL (x). */
function apacheBraced(arg: string, letter: string): FieldKind {
  const a = arg.toLowerCase();
  switch (letter) {
    case 'i':
      if (a === 'referer') return Field.REFERER;
      if (a === 'user-agent') return Field.USER_AGENT;
      if (a === 'host') return Field.VHOST;
      if (a === 'x-forwarded-proto') return Field.SCHEME;
      return Field.SKIP;
    case 'e':
      if (a === 'https') return Field.HTTPS_FLAG;
      if (a === 'request_scheme') return Field.SCHEME;
      return Field.SKIP;
    case 'x':
      return a === 'ssl_protocol' ? Field.SSL_PROTOCOL : Field.SKIP;
    case 'p':
      return a === 'canonical' || a === 'local' ? Field.PORT : Field.SKIP; // %{remote}p is the client's port
    case 'T':
      return a === 'ms' ? Field.DURATION_MS : a === 'us' ? Field.DURATION_US : a === 's' ? Field.DURATION_S : Field.SKIP;
    case 'a':
    case 'h':
      return Field.HOST; // %{c}a: the peer of the connection
    case 't':
      return apacheTime(arg);
    default:
      return Field.SKIP;
  }
}

function apacheTime(arg: string): FieldKind {
  const a = arg.replace(/^(?:begin|end):/, '');
  if (a === 'sec') return Field.TIME_SEC;
  if (a === 'msec') return Field.TIME_MSEC;
  if (a === 'usec') return Field.TIME_USEC;
  if (a === '%d/%b/%Y:%H:%M:%S %z') return Field.TIME_CLF;
  if (a === '%Y-%m-%dT%H:%M:%S%z' || a === '%Y-%m-%dT%H:%M:%S' || a === '%Y-%m-%d %H:%M:%S' || a === '%FT%T%z' || a === '%F %T') return Field.TIME_ISO;
  throw new LogFormatError(`The time format %{${arg}}t is not supported; use %t, %{sec}t, %{msec}t or an ISO 8601 pattern like %{%Y-%m-%dT%H:%M:%S%z}t.`);
}

/**
 * Takes what a user may paste: a bare format, a whole Apache `LogFormat "..." name` line, or an
 * nginx `log_format name '...' '...';` directive, and returns the bare format.
 */
export function normaliseFormatSpec(input: string): string {
  let spec = input.trim();
  const apache = /^LogFormat\s+"((?:[^"\\]|\\.)*)"/i.exec(spec);
  if (apache) spec = apache[1];
  else if (/^log_format\s/i.test(spec)) {
    const parts = quotedStrings(spec);
    if (parts.length === 0) throw new LogFormatError('The log_format directive has no quoted format string.');
    spec = parts.join('');
  }
  // Apache's config quoting: \" for a quote, \t and \n for whitespace.
  return spec.replace(/\\(["\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
}

/**
 * The '…' and "…" strings of an nginx directive, backslash escapes kept, by walking it once (a
 * regular expression retried an unclosed quote from every later quote: quadratic). An unclosed
 * quote is an error: nginx would refuse the directive too.
 */
function quotedStrings(spec: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < spec.length; i++) {
    const q = spec[i];
    if (q !== "'" && q !== '"') continue;
    let j = i + 1;
    while (j < spec.length && spec[j] !== q) j += spec[j] === '\\' ? 2 : 1;
    if (j >= spec.length) throw new LogFormatError(`The log_format directive has a ${q === "'" ? 'single' : 'double'} quote that is not closed (at character ${i + 1}).`);
    parts.push(spec.slice(i + 1, j));
    i = j;
  }
  return parts;
}

/**
 * Compiles a named format (`combined`, `common`, `vhost_combined`) or a format string with Apache
 * `%` tokens and/or nginx `$variables`. Throws LogFormatError when it cannot be scanned reliably.
 */
export function compileLogFormat(input: string): CompiledFormat {
  const named = (NAMED_FORMATS as Record<string, string>)[input.trim().toLowerCase()];
  const spec = named ?? normaliseFormatSpec(input);
  const name = named ? input.trim().toLowerCase() : 'custom';

  const literals: string[] = [];
  const fields: FieldKind[] = [];
  let lit = '';
  const pushField = (kind: FieldKind) => {
    literals.push(lit);
    fields.push(kind);
    lit = '';
  };
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '%') {
      let j = i + 1;
      if (spec[j] === '%') {
        lit += '%';
        i = j;
        continue;
      }
      while (j < spec.length && /[!<>0-9,]/.test(spec[j])) j++;
      let arg: string | undefined;
      if (spec[j] === '{') {
        const close = spec.indexOf('}', j);
        if (close < 0) throw new LogFormatError(`Unclosed %{ at position ${i + 1} of the format.`);
        arg = spec.slice(j + 1, close);
        j = close + 1;
        while (j < spec.length && /[<>]/.test(spec[j])) j++;
      }
      const letter = spec[j];
      if (letter === undefined) throw new LogFormatError('The format ends with a lone %.');
      if (letter === 't' && arg === undefined) {
        // %t writes its own brackets: [27/Nov/2026:10:00:00 +0100]
        lit += '[';
        pushField(Field.TIME_CLF);
        lit += ']';
      } else if (letter === '^') {
        // %^ti / %^to: trailers; two letters follow
        j += 2;
        pushField(Field.SKIP);
      } else {
        pushField(arg !== undefined ? apacheBraced(arg, letter) : (APACHE_LETTERS[letter] ?? Field.SKIP));
      }
      i = j;
    } else if (c === '$' && /[A-Za-z_{]/.test(spec[i + 1] ?? '')) {
      let j = i + 1;
      let name: string;
      if (spec[j] === '{') {
        const close = spec.indexOf('}', j);
        if (close < 0) throw new LogFormatError(`Unclosed \${ at position ${i + 1} of the format.`);
        name = spec.slice(j + 1, close);
        j = close;
      } else {
        while (j < spec.length && /[A-Za-z0-9_]/.test(spec[j])) j++;
        name = spec.slice(i + 1, j);
        j--;
      }
      pushField(NGINX_VARIABLES[name.toLowerCase()] ?? Field.SKIP);
      i = j;
    } else {
      lit += c;
    }
  }
  literals.push(lit);
  if (fields.length === 0) throw new LogFormatError('The format has no fields (%h, $remote_addr, ...).');

  const quoted = fields.map((_, k) => literals[k].endsWith('"') && literals[k + 1].startsWith('"'));
  for (let k = 0; k + 1 < fields.length; k++) {
    if (literals[k + 1] === '' && !(fields[k] === Field.PATH && fields[k + 1] === Field.QUERY)) {
      throw new LogFormatError(`Two fields follow each other with nothing between them (field ${k + 1} and ${k + 2}); the scanner cannot tell where one ends. Only %U%q is understood that way.`);
    }
  }
  if (!fields.includes(Field.HOST)) throw new LogFormatError('The format has no client address (%h, %a or $remote_addr).');
  if (!fields.includes(Field.STATUS)) throw new LogFormatError('The format has no status (%>s or $status).');
  if (!fields.includes(Field.REQUEST) && !fields.includes(Field.REQUEST_URI) && !fields.includes(Field.PATH)) {
    throw new LogFormatError('The format has no request (%r, %U or $request, $request_uri).');
  }
  const index = new Int8Array(FIELD_COUNT).fill(-1);
  for (let k = fields.length - 1; k >= 0; k--) index[fields[k]] = k;
  return { name, spec, literals, fields, quoted, index };
}

// ---------------------------------------------------------------------------------------------
// Scanning a line

const SPACE = 32;
const QUOTE = 34;
const QUOTE_ESCAPE = 92; // backslash

/** The literals and fields of the combined format, whose lines `LineScanner.scanCombined` reads directly. */
const COMBINED_LAYOUT = compileLogFormat('combined');

function sameLayout(a: CompiledFormat, b: CompiledFormat): boolean {
  return a.fields.length === b.fields.length && a.fields.every((f, k) => f === b.fields[k]) && a.literals.every((l, k) => l === b.literals[k]);
}

/**
 * Reusable scanner for one format: `scan(line)` finds where each field starts and ends (no
 * strings made) and checks the fields that must have a shape (status, bytes, port, time); the
 * accessors then cut out only what the caller needs. One scanner per format and per caller; it
 * keeps the last line.
 */
export class LineScanner {
  readonly format: CompiledFormat;
  line = '';
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Whether text followed the format's last field (extra fields appended to a known format). */
  trailing = false;
  /** Set by scan(): UTC ms (NaN without a time field) and the zone offset in minutes. */
  timeMs = NaN;
  utcOffsetMinutes = 0;
  status = 0;
  private readonly n: number;
  private readonly lits: readonly string[];
  private readonly fields: readonly FieldKind[];
  private readonly quoted: readonly boolean[];
  private readonly iTime: number;
  private readonly iStatus: number;
  private readonly iHost: number;
  private readonly iVhost: number;
  private readonly iBytes: number;
  private readonly iPort: number;
  /** The request-target's bounds in the line, [targetStart, targetEnd), once `locateTarget()` ran for it. */
  targetStart = -1;
  targetEnd = -1;
  private requestDone = false;

  /** Whether the format is laid out as combined's, so scan() tries `scanCombined` first. */
  private readonly combined: boolean;

  /** `fastPath: false` scans every line with the general loop (the tests compare both). */
  constructor(format: CompiledFormat, fastPath = true) {
    this.format = format;
    this.combined = fastPath && sameLayout(format, COMBINED_LAYOUT);
    this.n = format.fields.length;
    this.lits = format.literals;
    this.fields = format.fields;
    this.quoted = format.quoted;
    this.starts = new Int32Array(this.n);
    this.ends = new Int32Array(this.n);
    const ix = format.index;
    this.iTime = firstOf(ix, [Field.TIME_CLF, Field.TIME_ISO, Field.TIME_SEC, Field.TIME_MSEC, Field.TIME_USEC, Field.TIME_SEC_FRAC]);
    this.iStatus = ix[Field.STATUS];
    this.iHost = ix[Field.HOST];
    this.iVhost = ix[Field.VHOST];
    this.iBytes = ix[Field.BYTES];
    this.iPort = ix[Field.PORT];
  }

  /** Whether the format has a field of this kind. */
  has(kind: FieldKind): boolean {
    return this.format.index[kind] >= 0;
  }

  /** Finds every field of `line`; false when the line does not fit the format. */
  scan(line: string): boolean {
    this.line = line;
    this.requestDone = false;
    if (!(this.combined && this.scanCombined(line)) && !this.scanFields(line)) return false;

    // Shapes that must hold.
    const { starts, ends } = this;
    const iStatus = this.iStatus;
    const s = starts[iStatus];
    if (ends[iStatus] - s !== 3) return false;
    const d0 = line.charCodeAt(s) - 48, d1 = line.charCodeAt(s + 1) - 48, d2 = line.charCodeAt(s + 2) - 48;
    if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
    this.status = d0 * 100 + d1 * 10 + d2;

    const hs = starts[this.iHost], he = ends[this.iHost];
    if (he <= hs || hasSpace(line, hs, he)) return false;
    if (this.iVhost >= 0 && hasSpace(line, starts[this.iVhost], ends[this.iVhost])) return false;
    if (this.iBytes >= 0 && !isCount(line, starts[this.iBytes], ends[this.iBytes])) return false;
    if (this.iPort >= 0 && !isCount(line, starts[this.iPort], ends[this.iPort])) return false;

    if (this.iTime >= 0) {
      const t = this.parseTime(this.fields[this.iTime], starts[this.iTime], ends[this.iTime]);
      if (t !== t) return false; // NaN
      this.timeMs = t;
    } else {
      this.timeMs = NaN;
      this.utcOffsetMinutes = 0;
    }
    return true;
  }

  /**
   * The fields of a combined line as nearly every server writes it, each found with a
   * one-character search and its neighbours checked, in one pass. It sets exactly the bounds the
   * general loop would: each field ends at the first place its next literal occurs (for a quoted
   * field, the first `"` not escaped). Anything else (a user name with a space, a `"` escaped or
   * not followed by what combined writes after it, a field missing) returns false, and the general
   * loop decides, so an unusual line is never judged here.
   */
  private scanCombined(line: string): boolean {
    const { starts, ends } = this;
    const host = line.indexOf(' ');
    if (host < 0) return false;
    const ident = line.indexOf(' ', host + 1);
    if (ident < 0) return false;
    const user = line.indexOf(' ', ident + 1); // then "["
    if (user < 0 || line.charCodeAt(user + 1) !== 91) return false;
    const time = line.indexOf(']', user + 2); // then ' "'
    if (time < 0 || line.charCodeAt(time + 1) !== SPACE || line.charCodeAt(time + 2) !== QUOTE) return false;
    const request = line.indexOf('"', time + 3); // then " "
    if (request < 0 || line.charCodeAt(request - 1) === QUOTE_ESCAPE || line.charCodeAt(request + 1) !== SPACE) return false;
    const status = line.indexOf(' ', request + 2);
    if (status < 0) return false;
    const bytes = line.indexOf(' ', status + 1); // then '"'
    if (bytes < 0 || line.charCodeAt(bytes + 1) !== QUOTE) return false;
    const referer = line.indexOf('"', bytes + 2); // then ' "'
    if (referer < 0 || line.charCodeAt(referer - 1) === QUOTE_ESCAPE || line.charCodeAt(referer + 1) !== SPACE || line.charCodeAt(referer + 2) !== QUOTE) return false;
    const agent = line.indexOf('"', referer + 3);
    if (agent < 0 || line.charCodeAt(agent - 1) === QUOTE_ESCAPE) return false;
    starts[0] = 0;
    ends[0] = host;
    starts[1] = host + 1;
    ends[1] = ident;
    starts[2] = ident + 1;
    ends[2] = user;
    starts[3] = user + 2;
    ends[3] = time;
    starts[4] = time + 3;
    ends[4] = request;
    starts[5] = request + 2;
    ends[5] = status;
    starts[6] = status + 1;
    ends[6] = bytes;
    starts[7] = bytes + 2;
    ends[7] = referer;
    starts[8] = referer + 3;
    ends[8] = agent;
    this.trailing = agent + 1 < line.length;
    return true;
  }

  /** The general scan: each field up to the next literal of the format. */
  private scanFields(line: string): boolean {
    const { lits, quoted, starts, ends, n } = this;
    const len = line.length;
    const prefix = lits[0];
    let pos = 0;
    if (prefix.length > 0) {
      if (!line.startsWith(prefix)) return false;
      pos = prefix.length;
    }
    for (let k = 0; k < n; k++) {
      const next = lits[k + 1];
      let end: number;
      if (next.length === 0) {
        if (k === n - 1) {
          // The last field with nothing after it: up to the next space (more fields may follow a known format).
          end = quoted[k] ? len : line.indexOf(' ', pos);
          if (end < 0) end = len;
        } else {
          // %U%q: the path ends at "?" when the query is not empty.
          const after = lits[k + 2];
          const limit = after.length === 0 ? len : line.indexOf(after, pos);
          if (limit < 0) return false;
          const q = line.indexOf('?', pos);
          end = q >= 0 && q < limit ? q : limit;
        }
      } else if (quoted[k]) {
        end = findUnescaped(line, next, pos);
      } else {
        end = line.indexOf(next, pos);
      }
      if (end < 0) return false;
      starts[k] = pos;
      ends[k] = end;
      pos = end + next.length;
    }
    this.trailing = pos < len;
    return true;
  }

  /** The text of the first field of `kind`, undefined when absent; `-` stays `-`. */
  text(kind: FieldKind): string | undefined {
    const k = this.format.index[kind];
    return k < 0 ? undefined : this.line.slice(this.starts[k], this.ends[k]);
  }

  /** The request-target's bounds in the line: [start, end). Empty for "-" or a junk request line. */
  targetBounds(): [number, number] {
    this.locateTarget();
    return [this.targetStart, this.targetEnd];
  }

  /** Sets `targetStart` and `targetEnd` for the line scanned last (no array made, unlike targetBounds). */
  locateTarget(): void {
    if (!this.requestDone) this.findTarget();
  }

  target(): string {
    const [a, b] = this.targetBounds();
    return this.line.slice(a, b);
  }

  method(): string {
    const ix = this.format.index;
    if (ix[Field.METHOD] >= 0) return this.line.slice(this.starts[ix[Field.METHOD]], this.ends[ix[Field.METHOD]]);
    const k = ix[Field.REQUEST];
    if (k < 0) return '';
    const s = this.starts[k], e = this.ends[k];
    const sp = this.line.indexOf(' ', s);
    return sp < 0 || sp >= e ? '' : this.line.slice(s, sp);
  }

  protocol(): string {
    const ix = this.format.index;
    if (ix[Field.PROTOCOL] >= 0) return this.line.slice(this.starts[ix[Field.PROTOCOL]], this.ends[ix[Field.PROTOCOL]]);
    const k = ix[Field.REQUEST];
    if (k < 0) return '';
    const s = this.starts[k], e = this.ends[k];
    const sp = this.line.lastIndexOf(' ', e - 1);
    return sp < s || !this.line.startsWith('HTTP/', sp + 1) ? '' : this.line.slice(sp + 1, e);
  }

  /** A logged header or string field with its "-" meaning "none" turned into undefined and \" unescaped. */
  optional(kind: FieldKind): string | undefined {
    const v = this.text(kind);
    if (v === undefined || v === '-' || v === '') return undefined;
    return v.indexOf('\\') >= 0 ? unescapeLogged(v) : v;
  }

  number(kind: FieldKind): number | undefined {
    const v = this.text(kind);
    if (v === undefined || v === '-' || v === '') return undefined;
    const x = Number(v);
    return Number.isFinite(x) ? x : undefined;
  }

  /** The whole line as an entry (allocates; the analyzer reads fields one by one instead). */
  entry(): AccessLogEntry {
    const F = Field;
    const scheme = schemeField(this);
    let durationMs: number | undefined;
    const us = this.number(F.DURATION_US), ms = this.number(F.DURATION_MS), sec = this.number(F.DURATION_S);
    if (us !== undefined) durationMs = us / 1000;
    else if (ms !== undefined) durationMs = ms;
    else if (sec !== undefined) durationMs = sec * 1000;
    const entry: AccessLogEntry = {
      remoteAddr: this.text(F.HOST) ?? '',
      timeMs: this.timeMs,
      utcOffsetMinutes: this.utcOffsetMinutes,
      method: this.method(),
      target: this.target(),
      protocol: this.protocol(),
      status: this.status,
      bytes: this.number(F.BYTES) ?? 0,
    };
    const set = <K extends keyof AccessLogEntry>(k: K, v: AccessLogEntry[K] | undefined) => {
      if (v !== undefined) entry[k] = v;
    };
    set('remoteUser', this.optional(F.USER));
    set('referer', this.optional(F.REFERER));
    set('userAgent', this.optional(F.USER_AGENT));
    set('vhost', this.optional(F.VHOST));
    set('port', this.number(F.PORT));
    set('scheme', scheme);
    set('durationMs', durationMs);
    return entry;
  }

  private findTarget(): void {
    this.requestDone = true;
    const ix = this.format.index;
    const line = this.line;
    let k = ix[Field.REQUEST];
    if (k >= 0) {
      const s = this.starts[k], e = this.ends[k];
      const a = line.indexOf(' ', s);
      if (a < 0 || a >= e) {
        this.targetStart = this.targetEnd = s;
        return;
      }
      // The protocol after the last space: nearly always " HTTP/1.1" (or 1.0, 2.0), checked in place
      // (lastIndexOf is a call into the runtime, not a builtin the compiler inlines).
      let b = e - 9;
      if (!(b > a && line.charCodeAt(b) === SPACE && textAt(line, b + 1, 'HTTP/') && line.charCodeAt(e - 3) !== SPACE && line.charCodeAt(e - 2) !== SPACE && line.charCodeAt(e - 1) !== SPACE)) {
        b = line.lastIndexOf(' ', e - 1);
        if (b <= a || !textAt(line, b + 1, 'HTTP/')) b = e; // HTTP/0.9 "GET /" or no protocol
      }
      this.targetStart = a + 1;
      this.targetEnd = b;
      return;
    }
    k = ix[Field.REQUEST_URI];
    if (k >= 0) {
      this.targetStart = this.starts[k];
      this.targetEnd = this.ends[k];
      return;
    }
    // %U%q (adjacent, so one range) or $uri with $args elsewhere: the path only, the query is read separately.
    k = ix[Field.PATH];
    this.targetStart = this.starts[k];
    const q = ix[Field.QUERY];
    this.targetEnd = q === k + 1 && this.format.literals[k + 1] === '' ? this.ends[q] : this.ends[k];
  }

  private parseTime(kind: FieldKind, s: number, e: number): number {
    const line = this.line;
    switch (kind) {
      case Field.TIME_CLF:
        return this.setTime(parseClfTime(line, s, e));
      case Field.TIME_ISO:
        return this.setTime(parseIsoTime(line, s, e));
      default: {
        const x = Number(line.slice(s, e));
        this.utcOffsetMinutes = 0;
        if (!Number.isFinite(x) || e === s) return NaN;
        if (kind === Field.TIME_SEC || kind === Field.TIME_SEC_FRAC) return Math.round(x * 1000);
        if (kind === Field.TIME_MSEC) return x;
        return Math.floor(x / 1000);
      }
    }
  }

  private setTime(t: number): number {
    this.utcOffsetMinutes = lastOffsetMinutes;
    return t;
  }
}

function firstOf(ix: Int8Array, kinds: FieldKind[]): number {
  for (const k of kinds) if (ix[k] >= 0) return ix[k];
  return -1;
}

/** The scheme the log states for this line (a scheme, HTTPS or SSL field), else undefined. */
export function schemeField(sc: LineScanner): 'http' | 'https' | undefined {
  const scheme = sc.text(Field.SCHEME);
  if (scheme !== undefined) {
    const v = scheme.toLowerCase();
    if (v === 'https' || v === 'http') return v;
  }
  const flag = sc.text(Field.HTTPS_FLAG);
  if (flag !== undefined) {
    const v = flag.toLowerCase();
    // mod_ssl sets HTTPS=on; nginx's $https is "on" or empty. Anything else: the server saw plain HTTP.
    return v === 'on' || v === '1' ? 'https' : 'http';
  }
  const ssl = sc.text(Field.SSL_PROTOCOL);
  if (ssl !== undefined) return ssl === '-' || ssl === '' ? 'http' : 'https';
  return undefined;
}

/**
 * Whether `lit` is written in `text` at `i`: `text.startsWith(lit, i)`, as a loop the compiler
 * inlines (startsWith with a position is a builtin call, and these run several times a line).
 */
export function textAt(text: string, i: number, lit: string): boolean {
  const n = lit.length;
  if (i < 0 || i + n > text.length) return false;
  for (let k = 0; k < n; k++) if (text.charCodeAt(i + k) !== lit.charCodeAt(k)) return false;
  return true;
}

function hasSpace(line: string, s: number, e: number): boolean {
  const i = line.indexOf(' ', s);
  return i >= 0 && i < e;
}

/** Digits, or a lone "-" (Apache's %b for zero bytes). */
function isCount(line: string, s: number, e: number): boolean {
  if (e - s === 1 && line.charCodeAt(s) === 45) return true;
  if (e <= s) return false;
  for (let i = s; i < e; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The next `lit` at or after `from` that is not escaped by a backslash (Apache writes \" inside quoted fields). */
function findUnescaped(line: string, lit: string, from: number): number {
  let k = line.indexOf(lit, from);
  while (k >= 0) {
    let b = k - 1;
    let slashes = 0;
    while (b >= from && line.charCodeAt(b) === QUOTE_ESCAPE) {
      slashes++;
      b--;
    }
    if ((slashes & 1) === 0) return k;
    k = line.indexOf(lit, k + 1);
  }
  return -1;
}

/** Undoes Apache's \" and \\ (nginx writes \x22, left as written). */
export function unescapeLogged(v: string): string {
  return v.replace(/\\(["\\])/g, '$1');
}

// ---------------------------------------------------------------------------------------------
// Times

let lastOffsetMinutes = 0;

const MONTHS = new Map<number, number>(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [monthKey(m, 0), i]),
);
function monthKey(s: string, i: number): number {
  return (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8) | s.charCodeAt(i + 2);
}

/** n decimal digits at i, or -1. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (!(c >= 0 && c <= 9)) return -1; // NaN past the end fails too
    v = v * 10 + c;
  }
  return v;
}

function utcMs(y: number, mon: number, d: number, h: number, mi: number, sec: number, ms: number, offsetMin: number): number {
  if (mon < 0 || mon > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return NaN;
  lastOffsetMinutes = offsetMin;
  return Date.UTC(y, mon, d, h, mi, sec, ms) - offsetMin * 60_000;
}

/** `27/Nov/2026:10:00:00 +0100` (CLF, Apache %t and nginx $time_local) in [s, e) → UTC ms, or NaN. */
export function parseClfTime(line: string, s: number = 0, e: number = line.length): number {
  if (e - s < 26) return NaN;
  // Consecutive lines share their day and zone: when both are written as in the last line that had
  // a valid time, only the time of day is read.
  if (textAt(line, s, clfDayText) && textAt(line, s + 20, clfZoneText) && line.charCodeAt(s + 14) === 58 && line.charCodeAt(s + 17) === 58) {
    const h = digits(line, s + 12, 2), mi = digits(line, s + 15, 2), sec = digits(line, s + 18, 2);
    if (h < 0 || mi < 0 || sec < 0 || h > 23 || mi > 59 || sec > 60) return NaN;
    lastOffsetMinutes = clfDayOffset;
    return clfDayBase + h * 3_600_000 + mi * 60_000 + sec * 1000;
  }
  if (line.charCodeAt(s + 2) !== 47 || line.charCodeAt(s + 6) !== 47 || line.charCodeAt(s + 11) !== 58 || line.charCodeAt(s + 14) !== 58 || line.charCodeAt(s + 17) !== 58 || line.charCodeAt(s + 20) !== SPACE) return NaN;
  const d = digits(line, s, 2), y = digits(line, s + 7, 4), h = digits(line, s + 12, 2), mi = digits(line, s + 15, 2), sec = digits(line, s + 18, 2);
  const mon = MONTHS.get(monthKey(line, s + 3));
  if (d < 0 || y < 0 || h < 0 || mi < 0 || sec < 0 || mon === undefined) return NaN;
  const sign = line.charCodeAt(s + 21);
  const zh = digits(line, s + 22, 2), zm = digits(line, s + 24, 2);
  if ((sign !== 43 && sign !== 45) || zh < 0 || zm < 0 || zh > 14 || zm > 59) return NaN;
  const off = (sign === 45 ? -1 : 1) * (zh * 60 + zm);
  if (mon < 0 || mon > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return NaN;
  // Consecutive lines share their day and zone: Date.UTC runs once per (day, zone), the time of day
  // is added (Date.UTC is linear in hours, minutes and seconds, overflowing days included).
  const dayKey = ((y * 12 + mon) * 32 + d) * 2000 + off + 1000;
  if (dayKey !== clfDayKey) {
    const base = utcMs(y, mon, d, 0, 0, 0, 0, off);
    if (Number.isNaN(base)) return NaN;
    clfDayKey = dayKey;
    clfDayBase = base;
    clfDayOffset = off;
    // Copies (12 and 6 characters: V8 copies slices that short), so the line is not kept alive.
    clfDayText = line.slice(s, s + 12);
    clfZoneText = line.slice(s + 20, s + 26);
  }
  lastOffsetMinutes = off;
  return clfDayBase + h * 3_600_000 + mi * 60_000 + sec * 1000;
}

/** The last (day, zone) converted: its key, its midnight in UTC ms, its offset, and its text (`27/Nov/2026:`, ` +0100`). */
let clfDayKey = -1;
let clfDayBase = 0;
let clfDayOffset = 0;
let clfDayText = '\0';
let clfZoneText = '\0';

/** `2026-11-27T10:00:00+01:00`, `...Z`, `...+0100`, fractions of a second, or no zone (UTC) → UTC ms, or NaN. */
export function parseIsoTime(line: string, s: number = 0, e: number = line.length): number {
  if (e - s < 19) return NaN;
  const y = digits(line, s, 4), mon = digits(line, s + 5, 2), d = digits(line, s + 8, 2);
  const sep = line.charCodeAt(s + 10);
  const h = digits(line, s + 11, 2), mi = digits(line, s + 14, 2), sec = digits(line, s + 17, 2);
  if (y < 0 || mon < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || line.charCodeAt(s + 4) !== 45 || line.charCodeAt(s + 7) !== 45 || (sep !== 84 && sep !== SPACE) || line.charCodeAt(s + 13) !== 58 || line.charCodeAt(s + 16) !== 58) return NaN;
  let i = s + 19;
  let ms = 0;
  if (line.charCodeAt(i) === 46 || line.charCodeAt(i) === 44) {
    let j = i + 1;
    let scale = 100;
    while (j < e) {
      const c = line.charCodeAt(j) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale /= 10;
      j++;
    }
    ms = Math.floor(ms);
    i = j;
  }
  let off = 0;
  if (i < e) {
    const z = line.charCodeAt(i);
    if (z === 90) i++;
    else if (z === 43 || z === 45) {
      const zh = digits(line, i + 1, 2);
      const colon = line.charCodeAt(i + 3) === 58 ? 1 : 0;
      const zm = digits(line, i + 3 + colon, 2);
      if (zh < 0 || zm < 0) return NaN;
      off = (z === 45 ? -1 : 1) * (zh * 60 + zm);
      i += 5 + colon;
    }
    if (i !== e) return NaN;
  }
  return utcMs(y, mon - 1, d, h, mi, sec, ms, off);
}

// ---------------------------------------------------------------------------------------------
// Convenience and detection

const scanners = new WeakMap<CompiledFormat, LineScanner>();
const compiled = new Map<string, CompiledFormat>();

/** Parses one line; undefined when it does not fit the format. */
export function parseLogLine(line: string, format: CompiledFormat | string): AccessLogEntry | undefined {
  let f: CompiledFormat;
  if (typeof format === 'string') {
    const known = compiled.get(format);
    if (known) f = known;
    else {
      f = compileLogFormat(format);
      if (compiled.size < 100) compiled.set(format, f);
    }
  } else f = format;
  let sc = scanners.get(f);
  if (!sc) scanners.set(f, (sc = new LineScanner(f)));
  return sc.scan(line) ? sc.entry() : undefined;
}

/**
 * Picks the named format that fits the sample best (lines that fit it exactly, with nothing after
 * the last field, count most); undefined when none fits any line. The candidates are tried from
 * the richest: a combined line also fits "common" with text left over.
 */
export function detectLogFormat(sample: readonly string[]): CompiledFormat | undefined {
  let best: CompiledFormat | undefined;
  let bestScore = 0;
  for (const name of ['vhost_combined', 'combined', 'common'] as const) {
    const format = compileLogFormat(name);
    const sc = new LineScanner(format);
    let score = 0;
    for (const line of sample) {
      if (line.length === 0) continue;
      if (sc.scan(line)) score += sc.trailing ? 1 : 2;
    }
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return best;
}
