// Server access-log analysis: who is getting 401s on the store's REST API, and what looks like key
// guessing, leaked credentials, a revoked key still in use, or a client awake at odd hours.
//
// `AccessLogAnalyzer` is fed one line at a time and keeps only counters and small bounded state per
// client, endpoint and user agent (about 0.7 KB per client seen on the REST API), never the lines,
// so a file of any size streams through it (`analyzeFile` reads plain or gzip files in chunks). Only WooCommerce and WordPress REST traffic
// is analysed: `/wp-json/wc/…`, `/wp-json/wp/…`, `?rest_route=/wc/…` or `/wp/…`, and the legacy
// `/wc-api/…`; other lines are parsed (to count the malformed ones) and otherwise ignored.
//
// Secrets: a consumer key is only ever reported as its last 7 characters (WooCommerce's own
// `truncated_key`, `ck_…abc1234`); a consumer secret's value is never kept nor reported, only the
// fact that one was sent. Full keys live in memory while the analysis runs (to tell keys apart) and
// never reach the report.
//
// The same analyzer follows a live log (`live` option, see live.ts): each finding is then an
// *episode*, announced once when it passes its threshold and resolved when it stops (nothing new for
// its quiet period, or the client succeeded again), and memory stays bounded however long it runs:
// idle clients are evicted, a client's consumer keys are counted within a window, and only open and
// recently resolved episodes are kept.
//
// Pure apart from `analyzeFile`/`analyzeStream` (node:fs, node:zlib): no `vscode`.

import { createReadStream, existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { join } from 'node:path';
import { MASK, redactText, truncatedKey } from '../redact';
import { addressInRanges, type AddressRange } from './address-range';
import { Field, LineScanner, compileLogFormat, detectLogFormat, schemeField, textAt, type CompiledFormat } from './parse';
import {
  CHUNK_BYTES, CLAIMED_BY_MAIN, CLAIMED_BY_WORKER, FLOATS, INTS, NEEDS_AUTH, READ_BYTES, SCHEME_HTTP, SCHEME_HTTPS, SECRET_IN_QUERY, WorkerShare, planSegments, readRange,
  type LineRecorder, type Segment, type SegmentCounts, type SegmentRecords, type WorkerJob,
} from './split';

// ---------------------------------------------------------------------------------------------
// Options and report

export interface AccessLogThresholds {
  /** A burst: at least this many 401s from one client… */
  burstCount: number;
  /** …within this many seconds. */
  burstWindowSeconds: number;
  /** One client sending at least this many different consumer keys. */
  distinctKeys: number;
  /** Success then failure: at least this many authenticated 2xx answers before… */
  successesBeforeFailure: number;
  /** …this many 401s in a row (403s and other answers in between neither count nor break the run). */
  failuresInARow: number;
  /** Unusual hours are judged only for a client with this many earlier requests… */
  unusualHourMinHistory: number;
  /** …spread over at least this many days (in the log's own time zone)… */
  unusualHourMinDays: number;
  /** …and a request is unusual when at most this share of those requests fell within an hour of its hour of day. */
  unusualHourMaxShare: number;
}

export interface AccessLogOptions extends Partial<AccessLogThresholds> {
  /** `combined`, `common`, `vhost_combined`, or an Apache LogFormat / nginx log_format string. Detected when absent. */
  format?: string;
  /**
   * The scheme to assume when a line does not tell it (no scheme, HTTPS or port field and no
   * `:80`/`:443` on the virtual host). Without it, such requests are "scheme unknown".
   */
  assumeScheme?: 'http' | 'https';
  /** Rows in each top table (endpoints, clients, user agents). */
  topN?: number;
  /** Line numbers kept per finding and per table row (the count of lines is always exact). */
  maxLinesPerFinding?: number;
  /** Clients tracked one by one (beyond: counted together, no anomaly detection for them). */
  maxTrackedClients?: number;
  /** Endpoints and user agents tracked one by one (beyond: counted as "(other)"). */
  maxTrackedGroups?: number;
  /** Non-blank lines read before the format is detected. */
  detectLines?: number;
  /** Lines dated before this (UTC ms) are read and counted, not analysed: `--since`. */
  sinceMs?: number;
  /** The answers a burst counts: [401] (the default) or [401, 403]. */
  burstStatuses?: readonly number[];
  /** Different consumer keys are counted within this many seconds (0: the whole log; following: a day). */
  keyWindowSeconds?: number;
  /** Following: an episode is resolved when nothing joins it for this many seconds (bursts: their window). */
  resolveAfterSeconds?: number;
  /** Authenticated REST requests in these hours are findings of their own (`quiet-hours`). */
  quietHours?: QuietHours;
  /** Detectors turned off. */
  off?: readonly AccessLogFindingKind[];
  /** Clients never reported: address ranges, and user agents containing one of these (lower-case) texts. Still counted in the tables. */
  allow?: { ranges: readonly AddressRange[]; agents: readonly string[] };
  /** REST routes that matter more (`/wc/v3/orders`, `/customers`): a finding that involves one is one severity higher. */
  important?: readonly string[];
  /** Following a live log: episodes are announced and resolved through these hooks. */
  live?: LiveHooks;
}

/** A span of the day, in minutes after midnight (`fromMinute` > `toMinute` spans midnight). */
export interface QuietHours {
  fromMinute: number;
  toMinute: number;
  /** The zone the span is in, minutes east of UTC; absent: each line's own zone. */
  offsetMinutes?: number;
  /** As the rules wrote it (`22:00-06:00 +01:00`). */
  text: string;
}

/** How an episode ended: nothing new for its quiet period, or the client was answered 2xx again. */
export type EpisodeEnd = 'quiet' | 'recovered';

/** One finding of a followed log, as it stands when announced or resolved. */
export interface Episode {
  /** Unique within one analyzer: a counter, the kind and the client. */
  id: string;
  finding: AccessLogFinding;
  /** Global numbers (in feeding order, from 1) of its first and last lines. */
  firstLine: number;
  lastLine: number;
  /** The text of its last line, secrets masked. */
  lastText?: string;
  /** Resolved only: how, and the log time it ended (its last line's time plus the quiet period, or the recovery). */
  end?: EpisodeEnd;
  endMs?: number;
}

export interface LiveHooks {
  raised(e: Episode): void;
  resolved(e: Episode): void;
  /** The time given to a line whose format has no time (UTC ms): when it was read. */
  clock(): number;
  /** A client with no open episode is forgotten after this many idle seconds (default: 10 minutes, or the longest window)… */
  idleSeconds?: number;
  /** …or this many when it has a history worth keeping (successes before a failure, an hour-of-day profile); default 7 days. */
  retainSeconds?: number;
}

export const DEFAULT_THRESHOLDS: Readonly<AccessLogThresholds> = Object.freeze({
  burstCount: 20,
  burstWindowSeconds: 60,
  distinctKeys: 5,
  successesBeforeFailure: 3,
  failuresInARow: 5,
  unusualHourMinHistory: 50,
  unusualHourMinDays: 3,
  unusualHourMaxShare: 0.01,
});

export type Severity = 'error' | 'warning' | 'info';

export type AccessLogFindingKind =
  | 'credentials-over-http' //  a consumer secret (query) or Basic credentials sent over plain HTTP
  | 'many-consumer-keys' //     one client, many different consumer keys
  | 'auth-burst' //             many 401s from one client in a short window
  | 'success-then-failure' //   worked, then 401s in a row: a revoked or rotated key still in use
  | 'secret-in-query' //        a consumer secret in a URL over HTTPS or an unknown scheme: it is in the log
  | 'unusual-hour' //           a request far outside the client's usual hours
  | 'quiet-hours'; //           an authenticated request within the quiet hours the rules set

export interface AccessLogFinding {
  kind: AccessLogFindingKind;
  severity: Severity;
  /** The client's address (IPv4, or IPv6 in lower case). */
  client: string;
  title: string;
  /** Plain words: what happened, what it probably means, what to do. */
  message: string;
  /** 1-based line numbers involved, ascending, at most `maxLinesPerFinding`. */
  lines: number[];
  /** How many lines are involved in all. */
  lineCount: number;
  /** UTC ms of the first and last line involved (absent when the format has no time). */
  firstMs?: number;
  lastMs?: number;
  /** The zone its times are written in (the log's offset, minutes east of UTC), when it has times. */
  offsetMinutes?: number;
  /** The consumer keys involved, masked to their last 7 characters. */
  keys?: string[];
  userAgents?: string[];
  /** The important routes (from the rules) its requests went to; the severity was raised for them. */
  routes?: string[];
}

export interface TimelineBucket {
  /** UTC ms of the bucket's start. */
  startMs: number;
  ok: number; //           2xx
  unauthorized: number; // 401
  forbidden: number; //    403
  other: number;
}

export interface GroupSummary {
  /** "GET /wp-json/wc/v3/products/<id>", a client address, or a user agent. */
  key: string;
  total: number;
  ok: number;
  unauthorized: number;
  forbidden: number;
  other: number;
  firstMs?: number;
  lastMs?: number;
  /** Non-empty buckets only, at the report's `bucketMs`. */
  series: TimelineBucket[];
  /** 1-based lines of its first 401/403 answers (at most `maxLinesPerFinding`). */
  failureLines: number[];
}

export interface AccessLogReport {
  format: { name: string; spec: string; detected: boolean };
  lines: {
    total: number;
    blank: number;
    parsed: number;
    malformed: number;
    /** The first malformed lines (1-based, at most 100). */
    malformedSample: number[];
    /** Parsed lines that are WooCommerce/WordPress REST requests. */
    rest: number;
    /** Parsed lines dated before `sinceMs` (read, not analysed). */
    beforeSince?: number;
    /** REST requests from allowed clients (counted in the tables, never in findings). */
    allowed?: number;
  };
  firstMs?: number;
  lastMs?: number;
  /**
   * The log's own UTC offset (minutes east), the one every time of the report is written in: the
   * offset of its first dated line (a log that changes offset, at a daylight-saving change, is
   * still shown in one zone). Absent when no line has a time.
   */
  offsetMinutes?: number;
  /** The width of a timeline bucket, chosen by the span: 1 min, 5 min, 15 min, 1 h, 6 h, 1 day or 7 days. */
  bucketMs: number;
  /** Every bucket from the first REST request to the last, zeros included. */
  timeline: TimelineBucket[];
  totals: { ok: number; unauthorized: number; forbidden: number; other: number };
  /** The top rows by 401+403, then by requests. */
  endpoints: GroupSummary[];
  clients: GroupSummary[];
  userAgents: GroupSummary[];
  distinct: { endpoints: number; clients: number; userAgents: number };
  /** Errors first, then warnings, then information; by time within each. */
  findings: AccessLogFinding[];
  thresholds: AccessLogThresholds;
  /** Limits of this analysis worth knowing (scheme unknown, caps reached, ...). */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const OK = 0, UNAUTHORIZED = 1, FORBIDDEN = 2, OTHER = 3;
const MINUTE = 60_000, HOUR = 3_600_000, DAY = 86_400_000;
/** Bucket widths; each divides the next, so a series can be re-bucketed exactly. */
const BUCKET_LADDER = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, DAY, 7 * DAY];
const MAX_BUCKETS = 300;
const MALFORMED_SAMPLE = 100;
const MAX_KEYS_PER_CLIENT = 1000;
const MAX_LINE_CHARS = 1 << 20;

/**
 * A copy of `s` that does not point into the text it was cut from. V8 makes `slice` of a long
 * string a view into it: a user agent kept as a map key would otherwise hold the whole chunk
 * of the file it came from in memory, for every distinct key (hundreds of MB on a big log).
 */
function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

function statusClass(status: number): number {
  if (status >= 200 && status < 300) return OK;
  if (status === 401) return UNAUTHORIZED;
  if (status === 403) return FORBIDDEN;
  return OTHER;
}

/**
 * A consumer key as WooCommerce shows it: its last 7 characters. A consumer secret sent where the
 * key belongs (the pair swapped, a common mistake) shows nothing; a value too short for 7
 * characters to hide most of it (a typo, a probe) is described instead of shown.
 */
export function maskConsumerKey(value: string): string {
  if (value.startsWith('cs_')) return `cs_${MASK}`;
  if (value.length === 11 && value.startsWith('ck_…')) return value; // already masked (the request log's own lines)
  if (value.length < 14) return `(a ${value.length}-character value)`;
  return `${value.startsWith('ck_') ? 'ck_' : ''}…${truncatedKey(value)}`;
}

/** A logged Basic user: a consumer key is masked, a WordPress login is shown. */
function maskUser(user: string): string {
  return user.startsWith('ck_') ? maskConsumerKey(user) : redactText(user);
}

/** One spelling per address: brackets dropped, IPv6 in lower case, IPv4-mapped IPv6 as IPv4. */
export function normaliseAddress(a: string): string {
  if (a.charCodeAt(0) === 91 /* [ */) a = a.slice(1, a.endsWith(']') ? -1 : undefined);
  if (a.indexOf(':') < 0) return a;
  a = a.toLowerCase();
  if (a.startsWith('::ffff:') && a.indexOf('.') > 0) return a.slice(7);
  return a;
}

/** Whether path[s, e) is an id: all digits, or a UUID / long hex string with a digit. */
function isIdSegment(path: string, s: number, e: number): boolean {
  const n = e - s;
  if (n <= 0) return false;
  let digits = 0;
  let hex = true;
  for (let i = s; i < e; i++) {
    const c = path.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (!((c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 45)) hex = false;
  }
  if (digits === n) return true;
  return hex && digits > 0 && n >= 16;
}

/** `/wp-json/wc/v3/orders/123/notes/45/` → `/wp-json/wc/v3/orders/<id>/notes/<id>`. */
export function normaliseRoute(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  let out: string | undefined;
  let copied = 0;
  let s = 0;
  while (s <= end) {
    let e = path.indexOf('/', s);
    if (e < 0 || e > end) e = end;
    if (isIdSegment(path, s, e)) {
      out = (out ?? '') + path.slice(copied, s) + '<id>';
      copied = e;
    }
    s = e + 1;
  }
  if (out === undefined) return end === path.length ? path : path.slice(0, end);
  return out + path.slice(copied, end);
}

interface RestRoute {
  /** The endpoint as shown in tables: path with ids normalised (and `?rest_route=` when used). */
  endpoint: string;
  /** Whether WooCommerce answers it only to an authenticated caller (wc/* except the Store API, wc-api). */
  needsAuth: boolean;
}

function safeDecode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The REST route of a request path and query, or undefined when it is not WooCommerce/WordPress REST traffic. */
export function restRouteOf(path: string, restRoute: string | undefined): RestRoute | undefined {
  const i = path.indexOf('/wp-json/');
  if (i >= 0) {
    const r = i + 8; // the route, from its "/"
    const wc = textAt(path, r, '/wc/');
    if (wc || textAt(path, r, '/wp/')) {
      return { endpoint: normaliseRoute(path), needsAuth: wc && !textAt(path, r, '/wc/store') };
    }
  }
  const j = path.indexOf('/wc-api/');
  if (j >= 0) return { endpoint: normaliseRoute(path), needsAuth: true };
  if (restRoute !== undefined) {
    const route = safeDecode(restRoute);
    if (route.startsWith('/wc/') || route.startsWith('/wp/')) {
      return { endpoint: `${path}?rest_route=${normaliseRoute(route)}`, needsAuth: route.startsWith('/wc/') && !route.startsWith('/wc/store') };
    }
  }
  return undefined;
}

/** What a query string says about credentials. Values of secrets are never kept. */
interface QueryFacts {
  consumerKey?: string;
  consumerSecret: boolean;
  oauthConsumerKey?: string;
  restRoute?: string;
}

/** The query string in text[from, to) (without its "?"); names are compared in place, only the values wanted are cut. */
function readQuery(text: string, from: number, to: number): QueryFacts {
  // The facts are gathered in locals and the object is made once, at the end, with every field: one
  // object shape whatever the query holds, and no field written after the object is made (shapes
  // that differed by the parameters met, or a field first written late in the file, each sent the
  // optimised code of the line loop back to the interpreter).
  let consumerKey: string | undefined;
  let consumerSecret = false;
  let oauthConsumerKey: string | undefined;
  let restRoute: string | undefined;
  let start = from;
  while (start <= to) {
    let end = text.indexOf('&', start);
    if (end < 0 || end > to) end = to;
    const eq = text.indexOf('=', start);
    const nameEnd = eq >= 0 && eq < end ? eq : end;
    switch (nameEnd - start) {
      case 12:
        if (textAt(text, start, 'consumer_key')) consumerKey = safeDecode(text.slice(nameEnd + 1, end));
        break;
      case 15:
        if (textAt(text, start, 'consumer_secret')) consumerSecret = nameEnd < end - 1;
        break;
      case 18:
        if (textAt(text, start, 'oauth_consumer_key')) oauthConsumerKey = safeDecode(text.slice(nameEnd + 1, end));
        break;
      case 10:
        if (textAt(text, start, 'rest_route')) restRoute = text.slice(nameEnd + 1, end);
        break;
    }
    start = end + 1;
  }
  return { consumerKey, consumerSecret, oauthConsumerKey, restRoute };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `2026-11-27 10:00:00 UTC`, or in the zone the log wrote (`... +01:00`). */
export function formatTime(ms: number, offsetMinutes?: number): string {
  const off = offsetMinutes ?? 0;
  const d = new Date(ms + off * MINUTE);
  const base = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  if (offsetMinutes === undefined) return `${base} UTC`;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${base} ${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

/** `+01:00`, `-05:30`: an offset in minutes east of UTC as logs write it. */
export function offsetText(offsetMinutes: number): string {
  const a = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

/** `45 s`, `2 min 10 s`, `3 h 5 min`, `2 days 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  const days = Math.floor(s / 86400);
  return `${days} day${days === 1 ? '' : 's'}${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)} h` : ''}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

function listShort(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

// ---------------------------------------------------------------------------------------------
// State

/**
 * The worker's string table and what was looked up by its ids (see replaySegment). The lists are
 * kept at the table's length and filled, so that reading one is never out of bounds and their
 * element kinds never change: either sent the optimised replay back to the interpreter.
 */
class ReplayIds {
  readonly strs: string[] = [];
  readonly clientOf: Array<Client | undefined> = [];
  readonly groupOf: Array<Group | undefined> = [];
  readonly groupMethod: number[] = [];
  readonly maskedOf: Array<string | undefined> = [];

  /** The worker's next strings, in id order. */
  append(strings: readonly string[]): void {
    for (const s of strings) {
      this.strs.push(s);
      this.clientOf.push(undefined);
      this.groupOf.push(undefined);
      this.groupMethod.push(-1);
      this.maskedOf.push(undefined);
    }
  }
}

/**
 * Counters and a sparse timeline for one endpoint, client or user agent. Kept small, as there can
 * be a hundred thousand clients: the first [key, count] pair (key = bucket * 4 + status class) is
 * held in two fields (most clients of a flood send one line), the next ones in a flat
 * [key, count, ...] array sorted by key and searched from its end: logs come in time order, so a key
 * is nearly always the last one or a new last one. (A Map past 16 keys cost two hash lookups per new
 * key, the most expensive line of the whole analysis on the benchmark's log.)
 */
class Group {
  total = 0;
  ok = 0;
  unauthorized = 0;
  forbidden = 0;
  other = 0;
  firstMs = Infinity;
  lastMs = -Infinity;
  private k0 = -1;
  private v0 = 0;
  private series?: number[];
  /**
   * The key of the latest line and the lines counted under it since: written to the series only when
   * the key changes (or the series is read). A log comes in time order and mostly 2xx, so most lines
   * of a group fall in its latest bucket and class, and count without searching the series.
   */
  private ck = -1;
  private cv = 0;
  failureLines?: number[];
  constructor(public key: string) {}

  /** Back to a new group's state under another key, its small arrays emptied for reuse (see Client.reuse). */
  protected resetGroup(key: string): void {
    this.key = key;
    this.total = this.ok = this.unauthorized = this.forbidden = this.other = 0;
    this.firstMs = Infinity;
    this.lastMs = -Infinity;
    this.k0 = -1;
    this.v0 = 0;
    this.series = undefined;
    this.ck = -1;
    this.cv = 0;
    if (this.failureLines) this.failureLines.length = 0;
  }

  add(cls: number, t: number, bucket: number, line: number, maxLines: number): void {
    this.total++;
    if (cls === OK) this.ok++;
    else if (cls === UNAUTHORIZED) this.unauthorized++;
    else if (cls === FORBIDDEN) this.forbidden++;
    else this.other++;
    if (t === t) {
      if (t < this.firstMs) this.firstMs = t;
      if (t > this.lastMs) this.lastMs = t;
      const k = bucket * 4 + cls;
      if (k === this.ck) this.cv++;
      else {
        if (this.ck >= 0) this.count(this.ck, this.cv);
        this.ck = k;
        this.cv = 1;
      }
    }
    if ((cls === UNAUTHORIZED || cls === FORBIDDEN) && maxLines > 0) {
      const fl = this.failureLines;
      if (fl === undefined) this.failureLines = [line];
      else if (fl.length < maxLines) fl.push(line);
    }
  }

  private count(k: number, by: number): void {
    if (this.k0 === k) {
      this.v0 += by;
      return;
    }
    if (this.k0 < 0) {
      this.k0 = k;
      this.v0 = by;
      return;
    }
    const s = this.series;
    if (s === undefined) {
      this.series = [k, by];
      return;
    }
    let i = s.length - 2;
    while (i >= 0 && s[i] > k) i -= 2;
    if (i >= 0 && s[i] === k) s[i + 1] += by;
    else if (i === s.length - 2) s.push(k, by);
    else s.splice(i + 2, 0, k, by); // an earlier bucket or class than the last: rare
  }

  /** Writes the latest key's count to the series. */
  private flush(): void {
    if (this.ck < 0) return;
    this.count(this.ck, this.cv);
    this.ck = -1;
    this.cv = 0;
  }

  /** [bucket * 4 + class, count] pairs. */
  *entries(): Iterable<[number, number]> {
    this.flush();
    if (this.k0 >= 0) yield [this.k0, this.v0];
    const s = this.series;
    if (s !== undefined) for (let i = 0; i < s.length; i += 2) yield [s[i], s[i + 1]];
  }

  get(k: number): number {
    this.flush();
    if (k === this.k0) return this.v0; // never in the series too: count() keeps it inline
    const s = this.series;
    if (s === undefined) return 0;
    // Sorted by key: a binary search over the pairs.
    let lo = 0, hi = (s.length >> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = s[mid * 2];
      if (at === k) return s[mid * 2 + 1];
      if (at < k) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  failures(): number {
    return this.unauthorized + this.forbidden;
  }

  /**
   * Each count moved to its bucket at a width `factor` times the current one. Read straight from the
   * fields and the series (no [key, count] pair per entry): this runs for every group, a hundred
   * thousand clients perhaps, each time the timeline widens.
   */
  rebucket(factor: number): void {
    this.flush();
    const k0 = this.k0, v0 = this.v0, s = this.series;
    this.k0 = -1;
    this.v0 = 0;
    this.series = undefined;
    if (k0 >= 0) this.count(rebucketed(k0, factor), v0);
    if (s !== undefined) for (let i = 0; i < s.length; i += 2) this.count(rebucketed(s[i], factor), s[i + 1]);
  }
}

/** A timeline key (bucket * 4 + class) at a width `factor` times its own. */
function rebucketed(k: number, factor: number): number {
  return Math.floor(Math.floor(k / 4) / factor) * 4 + (k % 4);
}

/** A finding being built; rendered to words at the end. */
interface Pending {
  kind: AccessLogFindingKind;
  client: Client;
  /** The client's address when it opened (its Client object may be reused for another once it is evicted). */
  who: string;
  lines: number[];
  lineCount: number;
  firstMs: number;
  lastMs: number;
  offset: number;
  keys: Set<string>;
  userAgents: Set<string>;
  /** Kind-specific facts for the message. */
  facts: Record<string, number | string | boolean | number[] | undefined>;
  // Following only:
  /** Set once announced (past its threshold); cleared when resolved. */
  id?: string;
  lastLine?: number;
  lastText?: string;
  end?: EpisodeEnd;
  endMs?: number;
  /** Important routes its lines went to (any mode, when the rules name some). */
  routes?: Set<string>;
  /** many-consumer-keys, once resolved: its keys (the client starts afresh). */
  keyRecords?: KeyRecord[];
}

interface KeyRecord {
  masked: string;
  firstLine: number;
  firstMs: number;
  lastMs: number;
  requests: number;
  unauthorized: number;
  ok: number;
}

class Client extends Group {
  // auth-burst: the last `burstCount` 401s as [time, line, time, line, ...], oldest first
  recent401?: number[];
  /** The masked key of each of those 401s, when one was sent (allocated only then). */
  recent401Keys?: Array<string | undefined>;
  burst?: Pending;
  // many-consumer-keys
  keys?: Map<string, KeyRecord>;
  keyLinesAfter?: Pending;
  // success-then-failure
  authOk = 0;
  lastOkMs = NaN;
  lastOkLine = 0;
  lastOkKey?: string;
  streak?: Pending;
  // credentials
  overHttp?: Pending;
  inQuery?: Pending;
  // unusual hours (hour of day in the log's own zone), of authenticated requests only
  hours?: number[];
  history = 0;
  dayCount = 0;
  lastDay = -Infinity;
  unusual?: Pending;
  /** The hours of the open unusual episode's requests: added to the profile once the episode is over. */
  deferred?: number[];
  // quiet hours (from the rules)
  quiet?: Pending;
  /** The user-agent group of its latest request (a client mostly sends one agent). */
  uaGroup?: Group;
  /**
   * That agent's text, set with uaGroup: a worker's string when the line was replayed (the very
   * string each of its lines with that agent carries, so comparing is comparing two references), else
   * the group's own copy (never a slice of a line, which would keep its whole chunk alive).
   */
  uaSeen?: string;
  /** Whether its address is in an allowed range (decided once). */
  allowed?: boolean;

  /**
   * Following: an evicted client's object, made new for another address. Under a flood of new
   * addresses, evicted clients would otherwise pile up in the old generation between full
   * collections (hundreds of MB of RSS for a few tens of MB alive).
   */
  reuse(key: string): this {
    this.resetGroup(key);
    if (this.recent401) this.recent401.length = 0;
    this.recent401Keys = this.burst = this.keys = this.keyLinesAfter = undefined;
    this.authOk = 0;
    this.lastOkMs = NaN;
    this.lastOkLine = 0;
    this.lastOkKey = this.streak = this.overHttp = this.inQuery = undefined;
    this.hours?.fill(0);
    this.history = this.dayCount = 0;
    this.lastDay = -Infinity;
    this.unusual = this.deferred = this.quiet = this.allowed = this.uaGroup = this.uaSeen = undefined;
    return this;
  }

  /** Following: when it was last (re)inserted in the client table, in insertions. */
  order = 0;
}

/** How a line's credentials travelled: the scheme, and how the log tells it. */
type Scheme = [('http' | 'https') | undefined, string];

/** The episode fields of a client, for following (each is undefined, or an episode in progress). */
const EPISODE_FIELDS = ['burst', 'keyLinesAfter', 'streak', 'overHttp', 'inQuery', 'unusual', 'quiet'] as const;

interface Resolved extends AccessLogThresholds {
  assumeScheme?: 'http' | 'https';
  topN: number;
  maxLines: number;
  maxClients: number;
  maxGroups: number;
  detectLines: number;
  sinceMs: number;
  burst403: boolean;
  keyWindowMs: number;
  resolveAfterMs: number;
  quietHours?: QuietHours;
  on: Record<AccessLogFindingKind, boolean>;
  allowRanges?: readonly AddressRange[];
  allowAgents?: readonly string[];
  important?: readonly string[];
}

/** Unusual hours: an episode (one night, say) is over after 3 hours without an unusual request. */
const UNUSUAL_EPISODE_MS = 3 * HOUR;
/** Following: resolved episodes kept for the live report. */
const RECENT_EPISODES = 100;
/** Following: lines between sweeps (episodes past their quiet period, idle clients). */
const SWEEP_EVERY_LINES = 4096;
/** Following: evicted client objects kept for reuse (a tenth of the default client cap). */
const SPARE_CLIENTS = 10_000;

// ---------------------------------------------------------------------------------------------
// The analyzer

export class AccessLogAnalyzer {
  private readonly o: Resolved;
  private scanner?: LineScanner;
  private format?: CompiledFormat;
  private detected = false;
  private formatNote?: string;
  private pending: string[] = [];
  private pendingNonBlank = 0;
  private skippingLongLine = false;
  private separateQuery = false;
  /** Whether the format logs the user agent. */
  private hasUserAgent = false;
  /** The worker's strings and what they were found to be, while replaying its segments. */
  private replayIds?: ReplayIds;
  /** A worker's analyzer: REST lines are recorded for the main thread, not analysed (see LineRecorder). */
  private readonly recorder?: LineRecorder;
  /** The end of the last `feedText` chunk, a line not finished yet. */
  private carry = '';

  private lineNo = 0;
  private blank = 0;
  private parsed = 0;
  private malformed = 0;
  private readonly malformedSample: number[] = [];
  private rest = 0;

  private bucketMs = MINUTE;
  private minMs = Infinity;
  /** The offset of the first dated line: every time shown is written in it (one zone per report). */
  private zone: number | undefined;
  private maxMs = -Infinity;
  private readonly overall = new Group('(all)');
  private readonly endpoints = new Map<string, Group>();
  /** The same groups by method, then by endpoint (see endpointGroup). */
  private readonly endpointsByMethod = new Map<string, Map<string, Group>>();
  private readonly clients = new Map<string, Client>();
  private readonly userAgents = new Map<string, Group>();
  private otherEndpoints?: Group;
  private otherClients?: Group;
  private otherUserAgents?: Group;
  private readonly findings: Pending[] = [];
  private secretsWithUnknownScheme = 0;
  private beforeSince = 0;
  private allowedLines = 0;
  /** The important route of the line being processed (when the rules name some). */
  private lineRoute: string | undefined;
  private finished?: AccessLogReport;
  // Following (see LiveHooks): the episodes announced and not yet resolved, the last resolved ones,
  // the episodes that passed their threshold on the current line (announced once it is processed).
  private readonly live?: LiveHooks;
  private readonly openEpisodes = new Set<Pending>();
  private readonly recentEpisodes: Pending[] = [];
  private announce: Pending[] = [];
  private episodeCount = 0;
  private linesSinceSweep = 0;
  private lastEvictionMs = -Infinity;
  private currentLine = '';
  private currentN = 0;
  private readonly idleMs: number = 0;
  private readonly retainMs: number = 0;
  /** Following: evicted clients' objects, for new clients to reuse. */
  private readonly spare: Client[] = [];
  /** Following: insertions in the client table so far (Client.order). */
  private insertions = 0;

  /** `recorder`: a worker's share of a file (split.ts), whose REST lines are recorded for the main thread. */
  constructor(options: AccessLogOptions = {}, recorder?: LineRecorder) {
    this.recorder = recorder;
    const pick = <K extends keyof AccessLogThresholds>(k: K): number => {
      const v = options[k];
      if (v === undefined) return DEFAULT_THRESHOLDS[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a number of 0 or more.`);
      return v;
    };
    this.o = {
      burstCount: Math.max(2, Math.floor(pick('burstCount'))),
      burstWindowSeconds: pick('burstWindowSeconds'),
      distinctKeys: Math.max(2, Math.floor(pick('distinctKeys'))),
      successesBeforeFailure: Math.max(1, Math.floor(pick('successesBeforeFailure'))),
      failuresInARow: Math.max(1, Math.floor(pick('failuresInARow'))),
      unusualHourMinHistory: Math.floor(pick('unusualHourMinHistory')),
      unusualHourMinDays: Math.max(1, Math.floor(pick('unusualHourMinDays'))),
      unusualHourMaxShare: pick('unusualHourMaxShare'),
      assumeScheme: options.assumeScheme,
      topN: options.topN ?? 20,
      maxLines: options.maxLinesPerFinding ?? 1000,
      maxClients: options.maxTrackedClients ?? 100_000,
      maxGroups: options.maxTrackedGroups ?? 10_000,
      detectLines: Math.max(1, options.detectLines ?? 50),
      sinceMs: options.sinceMs ?? -Infinity,
      burst403: options.burstStatuses?.includes(403) ?? false,
      keyWindowMs: (options.keyWindowSeconds ?? (options.live ? 86_400 : 0)) * 1000,
      resolveAfterMs: (options.resolveAfterSeconds ?? 600) * 1000,
      quietHours: options.quietHours,
      on: {
        'credentials-over-http': true, 'many-consumer-keys': true, 'auth-burst': true, 'success-then-failure': true,
        'secret-in-query': true, 'unusual-hour': true, 'quiet-hours': options.quietHours !== undefined,
      },
      allowRanges: options.allow?.ranges.length ? options.allow.ranges : undefined,
      allowAgents: options.allow?.agents.length ? options.allow.agents.map((a) => a.toLowerCase()) : undefined,
      important: options.important?.length ? options.important : undefined,
    };
    for (const k of options.off ?? []) this.o.on[k] = false;
    if (options.live) {
      this.live = options.live;
      // Only a few lines per episode are kept when following: its first and last are the evidence.
      if (options.maxLinesPerFinding === undefined) this.o.maxLines = 100;
      const longest = Math.max(this.o.burstWindowSeconds * 1000, this.o.resolveAfterMs, 10 * MINUTE);
      this.idleMs = (options.live.idleSeconds ?? 0) * 1000 || longest;
      this.retainMs = (options.live.retainSeconds ?? 0) * 1000 || 7 * DAY;
      // A live log is detected from the lines there are after a second (see flushDetection), not after 50.
    }
    if (options.format !== undefined) this.useFormat(compileLogFormat(options.format), false);
  }

  /** Lines fed so far (each line's global number is its position in feeding order, from 1). */
  get linesFed(): number {
    return this.lineNo;
  }

  /** The latest time of a REST request so far (UTC ms), -Infinity before the first. */
  get latestMs(): number {
    return this.maxMs;
  }

  /** Line counts so far. */
  get counts(): { total: number; blank: number; parsed: number; malformed: number; rest: number } {
    return { total: this.lineNo, blank: this.blank, parsed: this.parsed, malformed: this.malformed, rest: this.rest };
  }

  /** Why the format in use may be wrong (it was not recognised from the first lines), if so. */
  get formatProblem(): string | undefined {
    return this.formatNote;
  }

  /** Whether the format in use was detected (rather than given). */
  get formatDetected(): boolean {
    return this.detected;
  }

  /** The format in use (undefined until detected). */
  get currentFormat(): CompiledFormat | undefined {
    return this.format;
  }

  /** Feeds the next line of the log (without its line break). Lines are numbered from 1 in feeding order. */
  feed(line: string): void {
    const n = ++this.lineNo;
    if (this.scanner) {
      this.process(line, n);
      return;
    }
    this.pending.push(line);
    if (line.length > 0) this.pendingNonBlank++;
    if (this.pendingNonBlank >= this.o.detectLines) this.detect();
  }

  /** Feeds a chunk of text; a trailing partial line is kept for the next chunk (`finish()` feeds it). */
  feedText(text: string): void {
    let start = 0;
    if (this.skippingLongLine) {
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      this.skippingLongLine = false;
      start = nl + 1;
    } else if (this.carry.length > 0) {
      // The line cut by the previous chunk: joined alone, so the chunk itself is never copied.
      const nl = text.indexOf('\n');
      if (nl < 0) {
        this.carry += text;
        this.capCarry();
        return;
      }
      const joined = this.carry + text.slice(0, nl);
      this.carry = '';
      this.feed(joined.endsWith('\r') ? joined.slice(0, -1) : joined);
      start = nl + 1;
    }
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.feed(text.slice(start, end));
      start = nl + 1;
    }
    if (start < text.length) {
      this.carry = text.slice(start);
      this.capCarry();
    }
  }

  private capCarry(): void {
    if (this.carry.length > MAX_LINE_CHARS) {
      // A "line" of a megabyte is not an access-log line: count it once and skip to the next line break.
      this.lineNo++;
      this.countMalformed(this.lineNo);
      this.carry = '';
      this.skippingLongLine = true;
    }
  }

  /** Ends a `feedText` stream: the last line without a line break is fed. */
  end(): void {
    if (this.carry.length > 0) {
      const last = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
      this.carry = '';
      this.feed(last);
    }
  }

  private detect(): void {
    const sample = this.pending.filter((l) => l.length > 0);
    const found = detectLogFormat(sample);
    if (found) this.useFormat(found, true);
    else {
      this.useFormat(compileLogFormat('combined'), false);
      if (sample.length > 0) this.formatNote = `The format was not recognised from the first ${plural(sample.length, 'line')} (tried vhost_combined, combined and common); pass the server's LogFormat or log_format string.`;
    }
    const pending = this.pending;
    this.pending = [];
    const first = this.lineNo - pending.length + 1;
    for (let i = 0; i < pending.length; i++) this.process(pending[i], first + i);
  }

  private useFormat(format: CompiledFormat, detected: boolean): void {
    this.format = format;
    this.detected = detected;
    this.scanner = new LineScanner(format);
    this.hasUserAgent = format.index[Field.USER_AGENT] >= 0;
    // The query is logged apart from the request-target ($uri ... $args, or %U and %q not side by side).
    const ix = format.index;
    this.separateQuery = ix[Field.REQUEST] < 0 && ix[Field.REQUEST_URI] < 0 && (ix[Field.ARGS] >= 0 || (ix[Field.QUERY] >= 0 && ix[Field.QUERY] !== ix[Field.PATH] + 1));
  }

  private countMalformed(n: number): void {
    this.malformed++;
    if (this.malformedSample.length < MALFORMED_SAMPLE) this.malformedSample.push(n);
  }

  private process(line: string, n: number): void {
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0)) {
      this.blank++;
      return;
    }
    const sc = this.scanner!;
    if (!sc.scan(line)) {
      this.countMalformed(n);
      return;
    }
    this.parsed++;
    if (sc.timeMs < this.o.sinceMs) {
      this.beforeSince++;
      return;
    }

    // A cheap filter first: the REST markers somewhere in the request-target. Searched in the target
    // cut out (a view of the line, nothing copied), so that a search that finds nothing stops at its
    // end instead of running on through the referer and user agent.
    sc.locateTarget();
    const target = line.slice(sc.targetStart, sc.targetEnd);
    const te = target.length;
    const separateQuery = this.separateQuery;
    const qi = target.indexOf('?');
    const pathEnd = qi >= 0 ? qi : te;
    if (!separateQuery && !hasRestMarker(target, pathEnd)) return;

    const path = pathEnd === te ? target : target.slice(0, pathEnd);
    let q: QueryFacts | undefined;
    if (pathEnd + 1 < te) q = readQuery(target, pathEnd + 1, te);
    else if (separateQuery) {
      const query = (sc.optional(Field.ARGS) ?? sc.optional(Field.QUERY) ?? '').replace(/^\?/, '');
      if (query.length > 0) q = readQuery(query, 0, query.length);
    }
    const route = restRouteOf(path, q?.restRoute);
    if (!route) return;
    this.rest++;

    const live = this.live;
    // A live line without a time in its format is dated when it was read.
    const t = sc.timeMs === sc.timeMs || !live ? sc.timeMs : live.clock();
    const address = normaliseAddress(sc.text(Field.HOST)!);
    const ua = sc.optional(Field.USER_AGENT);
    const key = q?.consumerKey ?? q?.oauthConsumerKey;
    const secretInQuery = q?.consumerSecret === true;
    const user = sc.optional(Field.USER);
    const rec = this.recorder;
    if (rec !== undefined) {
      // A worker's share of a file (see access-log-worker.ts): the line's facts go to the main thread.
      rec.add(n, t, sc.utcOffsetMinutes, statusClass(sc.status), address, sc.method(), route.endpoint, route.needsAuth, ua, key, secretInQuery, user,
        secretInQuery || user !== undefined ? this.schemeOf(sc) : undefined);
      return;
    }
    const method = sc.method();
    const endpoint = route.endpoint;
    const maskedKey = key !== undefined ? maskConsumerKey(key) : user?.startsWith('ck_') ? maskConsumerKey(user) : undefined;
    this.restLine(
      n, t, sc.utcOffsetMinutes, statusClass(sc.status), address, this.clients.get(address), this.endpointGroup(method, endpoint), endpoint, route.needsAuth,
      ua, key, maskedKey, secretInQuery, user, sc, undefined, line,
    );
  }

  /**
   * What a REST line does to the tables and the detectors, from its facts: `sc` is the line's scanner
   * (its scheme is read only when the line carries credentials), or undefined when the facts come
   * from a worker, which read the scheme (`scheme`).
   */
  private restLine(
    n: number, t: number, off: number, cls: number, address: string, found: Client | undefined, endpointGroup: Group, endpoint: string, needsAuth: boolean,
    ua: string | undefined, key: string | undefined, maskedKey: string | undefined, secretInQuery: boolean, user: string | undefined,
    sc: LineScanner | undefined, scheme: Scheme | undefined, line: string,
  ): Client | undefined {
    const live = this.live;
    // The zone of the first dated line (a live line dated when read has none).
    if (this.zone === undefined && (live ? sc!.timeMs === sc!.timeMs : t === t)) this.zone = off;
    const bucket = t === t ? this.placeInTime(t) : -1;
    const maxLines = this.o.maxLines;

    let client = found;

    this.overall.add(cls, t, bucket, n, 0);
    endpointGroup.add(cls, t, bucket, n, maxLines);
    let uaGroup: Group | undefined;
    let uaKey = '';
    if (this.hasUserAgent) {
      // A client mostly sends one user agent: the group it used last is checked by comparing the
      // text, which costs less than hashing it for the table (and nothing in a replay: see uaSeen).
      uaKey = ua ?? '(none)';
      uaGroup = client !== undefined && client.uaSeen === uaKey ? client.uaGroup! : this.groupFor(this.userAgents, uaKey, 'ua');
      uaGroup.add(cls, t, bucket, n, maxLines);
      if (uaGroup === this.otherUserAgents) uaGroup = undefined; // not remembered: its key is not the agent's
    }

    if (!client) {
      // Following, idle clients make room for new ones; a batch analysis counts the rest together.
      if (this.clients.size >= this.o.maxClients && !(live && this.makeRoom())) {
        (this.otherClients ??= new Group('(other clients)')).add(cls, t, bucket, n, maxLines);
        return undefined;
      }
      const stored = detach(address);
      client = this.spare.pop()?.reuse(stored) ?? new Client(stored);
      this.clients.set(stored, client);
      client.order = ++this.insertions;
    } else if (live) {
      this.endQuietEpisodes(client, t);
      // Eviction takes the table's oldest entries: a client seen now that has fallen into the older
      // half moves to the end, so an active client is never evicted under a flood of new addresses
      // (moving it on every line would rehash the whole table every few seconds).
      if (this.insertions - client.order > this.o.maxClients >> 1) {
        this.clients.delete(client.key);
        this.clients.set(client.key, client);
        client.order = ++this.insertions;
      }
    }
    client.add(cls, t, bucket, n, maxLines);
    if (uaGroup !== undefined) {
      client.uaGroup = uaGroup;
      client.uaSeen = sc === undefined ? uaKey : uaGroup.key;
    }

    // Allowed clients (a monitoring service, the office) are counted, never reported.
    const o = this.o;
    if (o.allowRanges && client.allowed === undefined) client.allowed = addressInRanges(address, o.allowRanges);
    if (client.allowed || (o.allowAgents && ua !== undefined && allowedAgent(ua, o.allowAgents))) {
      this.allowedLines++;
      return client;
    }
    if (o.important) this.lineRoute = importantRoute(endpoint, o.important);
    this.currentN = n;
    if (live) this.currentLine = line;

    // Credentials this request carried, as far as the log shows them (maskedKey: the key, masked).
    const on = o.on;
    if ((secretInQuery || user !== undefined) && (on['credentials-over-http'] || on['secret-in-query'])) {
      this.credentials(client, scheme ?? this.schemeOf(sc!), n, t, off, secretInQuery, user, maskedKey, ua);
    }
    if (key !== undefined && on['many-consumer-keys']) this.consumerKey(client, key, cls, n, t, off, ua);
    if ((cls === UNAUTHORIZED || (cls === FORBIDDEN && o.burst403)) && t === t && on['auth-burst']) this.unauthorized(client, n, t, off, maskedKey, ua);
    const authenticated = needsAuth || key !== undefined || user !== undefined;
    if (on['success-then-failure']) this.successThenFailure(client, cls, authenticated, n, t, off, maskedKey, ua);
    // Hours only for requests that use credentials: "someone else using its key" means nothing for public reads.
    if (authenticated && t === t && (on['unusual-hour'] || on['quiet-hours'])) this.hourOfDay(client, n, t, off, ua);
    this.lineRoute = undefined;
    if (this.announce.length > 0) this.announceEpisodes();
    if (live && ++this.linesSinceSweep >= SWEEP_EVERY_LINES) this.sweep(this.maxMs);
    return client;
  }

  /**
   * A worker's segment of the file (split.ts), as if its lines were fed here: its REST lines go
   * through restLine in order, numbered after the lines fed so far, and its counts are added.
   */
  replaySegment(records: SegmentRecords): void {
    const base = this.lineNo;
    // The worker's string table and what was looked up by its ids, kept from one segment to the next
    // as the worker keeps its ids: a client (a batch analysis never removes one from its table), an
    // endpoint's group (with the method it was found for), a key's masked form.
    const ids = records.restart || this.replayIds === undefined ? (this.replayIds = new ReplayIds()) : this.replayIds;
    ids.append(records.strings);
    // A call per batch, not one loop over the segment: the batch loop is then optimised once and
    // reused, where a loop per segment was compiled anew (on-stack replacement) for every segment.
    for (const { ints, floats, count } of records.batches) this.replayBatch(ints, floats, count, base, ids);
    const e = records.end;
    for (const m of e.malformedSample) if (this.malformedSample.length < MALFORMED_SAMPLE) this.malformedSample.push(base + m);
    this.lineNo += e.lines;
    this.blank += e.blank;
    this.parsed += e.parsed;
    this.malformed += e.malformed;
    this.rest += e.rest;
    this.beforeSince += e.beforeSince;
  }

  private replayBatch(ints: Int32Array, floats: Float64Array, count: number, base: number, ids: ReplayIds): void {
    const { strs, clientOf, groupOf, groupMethod, maskedOf } = ids;
    for (let r = 0; r < count; r++) {
      const i = r * INTS, j = r * FLOATS;
      const flags = ints[i + 5];
      const how = ints[i + 9];
      const scheme: Scheme | undefined = how < 0 ? undefined : [flags & SCHEME_HTTP ? 'http' : flags & SCHEME_HTTPS ? 'https' : undefined, strs[how]];
      const who = ints[i + 2], verb = ints[i + 3], route = ints[i + 4], keyId = ints[i + 7], agentId = ints[i + 6], userId = ints[i + 8];
      const address = strs[who];
      let group = groupOf[route];
      if (group === undefined || groupMethod[route] !== verb) {
        group = groupOf[route] = this.endpointGroup(strs[verb], strs[route]);
        groupMethod[route] = verb;
      }
      const key = keyId < 0 ? undefined : strs[keyId];
      const user = userId < 0 ? undefined : strs[userId];
      const maskedKey = key !== undefined ? (maskedOf[keyId] ??= maskConsumerKey(key)) : user?.startsWith('ck_') ? maskConsumerKey(user) : undefined;
      const client = this.restLine(
        base + ints[i], floats[j], floats[j + 1], ints[i + 1], address, clientOf[who] ?? this.clients.get(address), group, strs[route], (flags & NEEDS_AUTH) !== 0,
        agentId < 0 ? undefined : strs[agentId], key, maskedKey, (flags & SECRET_IN_QUERY) !== 0, user, undefined, scheme, '',
      );
      if (client !== undefined) clientOf[who] = client;
    }
  }

  /** A worker's counts of the lines fed (split.ts). */
  segmentCounts(): SegmentCounts {
    return {
      lines: this.lineNo, blank: this.blank, parsed: this.parsed, malformed: this.malformed,
      malformedSample: this.malformedSample.slice(), rest: this.rest, beforeSince: this.beforeSince,
    };
  }

  // ---- time buckets

  /** The bucket of t at the current width, widening every series when the span outgrows MAX_BUCKETS. */
  private placeInTime(t: number): number {
    if (t < this.minMs) this.minMs = t;
    if (t > this.maxMs) this.maxMs = t;
    if ((this.maxMs - this.minMs) / this.bucketMs >= MAX_BUCKETS) {
      let next = this.bucketMs;
      for (const w of BUCKET_LADDER) {
        next = w;
        if ((this.maxMs - this.minMs) / w < MAX_BUCKETS) break;
      }
      if (next !== this.bucketMs) {
        const factor = next / this.bucketMs;
        this.bucketMs = next;
        this.overall.rebucket(factor);
        for (const g of this.endpoints.values()) g.rebucket(factor);
        for (const g of this.clients.values()) g.rebucket(factor);
        for (const g of this.userAgents.values()) g.rebucket(factor);
        this.otherEndpoints?.rebucket(factor);
        this.otherClients?.rebucket(factor);
        this.otherUserAgents?.rebucket(factor);
      }
    }
    return Math.floor(t / this.bucketMs);
  }

  /**
   * The group of "METHOD endpoint", found in a table per method: the key is not built (a new string
   * to flatten and hash) for every line, only for a new endpoint.
   */
  private endpointGroup(method: string, endpoint: string): Group {
    let byRoute = this.endpointsByMethod.get(method);
    if (byRoute === undefined) this.endpointsByMethod.set(detach(method), (byRoute = new Map()));
    let g = byRoute.get(endpoint);
    if (g === undefined) {
      g = this.groupFor(this.endpoints, `${method} ${endpoint}`, 'endpoint');
      if (g !== this.otherEndpoints) byRoute.set(detach(endpoint), g);
    }
    return g;
  }

  private groupFor(map: Map<string, Group>, key: string, which: 'endpoint' | 'ua'): Group {
    let g = map.get(key);
    if (g) return g;
    if (map.size >= this.o.maxGroups) {
      if (which === 'endpoint') return (this.otherEndpoints ??= new Group('(other endpoints)'));
      return (this.otherUserAgents ??= new Group('(other user agents)'));
    }
    key = detach(key);
    g = new Group(key);
    map.set(key, g);
    return g;
  }

  // ---- findings

  /** A new finding; `register: false` keeps it out of the report until `register(p)` (a streak not yet long enough). */
  private open(kind: AccessLogFindingKind, client: Client, offset: number, facts: Pending['facts'] = {}, register = true): Pending {
    const p: Pending = { kind, client, who: client.key, lines: [], lineCount: 0, firstMs: NaN, lastMs: NaN, offset: this.zone ?? offset, keys: new Set(), userAgents: new Set(), facts };
    if (register) this.register(p);
    return p;
  }

  /** A finding past its threshold: in the report; when following, announced once the current line is processed. */
  private register(p: Pending): void {
    if (!this.live) {
      this.findings.push(p);
      return;
    }
    p.id = `${++this.episodeCount}:${p.kind}:${p.who}`;
    this.openEpisodes.add(p);
    this.announce.push(p);
  }

  private note(p: Pending, n: number, t: number, maskedKey: string | undefined, ua: string | undefined): void {
    p.lineCount++;
    if (p.lines.length < this.o.maxLines) p.lines.push(n);
    if (t === t) {
      if (!(t >= p.firstMs)) p.firstMs = t;
      if (!(t <= p.lastMs)) p.lastMs = t;
    }
    if (maskedKey !== undefined && p.keys.size < 50) p.keys.add(maskedKey);
    if (ua !== undefined && p.userAgents.size < 5 && !p.userAgents.has(ua)) p.userAgents.add(detach(ua));
    if (this.lineRoute !== undefined && n === this.currentN) (p.routes ??= new Set()).add(this.lineRoute);
    if (this.live && !(n <= (p.lastLine ?? 0))) {
      p.lastLine = n;
      // A copy: a slice would keep the whole chunk of the log it was cut from alive.
      if (n === this.currentN) p.lastText = detach(this.currentLine);
    }
  }

  // ---- episodes (following)

  /** Announces the episodes that passed their threshold on the line just processed. */
  private announceEpisodes(): void {
    const list = this.announce;
    this.announce = [];
    const hasTime = this.hasTime();
    for (const p of list) if (p.id !== undefined && this.openEpisodes.has(p)) this.live!.raised(this.episodeOf(p, hasTime));
  }

  private episodeOf(p: Pending, hasTime = this.hasTime()): Episode {
    const e: Episode = {
      id: p.id!,
      finding: render(p, this.o, hasTime || this.live !== undefined),
      firstLine: p.lines.length ? Math.min(...p.lines) : p.lastLine ?? 0,
      lastLine: p.lastLine ?? (p.lines.length ? Math.max(...p.lines) : 0),
    };
    if (p.lastText !== undefined) e.lastText = redactText(p.lastText);
    if (p.end) {
      e.end = p.end;
      e.endMs = p.endMs;
    }
    return e;
  }

  /** How long an episode of this kind stays open without a new line. */
  private quietMs(p: Pending): number {
    if (p.kind === 'auth-burst') return this.o.burstWindowSeconds * 1000;
    if (p.kind === 'unusual-hour' || p.kind === 'quiet-hours') return UNUSUAL_EPISODE_MS;
    return this.o.resolveAfterMs;
  }

  /** The client's episodes whose quiet period passed before time t are resolved. */
  private endQuietEpisodes(client: Client, t: number): void {
    for (const field of EPISODE_FIELDS) {
      const p = client[field];
      if (p?.id !== undefined && t - p.lastMs > this.quietMs(p)) this.closeEpisode(p, 'quiet', p.lastMs + this.quietMs(p));
    }
  }

  /** Ends an announced episode: the client starts afresh for its kind, and the end is announced. */
  private closeEpisode(p: Pending, end: EpisodeEnd, atMs: number): void {
    if (!this.openEpisodes.delete(p)) return;
    const c = p.client;
    switch (p.kind) {
      case 'auth-burst': c.burst = undefined; break;
      case 'many-consumer-keys':
        p.keyRecords = [...(c.keys?.values() ?? [])];
        c.keyLinesAfter = undefined;
        c.keys = undefined;
        break;
      case 'success-then-failure': c.streak = undefined; break;
      case 'credentials-over-http': c.overHttp = undefined; break;
      case 'secret-in-query': c.inQuery = undefined; break;
      case 'quiet-hours': c.quiet = undefined; break;
      case 'unusual-hour':
        this.foldDeferredHours(c);
        c.unusual = undefined;
        break;
    }
    p.end = end;
    p.endMs = atMs;
    const e = this.episodeOf(p);
    p.id = undefined; // closed: a later line cannot reopen it
    p.lastText = undefined;
    this.recentEpisodes.push(p);
    if (this.recentEpisodes.length > RECENT_EPISODES) this.recentEpisodes.shift();
    this.live!.resolved(e);
  }

  /**
   * Following: resolves the episodes whose quiet period has passed by `nowMs` (log time), and forgets
   * idle clients (at most once a minute of log time). Called every few thousand lines and by the
   * follower's clock (LiveMonitor.tick), so that episodes end even when no line comes.
   */
  sweep(nowMs: number): void {
    this.linesSinceSweep = 0;
    if (!this.live || !(nowMs === nowMs) || nowMs === -Infinity) return;
    for (const p of [...this.openEpisodes]) {
      const quiet = this.quietMs(p);
      if (nowMs - p.lastMs > quiet) this.closeEpisode(p, 'quiet', p.lastMs + quiet);
    }
    if (nowMs - this.lastEvictionMs >= MINUTE) {
      this.lastEvictionMs = nowMs;
      for (const [k, c] of this.clients) {
        if (hasEpisode(c)) continue;
        if (nowMs - c.lastMs > (this.worthKeeping(c) ? this.retainMs : this.idleMs)) this.evict(k, c);
      }
    }
  }

  /** A client whose history matters beyond the short windows: it worked before (for a later failure) or has an hour profile. */
  private worthKeeping(c: Client): boolean {
    return c.authOk >= this.o.successesBeforeFailure || c.history >= Math.max(1, this.o.unusualHourMinHistory / 2);
  }

  /**
   * Following, with the client table full: forgets the clients seen least recently that have no
   * open episode, those without a history first, down to 90% of the cap (so this runs once per
   * tenth of the cap of new clients). False when every client has an open episode.
   */
  private makeRoom(): boolean {
    const target = Math.floor(this.o.maxClients * 0.9);
    for (const pass of [0, 1]) {
      for (const [k, c] of this.clients) {
        if (this.clients.size <= target) return true;
        if (hasEpisode(c) || (pass === 0 && this.worthKeeping(c))) continue;
        this.evict(k, c);
      }
    }
    return this.clients.size < this.o.maxClients;
  }

  private evict(key: string, c: Client): void {
    this.clients.delete(key);
    // Safe to reuse: an evicted client has no open episode, and a resolved one names its client by
    // `who` and keeps its keys (keyRecords), never reading the client object again.
    if (this.spare.length < SPARE_CLIENTS) this.spare.push(c);
  }

  private foldDeferredHours(c: Client): void {
    const episode = c.unusual;
    if (!episode || !c.deferred || !c.hours) return;
    for (let h = 0; h < 24; h++) c.hours[h] += c.deferred[h];
    c.history += episode.lineCount;
    c.deferred = undefined;
  }

  /** Following a quiet log: detects the format from the lines there are (fewer than `detectLines`). */
  detectNow(): void {
    if (!this.scanner && this.pendingNonBlank > 0) this.detect();
  }

  /** The episodes announced and not resolved, as they stand now. */
  openNow(): Episode[] {
    const hasTime = this.hasTime();
    return [...this.openEpisodes].map((p) => this.episodeOf(p, hasTime));
  }

  private hasTime(): boolean {
    const ix = this.scanner?.format.index;
    return ix !== undefined && (ix[Field.TIME_CLF] >= 0 || ix[Field.TIME_ISO] >= 0 || ix[Field.TIME_SEC] >= 0 || ix[Field.TIME_MSEC] >= 0 || ix[Field.TIME_USEC] >= 0 || ix[Field.TIME_SEC_FRAC] >= 0);
  }

  /**
   * Credentials that the log shows were sent where they should not be.
   *
   * The scheme is what the server saw, taken in this order: a scheme/HTTPS/SSL field of the format;
   * the server port (80/8080 plain, 443/8443 TLS); a `:80`/`:443` suffix on the logged virtual host;
   * `assumeScheme`. Limits: behind a proxy or load balancer that terminates TLS, the server sees
   * plain HTTP for requests the client sent over HTTPS (log `X-Forwarded-Proto` to know); an HTTP
   * request answered with a redirect to HTTPS still carried its query in clear, so it counts; and
   * an access log shows Basic credentials only as the user name (nginx's `$remote_user`, Apache's `%u`
   * when Apache itself authenticated), never the password.
   *
   * OAuth 1.0a parameters in the query (`oauth_consumer_key`, `oauth_signature`, ...) are not
   * reported: over plain HTTP that is the method WooCommerce requires, and the secret itself is
   * never sent, only a signature valid for one timestamp and nonce.
   */
  private credentials(client: Client, schemeFacts: Scheme, n: number, t: number, off: number, secretInQuery: boolean, user: string | undefined, maskedKey: string | undefined, ua: string | undefined): void {
    const [scheme, how] = schemeFacts;
    if (scheme === 'http') {
      if (!this.o.on['credentials-over-http']) return;
      const p = (client.overHttp ??= this.open('credentials-over-http', client, off, { how, secret: 0, basic: 0 }));
      if (secretInQuery) p.facts.secret = (p.facts.secret as number) + 1;
      if (user !== undefined && !secretInQuery) {
        p.facts.basic = (p.facts.basic as number) + 1;
        p.facts.user ??= detach(maskUser(user));
        p.facts.userIsKey ??= user.startsWith('ck_');
      }
      this.note(p, n, t, maskedKey, ua);
    } else if (secretInQuery && this.o.on['secret-in-query']) {
      if (scheme === undefined) this.secretsWithUnknownScheme++;
      const p = (client.inQuery ??= this.open('secret-in-query', client, off, { unknown: 0 }));
      if (scheme === undefined) p.facts.unknown = (p.facts.unknown as number) + 1;
      this.note(p, n, t, maskedKey, ua);
    }
  }

  private schemeOf(sc: LineScanner): Scheme {
    const stated = schemeField(sc);
    if (stated) return [stated, 'as the log\'s scheme field says'];
    const port = sc.number(Field.PORT);
    if (port === 80 || port === 8080) return ['http', `server port ${port}`];
    if (port === 443 || port === 8443) return ['https', `server port ${port}`];
    const vhost = sc.text(Field.VHOST);
    if (vhost !== undefined) {
      if (/:(?:80|8080)$/.test(vhost)) return ['http', `virtual host ${vhost}`];
      if (/:(?:443|8443)$/.test(vhost)) return ['https', `virtual host ${vhost}`];
    }
    if (this.o.assumeScheme) return [this.o.assumeScheme, 'assumed: the log does not say'];
    return [undefined, 'unknown'];
  }

  private consumerKey(client: Client, key: string, cls: number, n: number, t: number, off: number, ua: string | undefined): void {
    const keys = (client.keys ??= new Map());
    let rec = keys.get(key);
    if (!rec) {
      // Within a window: keys not seen for longer are forgotten (not once an episode is open: its keys are its evidence).
      const windowMs = this.o.keyWindowMs;
      if (windowMs > 0 && !client.keyLinesAfter && t === t) {
        for (const [k, r] of keys) if (t - r.lastMs > windowMs) keys.delete(k);
      }
      if (keys.size >= MAX_KEYS_PER_CLIENT) return;
      rec = { masked: maskConsumerKey(key), firstLine: n, firstMs: t, lastMs: t, requests: 0, unauthorized: 0, ok: 0 };
      keys.set(detach(key), rec);
      if (keys.size >= this.o.distinctKeys && !client.keyLinesAfter) {
        // From here on every request with a key is part of the finding; before, the first line of each key.
        const p = (client.keyLinesAfter = this.open('many-consumer-keys', client, off));
        for (const r of keys.values()) if (r !== rec) this.note(p, r.firstLine, r.firstMs, r.masked, undefined);
      }
    }
    rec.requests++;
    if (t === t) rec.lastMs = t;
    if (cls === UNAUTHORIZED) rec.unauthorized++;
    else if (cls === OK) rec.ok++;
    if (client.keyLinesAfter) this.note(client.keyLinesAfter, n, t, rec.masked, ua);
  }

  /** The client's last `burstCount` 401s: a burst when the oldest is within the window of the newest. */
  private unauthorized(client: Client, n: number, t: number, off: number, maskedKey: string | undefined, ua: string | undefined): void {
    const size = this.o.burstCount;
    const windowMs = this.o.burstWindowSeconds * 1000;
    const active = client.burst;
    if (active && t - active.lastMs <= windowMs) {
      this.note(active, n, t, maskedKey, ua);
      return;
    }
    client.burst = undefined;
    let recent = client.recent401;
    if (recent === undefined) recent = client.recent401 = [t, n]; // a literal: two slots, most clients never get a second 401
    else recent.push(t, n);
    let keys = client.recent401Keys;
    if (keys === undefined && maskedKey !== undefined) keys = client.recent401Keys = new Array<string | undefined>(recent.length / 2 - 1).fill(undefined);
    keys?.push(maskedKey);
    if (recent.length > 2 * size) {
      recent.splice(0, 2);
      keys?.shift();
    }
    if (recent.length === 2 * size && t - recent[0] <= windowMs) {
      const p = (client.burst = this.open('auth-burst', client, off));
      for (let i = 0; i < recent.length; i += 2) this.note(p, recent[i + 1], recent[i], keys?.[i / 2], undefined);
      if (ua !== undefined) p.userAgents.add(detach(ua));
      client.recent401 = client.recent401Keys = undefined; // the next burst starts from fresh 401s
    }
  }

  private successThenFailure(client: Client, cls: number, authenticated: boolean, n: number, t: number, off: number, maskedKey: string | undefined, ua: string | undefined): void {
    if (cls === OK && authenticated) {
      const streak = client.streak;
      if (streak) {
        if (streak.lineCount >= this.o.failuresInARow) {
          streak.facts.recoveredMs = t;
          streak.facts.recoveredLine = n;
          if (streak.id !== undefined) this.closeEpisode(streak, 'recovered', t);
        }
        client.streak = undefined; // a shorter run of 401s was never registered: forgotten
      }
      client.authOk++;
      client.lastOkMs = t;
      client.lastOkLine = n;
      if (maskedKey !== undefined) client.lastOkKey = maskedKey;
    } else if (cls === UNAUTHORIZED && client.authOk >= this.o.successesBeforeFailure) {
      const p = (client.streak ??= this.open('success-then-failure', client, off, {
        successes: client.authOk, lastOkMs: client.lastOkMs, lastOkLine: client.lastOkLine, lastOkKey: client.lastOkKey,
      }, false));
      this.note(p, n, t, maskedKey, ua);
      if (p.lineCount === this.o.failuresInARow) this.register(p);
    }
  }

  /**
   * The client's hour-of-day profile so far (in the log's zone), judged before this request is added.
   * An unusual request joins the profile only when its episode is over (no unusual request for 3 h),
   * so that every request of one night is judged against the days before it; a client that moved
   * its schedule for good gets one finding per night until the new hours dominate its profile.
   */
  private hourOfDay(client: Client, n: number, t: number, off: number, ua: string | undefined): void {
    const o = this.o;
    // Quiet hours, from the rules: no history needed. Such requests do not shape the profile.
    if (o.quietHours && o.on['quiet-hours'] && inQuietHours(t, o.quietHours.offsetMinutes ?? off, o.quietHours)) {
      let p = client.quiet;
      if (p && !this.live && t - p.lastMs > UNUSUAL_EPISODE_MS) p = undefined; // another night, another finding
      if (!p) p = client.quiet = this.open('quiet-hours', client, off, { quiet: o.quietHours.text });
      this.note(p, n, t, undefined, ua);
      return;
    }
    if (!o.on['unusual-hour']) return;
    const local = t + off * MINUTE;
    const hour = ((Math.floor(local / HOUR) % 24) + 24) % 24;
    const day = Math.floor(local / DAY);
    const hours = (client.hours ??= new Array<number>(24).fill(0));
    const episode = client.unusual;
    if (episode && client.deferred && t - episode.lastMs > UNUSUAL_EPISODE_MS) {
      this.foldDeferredHours(client);
      client.unusual = undefined;
    }
    if (client.history >= o.unusualHourMinHistory && client.dayCount >= o.unusualHourMinDays) {
      const near = hours[(hour + 23) % 24] + hours[hour] + hours[(hour + 1) % 24];
      if (near <= o.unusualHourMaxShare * client.history) {
        let p = client.unusual;
        if (!p) p = client.unusual = this.open('unusual-hour', client, off, { history: client.history, days: client.dayCount, profile: hours.slice(), hour });
        this.note(p, n, t, undefined, ua);
        (client.deferred ??= new Array<number>(24).fill(0))[hour]++;
        return;
      }
    }
    hours[hour]++;
    client.history++;
    if (day > client.lastDay) {
      client.dayCount++;
      client.lastDay = day;
    }
  }

  // ---- the report

  /** Ends the analysis and builds the report (idempotent). */
  finish(): AccessLogReport {
    if (this.finished) return this.finished;
    this.end();
    if (!this.scanner) this.detect();
    this.finished = this.build(this.scanner!, this.findings);
    return this.finished;
  }

  /**
   * The report as it stands, without ending anything (following: the live report). Its findings are,
   * when following, the open episodes and the last resolved ones.
   */
  snapshot(): AccessLogReport {
    const sc = this.scanner ?? new LineScanner(this.format ?? compileLogFormat('combined'));
    return this.build(sc, this.live ? [...this.recentEpisodes, ...this.openEpisodes] : this.findings);
  }

  private build(sc: LineScanner, pendings: readonly Pending[]): AccessLogReport {
    const o = this.o;
    const notes: string[] = [];
    if (this.formatNote) notes.push(this.formatNote);
    const hasTime = sc.format.index[Field.TIME_CLF] >= 0 || sc.format.index[Field.TIME_ISO] >= 0 || sc.format.index[Field.TIME_SEC] >= 0 || sc.format.index[Field.TIME_MSEC] >= 0 || sc.format.index[Field.TIME_USEC] >= 0 || sc.format.index[Field.TIME_SEC_FRAC] >= 0;
    if (!hasTime && !this.live) notes.push('The format has no time field: no timeline, bursts, success-then-failure times or unusual hours.');
    if (!hasTime && this.live) notes.push('The format has no time field: each line is dated when it was read.');
    if (this.beforeSince > 0) notes.push(`${plural(this.beforeSince, 'line')} dated before the start of the window (--since) ${this.beforeSince === 1 ? 'was' : 'were'} read, not analysed.`);
    if (this.allowedLines > 0) notes.push(`${plural(this.allowedLines, 'REST request')} from allowed clients (the rules' allow lines) ${this.allowedLines === 1 ? 'is' : 'are'} counted in the tables and never reported.`);
    if (!sc.has(Field.USER_AGENT)) notes.push('The format has no user agent field (%{User-Agent}i, $http_user_agent): no user-agent table.');
    if (this.secretsWithUnknownScheme > 0) {
      notes.push(`${plural(this.secretsWithUnknownScheme, 'request')} sent a consumer secret in the query string, and this log does not say whether over HTTP or HTTPS (no scheme, HTTPS or port field). If the site serves plain HTTP, run again with --assume-scheme http (the assumeScheme option); logging $scheme (nginx) or %{HTTPS}e / %p (Apache) removes the doubt.`);
    }
    if (this.otherClients) notes.push(`More than ${o.maxClients.toLocaleString('en')} clients${this.live ? ' with open episodes' : ''}: the others are counted together as "(other clients)" and not checked for anomalies.`);
    if (this.otherEndpoints || this.otherUserAgents) notes.push(`More than ${o.maxGroups.toLocaleString('en')} endpoints or user agents: the rest are counted as "(other …)".`);

    const bucketMs = this.bucketMs;
    const timeline: TimelineBucket[] = [];
    if (this.minMs <= this.maxMs) {
      const first = Math.floor(this.minMs / bucketMs), last = Math.floor(this.maxMs / bucketMs);
      const s = this.overall;
      for (let b = first; b <= last; b++) {
        timeline.push({ startMs: b * bucketMs, ok: s.get(b * 4), unauthorized: s.get(b * 4 + 1), forbidden: s.get(b * 4 + 2), other: s.get(b * 4 + 3) });
      }
    }

    const top = (groups: Iterable<Group>, extra: Group | undefined, redact: boolean): GroupSummary[] => {
      const all = [...groups];
      if (extra) all.push(extra);
      all.sort((a, b) => b.failures() - a.failures() || b.total - a.total || (a.key < b.key ? -1 : 1));
      return all.slice(0, o.topN).map((g) => summary(g, bucketMs, redact));
    };

    const findings = pendings.filter((p) => keep(p, o)).map((p) => render(p, o, hasTime || this.live !== undefined));
    const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
    findings.sort((a, b) => rank[a.severity] - rank[b.severity] || (a.firstMs ?? 0) - (b.firstMs ?? 0) || a.lines[0] - b.lines[0]);

    const c = this.overall;
    const report: AccessLogReport = {
      format: { name: sc.format.name, spec: sc.format.spec, detected: this.detected },
      lines: { total: this.lineNo, blank: this.blank, parsed: this.parsed, malformed: this.malformed, malformedSample: this.malformedSample.slice(), rest: this.rest },
      bucketMs,
      timeline,
      totals: { ok: c.ok, unauthorized: c.unauthorized, forbidden: c.forbidden, other: c.other },
      endpoints: top(this.endpoints.values(), this.otherEndpoints, true),
      clients: top(this.clients.values(), this.otherClients, false),
      userAgents: top(this.userAgents.values(), this.otherUserAgents, true),
      distinct: { endpoints: this.endpoints.size, clients: this.clients.size, userAgents: this.userAgents.size },
      findings,
      thresholds: {
        burstCount: o.burstCount, burstWindowSeconds: o.burstWindowSeconds, distinctKeys: o.distinctKeys,
        successesBeforeFailure: o.successesBeforeFailure, failuresInARow: o.failuresInARow,
        unusualHourMinHistory: o.unusualHourMinHistory, unusualHourMinDays: o.unusualHourMinDays, unusualHourMaxShare: o.unusualHourMaxShare,
      },
      notes,
    };
    if (this.beforeSince > 0) report.lines.beforeSince = this.beforeSince;
    if (this.allowedLines > 0) report.lines.allowed = this.allowedLines;
    if (this.minMs <= this.maxMs) {
      report.firstMs = this.minMs;
      report.lastMs = this.maxMs;
      if (this.zone !== undefined) report.offsetMinutes = this.zone;
    }
    return report;
  }
}

/** Whether the client has an episode announced and not resolved (following). */
function hasEpisode(c: Client): boolean {
  for (const f of EPISODE_FIELDS) if (c[f]?.id !== undefined) return true;
  return false;
}

function allowedAgent(ua: string, agents: readonly string[]): boolean {
  const lower = ua.toLowerCase();
  for (const a of agents) if (lower.includes(a)) return true;
  return false;
}

/** The first important route the endpoint goes to: the route where a path segment starts, up to a segment's end. */
export function importantRoute(endpoint: string, routes: readonly string[]): string | undefined {
  for (const r of routes) {
    let i = endpoint.indexOf(r);
    while (i >= 0) {
      const after = endpoint.charCodeAt(i + r.length);
      if (i + r.length === endpoint.length || after === 47 /* / */ || after === 63 /* ? */) return r;
      i = endpoint.indexOf(r, i + 1);
    }
  }
  return undefined;
}

/** Whether UTC ms t falls in the quiet hours, read in the zone `offsetMinutes` east of UTC. */
export function inQuietHours(t: number, offsetMinutes: number, q: QuietHours): boolean {
  const m = ((Math.floor((t + offsetMinutes * MINUTE) / MINUTE) % 1440) + 1440) % 1440;
  return q.fromMinute < q.toMinute ? m >= q.fromMinute && m < q.toMinute : m >= q.fromMinute || m < q.toMinute;
}

/**
 * Whether a request-target may be a REST request: `/wp-json/` or `/wc-api/` in it, or `rest_route=`
 * in its query (from `queryStart`; restRouteOf reads it only there). Native searches: a charCodeAt
 * loop over the target cost 7% of the analysis.
 */
function hasRestMarker(target: string, queryStart: number): boolean {
  const end = target.length;
  for (let i = target.indexOf('/w'); i >= 0 && i + 8 <= end; i = target.indexOf('/w', i + 2)) {
    // "/wp-j" or "/wc": a look at two characters first rules out /wp-content/, /wp-admin/ and the like.
    const c = target.charCodeAt(i + 2);
    if ((c === 112 /* p */ && target.charCodeAt(i + 4) === 106 /* j */ && textAt(target, i, '/wp-json/')) || (c === 99 /* c */ && textAt(target, i, '/wc-api/'))) return true;
  }
  if (queryStart >= end) return false;
  const r = target.indexOf('rest_route=', queryStart);
  return r >= 0 && r + 11 <= end;
}

function summary(g: Group, bucketMs: number, redact: boolean): GroupSummary {
  const byBucket = new Map<number, TimelineBucket>();
  for (const [k, v] of g.entries()) {
    const b = Math.floor(k / 4);
    let row = byBucket.get(b);
    if (!row) byBucket.set(b, (row = { startMs: b * bucketMs, ok: 0, unauthorized: 0, forbidden: 0, other: 0 }));
    const cls = k % 4;
    if (cls === OK) row.ok += v;
    else if (cls === UNAUTHORIZED) row.unauthorized += v;
    else if (cls === FORBIDDEN) row.forbidden += v;
    else row.other += v;
  }
  const s: GroupSummary = {
    key: redact ? redactText(g.key) : g.key,
    total: g.total,
    ok: g.ok,
    unauthorized: g.unauthorized,
    forbidden: g.forbidden,
    other: g.other,
    series: [...byBucket.values()].sort((a, b) => a.startMs - b.startMs),
    failureLines: g.failureLines?.slice() ?? [],
  };
  if (g.firstMs <= g.lastMs) {
    s.firstMs = g.firstMs;
    s.lastMs = g.lastMs;
  }
  return s;
}

/** Whether a pending finding made it past its threshold by the end of the log. */
function keep(p: Pending, o: Resolved): boolean {
  switch (p.kind) {
    case 'success-then-failure':
      return p.lineCount >= o.failuresInARow;
    case 'many-consumer-keys':
      return (p.keyRecords?.length ?? p.client.keys?.size ?? 0) >= o.distinctKeys; // keyRecords once resolved: the client may be another by then
    default:
      return true;
  }
}

const SEVERITY: Record<AccessLogFindingKind, Severity> = {
  'credentials-over-http': 'error',
  'many-consumer-keys': 'error', // lowered to a warning below when most keys worked
  'auth-burst': 'warning',
  'success-then-failure': 'warning',
  'secret-in-query': 'warning',
  'unusual-hour': 'info',
  'quiet-hours': 'warning',
};

/** The hours (in the log's zone) holding 95% of a profile, as the shortest span around the clock. */
function usualHours(profile: readonly number[]): string {
  const total = profile.reduce((a, b) => a + b, 0);
  for (let len = 1; len <= 24; len++) {
    for (let start = 0; start < 24; start++) {
      let sum = 0;
      for (let k = 0; k < len; k++) sum += profile[(start + k) % 24];
      if (sum >= 0.95 * total) return `${pad2(start)}:00 and ${pad2((start + len - 1) % 24)}:59`;
    }
  }
  return 'all hours';
}

function render(p: Pending, o: Resolved, hasTime: boolean): AccessLogFinding {
  const who = p.who;
  const keys = [...p.keys];
  const uas = [...p.userAgents].map((u) => redactText(u));
  const when = (ms: number) => formatTime(ms, p.offset);
  const span = !hasTime || p.firstMs !== p.firstMs ? '' : p.firstMs === p.lastMs ? ` (at ${when(p.firstMs)})` : ` (${when(p.firstMs)} to ${when(p.lastMs)})`;
  const uaText = uas.length ? ` User agent${uas.length > 1 ? 's' : ''}: ${listShort(uas.map((u) => `"${u}"`), 3)}.` : '';
  let severity = SEVERITY[p.kind];
  let title: string;
  let message: string;
  const f = p.facts;
  switch (p.kind) {
    case 'auth-burst': {
      title = o.burst403 ? `Burst of 401s and 403s from ${who}` : `Burst of 401s from ${who}`;
      const dur = p.lastMs - p.firstMs;
      message =
        `${who} got ${plural(p.lineCount, o.burst403 ? 'refused answer' : '"401 Unauthorized" answer')}${o.burst403 ? ' (401 or 403)' : ''} in ${formatDuration(dur)}${span}, ` +
        `${o.burstCount} or more within ${o.burstWindowSeconds} s. Someone may be guessing keys, or an integration keeps retrying with credentials that no longer work.` +
        (keys.length ? ` Consumer key${keys.length > 1 ? 's' : ''} sent: ${listShort(keys)}.` : '') + uaText +
        ' If you do not know this client, block its address; if it is yours, fix its credentials so it stops retrying.';
      break;
    }
    case 'many-consumer-keys': {
      const recs = p.keyRecords ?? [...(p.client.keys?.values() ?? [])];
      const refused = recs.filter((r) => r.unauthorized > 0 && r.ok === 0).length;
      const accepted = recs.filter((r) => r.ok > 0).length;
      const shown = recs.map((r) => r.masked);
      title = `${who} sent ${recs.length} different consumer keys`;
      if (refused >= o.distinctKeys || accepted <= 1) {
        message =
          `${who} sent ${plural(recs.length, 'different consumer key')} (${listShort(shown, 8)})${span}; ${refused} of them were only ever refused, ${accepted} accepted. ` +
          'An integration uses one key: this looks like someone trying keys. Block the address and check WooCommerce > Settings > Advanced > REST API for keys you did not create.' + uaText;
      } else {
        severity = 'warning';
        message =
          `${who} sent ${plural(recs.length, 'different consumer key')} (${listShort(shown, 8)})${span}; ${accepted} of them worked. ` +
          'One machine holding several working keys of this store (an agency tool, an integration platform) is possible, but check that each key is still needed and revoke the others.' + uaText;
      }
      break;
    }
    case 'credentials-over-http': {
      const parts: string[] = [];
      if ((f.secret as number) > 0) parts.push(`the consumer secret in the query string ${plural(f.secret as number, 'time')}`);
      if ((f.basic as number) > 0) parts.push(`HTTP Basic credentials (user ${f.user}) ${plural(f.basic as number, 'time')}`);
      title = `Credentials sent over plain HTTP by ${who}`;
      message =
        `${who} sent ${parts.join(' and ')} over plain HTTP (${f.how})${span}${keys.length && (f.secret as number) > 0 ? `, with consumer key ${listShort(keys)}` : ''}. ` +
        `Anyone on the network path could read them${(f.secret as number) > 0 ? ', and a URL with the secret is also in this log and in any proxy\'s' : ''}. ` +
        ((f.secret as number) > 0 || f.userIsKey
          ? 'Revoke that key in WooCommerce > Settings > Advanced > REST API and create a new one; then use HTTPS, or OAuth 1.0a where the store has no HTTPS.'
          : 'Revoke that password (an application password: Users > Profile) and use HTTPS.') + uaText;
      break;
    }
    case 'secret-in-query': {
      const unknown = f.unknown as number;
      title = `Consumer secret in URLs from ${who}`;
      message =
        `${who} sent the consumer secret in the query string ${plural(p.lineCount, 'time')}${span}${keys.length ? `, with consumer key ${listShort(keys)}` : ''}. ` +
        (unknown > 0
          ? 'This log does not say whether these requests used HTTPS; if they used plain HTTP, the secret was readable on the network too (pass --assume-scheme http, or log the scheme, to know). '
          : 'HTTPS protected it on the way, but ') +
        `${unknown > 0 ? 'The' : 'the'} whole URL, secret included, is written in this access log and any other log that records URLs. Prefer the Authorization header (HTTP Basic over HTTPS), and consider rotating the key since logs hold its secret.` + uaText;
      break;
    }
    case 'success-then-failure': {
      const lastOkKey = f.lastOkKey as string | undefined;
      const failingKeys = keys;
      let keyText = '';
      if (lastOkKey && failingKeys.length) {
        keyText = failingKeys.includes(lastOkKey)
          ? ` The key that worked, ${lastOkKey}, is the one refused now: it was probably revoked, or its user lost access.`
          : ` The key refused now (${listShort(failingKeys, 3)}) is not the one that worked (${lastOkKey}): the new key may be wrong, or was revoked too.`;
      }
      const recovered = f.recoveredMs as number | undefined;
      const end = recovered !== undefined
        ? `, then succeeded again at ${hasTime ? when(recovered) : `line ${f.recoveredLine}`}`
        : ', and was still failing at the end of the log';
      title = `${who} worked, then started getting 401s`;
      message =
        `${who} was answered 2xx ${plural(f.successes as number, 'time')} (last at ${hasTime ? when(f.lastOkMs as number) : `line ${f.lastOkLine}`}), ` +
        `then got ${plural(p.lineCount, '"401 Unauthorized" answer')}${hasTime ? ` from ${when(p.firstMs)}` : ''} with no success in between${end}. ` +
        'A revoked or rotated key is probably still in use there.' + keyText + ' Update the credentials of that integration, or block it if it is no longer yours.' + uaText;
      break;
    }
    case 'unusual-hour': {
      const profile = f.profile as number[];
      const hour = f.hour as number;
      title = `${who} active at an unusual hour`;
      message =
        `${who} made ${plural(p.lineCount, 'request')} between ${when(p.firstMs)} and ${when(p.lastMs)}. ` +
        `Its ${plural(f.history as number, 'earlier request')} over ${plural(f.days as number, 'day')} came between ${usualHours(profile)}, almost none within an hour of ${pad2(hour)}:00 (times in the log's zone). ` +
        'Check that this was expected (a scheduled job, a new time zone) and not someone else using its key.' + uaText;
      break;
    }
    case 'quiet-hours': {
      title = `${who} active during the quiet hours`;
      message =
        `${who} made ${plural(p.lineCount, 'authenticated request')} ${p.firstMs === p.lastMs ? `at ${when(p.firstMs)}` : `between ${when(p.firstMs)} and ${when(p.lastMs)}`}, ` +
        `within the quiet hours the rules set (${f.quiet}). Check that this was expected and not someone else using its credentials; if it is a job of yours, move it or add its address to the rules' allow lines.` + uaText;
      break;
    }
  }
  const routes = p.routes ? [...p.routes] : [];
  if (routes.length) {
    // Routes the rules mark important (orders, customers: personal data) raise the severity one step.
    severity = severity === 'info' ? 'warning' : 'error';
    message += ` It involves ${listShort(routes, 3)}, marked important in the rules.`;
  }
  const finding: AccessLogFinding = {
    kind: p.kind,
    severity,
    client: who,
    title,
    message,
    lines: p.lines.slice().sort((a, b) => a - b),
    lineCount: p.lineCount,
  };
  if (hasTime && p.firstMs === p.firstMs) {
    finding.firstMs = p.firstMs;
    finding.lastMs = p.lastMs;
    finding.offsetMinutes = p.offset;
  }
  if (keys.length) finding.keys = keys;
  if (uas.length) finding.userAgents = uas;
  if (routes.length) finding.routes = routes;
  return finding;
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Analyses lines already in memory (an editor's document, a test). */
export function analyzeLines(lines: Iterable<string>, options: AccessLogOptions = {}): AccessLogReport {
  const a = new AccessLogAnalyzer(options);
  for (const line of lines) a.feed(line);
  return a.finish();
}

/** Analyses a whole text (line breaks \n or \r\n). */
export function analyzeText(text: string, options: AccessLogOptions = {}): AccessLogReport {
  const a = new AccessLogAnalyzer(options);
  a.feedText(text);
  return a.finish();
}

export interface StreamOptions extends AccessLogOptions {
  /** Cancels the analysis: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each chunk with the bytes read from the file so far (compressed bytes for .gz) and its size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * 2 (the default): a plain file of 16 MiB or more is shared with a worker thread when the worker's
   * bundle is there (see split.ts; the report is the same); 1: this thread only.
   */
  threads?: 1 | 2;
  /** How a file is shared with the worker (tests, benchmarks), and what happened. */
  split?: SplitOptions;
}

export interface SplitOptions {
  /** Files from this size up are shared (default 16 MiB). */
  minBytes?: number;
  /** Bytes per round (default 32 MiB)… */
  roundBytes?: number;
  /** …of which the main thread reads this share (default 0.4), the worker the rest. */
  mainShare?: number;
  /** Leave every worker segment to the worker, however slow it is (tests). */
  patient?: boolean;
  /** Strings the worker keeps ids for before it starts its table again (default MAX_IDS; tests). */
  maxIds?: number;
  /** The worker's script (tests: one that fails); default: access-log-worker.js beside this module. */
  script?: string;
  /** Told at the end how the work was shared: segments of the file, and how many the worker read. */
  used?: (info: { threads: 1 | 2; segments: number; byWorker: number }) => void;
}

/** Analyses a stream of bytes or text (decoded as UTF-8). */
export async function analyzeStream(input: AsyncIterable<Buffer | string> | Readable, options: StreamOptions = {}, progress?: () => void): Promise<AccessLogReport> {
  const a = new AccessLogAnalyzer(options);
  const decoder = new StringDecoder('utf8');
  options.signal?.throwIfAborted();
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    a.feedText(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (options.signal?.aborted) {
      (input as Partial<Readable>).destroy?.();
      options.signal.throwIfAborted();
    }
    if (progress) progress();
  }
  a.feedText(decoder.end());
  return a.finish();
}

/** Whether the file starts with gzip's magic bytes (1f 8b), whatever its name. */
export async function isGzipFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * Analyses a log file of any size, plain or gzip (by its first bytes; concatenated gzip members,
 * as logrotate's `delaycompress` + `cat` make, are read through). A plain file is read 1 MiB at a
 * time, the next read in flight while the last one is analysed; memory stays bounded by the number
 * of distinct clients, endpoints and user agents, not by the file.
 *
 * Lines are cut by `feedText`, not node:readline: readline has no limit on a line's length (a file
 * without line breaks would be held whole in memory) and was ~10% slower on the benchmark's log.
 */
export async function analyzeFile(file: string, options: StreamOptions = {}): Promise<AccessLogReport> {
  const size = (await stat(file)).size;
  const onProgress = options.onProgress;
  if (!(await isGzipFile(file))) return analyzePlainFile(file, size, options);
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const input: Readable = raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  raw.on('error', (err) => input.destroy(err));
  try {
    return await analyzeStream(input, options, onProgress ? () => onProgress(raw.bytesRead, size) : undefined);
  } finally {
    raw.destroy();
    input.destroy();
  }
}

/**
 * UTF-8 bytes to text, piece by piece. An all-ASCII piece (most of a log) is copied as Latin-1, the
 * cheapest way to a string, when no character is cut between pieces; any other piece goes through
 * the UTF-8 decoder, which holds a character cut by the piece's end for the next one.
 */
export class LogDecoder {
  private readonly utf8 = new StringDecoder('utf8');
  /** Whether the UTF-8 decoder may hold the first bytes of a character. */
  private pending = false;

  write(buf: Buffer, from: number, to: number): string {
    const piece = buf.subarray(from, to);
    if (piece.length === 0) return '';
    if (!this.pending && isAscii(piece)) return piece.toString('latin1');
    // The decoder can hold bytes only when the piece ends with a byte that is not ASCII.
    this.pending = piece[piece.length - 1] >= 0x80;
    return this.utf8.write(piece);
  }

  end(): string {
    this.pending = false;
    return this.utf8.end();
  }
}

/** Files from this size up are shared with a worker thread (below, starting it costs more than it saves). */
const SPLIT_MIN_BYTES = 16 * 1024 * 1024;
/** The main thread's first segment and each round (see split.ts): the worker's share is the rest of each round. */
const SPLIT_ROUND_BYTES = 32 * 1024 * 1024;
/**
 * Measured (fresh processes, alternating, 10 pairs each): 0.4 took 0.95 of the time 0.35 took once the
 * replay got cheaper (the main thread had waited for the worker), and 0.45 1.07 of 0.4's.
 */
const SPLIT_MAIN_SHARE = 0.4;
/**
 * The worker's young generation (MB): its garbage is short-lived strings. With V8's default the
 * benchmark's peak RSS on 2 threads was 171-193 MB, with 8 MB 161-169 MB, at the same speed.
 */
const WORKER_YOUNG_MB = 8;
/** The main thread stops waiting for the worker (see split.ts) after a wait longer than its own last segment took, and than this. */
const GIVE_UP_WAIT_MS = 100;
/**
 * …or when, while it read a segment of its own (the worker busy meanwhile), the process used less CPU
 * time than this many times the wall time: the two threads are sharing one core.
 */
const PARALLEL_CPU_SHARE = 1.3;

/** The worker's bundle (dist/access-log-worker.js), or its compiled source, beside this module. */
function workerScript(): string | undefined {
  if (typeof __dirname !== 'string') return undefined;
  const file = join(__dirname, 'access-log-worker.js');
  return existsSync(file) ? file : undefined;
}

async function analyzePlainFile(file: string, size: number, options: StreamOptions): Promise<AccessLogReport> {
  const { signal, onProgress } = options;
  const a = new AccessLogAnalyzer(options);
  const decoder = new LogDecoder();
  signal?.throwIfAborted();
  const fh = await open(file, 'r');
  const buffers = [Buffer.allocUnsafe(READ_BYTES), Buffer.allocUnsafe(READ_BYTES)];
  const split = options.split ?? {};
  const script = options.threads !== 1 && !options.live ? split.script ?? workerScript() : undefined;
  let share: WorkerShare | undefined;
  let byWorker = 0;
  try {
    const plan = script && size >= (split.minBytes ?? SPLIT_MIN_BYTES)
      ? await planSegments(fh, size, split.roundBytes ?? SPLIT_ROUND_BYTES, split.mainShare ?? SPLIT_MAIN_SHARE)
      : undefined;
    const segments: Segment[] = plan ?? [{ start: 0, end: Infinity, worker: -1 }];
    // The worker starts once the main thread knows the format (the first lines detect it), during its first segment.
    let mayStart = plan !== undefined;
    const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, segments.filter((g) => g.worker >= 0).length)));
    /** How long the main thread's last segment of its own took (ms). */
    let ownMs = 0;
    const feed = (text: string, at: number) => {
      a.feedText(text);
      signal?.throwIfAborted();
      onProgress?.(Math.min(at, size), size);
      if (mayStart && a.currentFormat) {
        mayStart = false;
        const job: WorkerJob = {
          claims,
          file, format: a.currentFormat.name === 'custom' ? a.currentFormat.spec : a.currentFormat.name,
          sinceMs: options.sinceMs, assumeScheme: options.assumeScheme, maxIds: split.maxIds,
          ranges: segments.filter((g) => g.worker >= 0).map((g) => [g.start, g.end]),
        };
        try {
          share = new WorkerShare(new Worker(script!, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } }));
        } catch {
          share = undefined; // no worker: the main thread reads everything
        }
      }
    };
    /** This thread reads the worker segments from `from` on that the worker has not started. */
    const giveUp = (from: number) => {
      for (let w = from; w < claims.length; w++) Atomics.compareExchange(claims, w, 0, CLAIMED_BY_MAIN);
    };
    const nextWorkerSegment = (k: number) => segments.slice(k + 1).find((g) => g.worker >= 0)?.worker ?? claims.length;
    for (let k = 0; k < segments.length; k++) {
      const g = segments[k];
      const last = k === segments.length - 1;
      // A worker segment is the worker's when it claimed it first; else this thread claims it and reads it.
      // (Patient: left to the worker, which claims it when it gets there.)
      const claim = g.worker >= 0 && share ? (split.patient ? CLAIMED_BY_WORKER : Atomics.compareExchange(claims, g.worker, 0, CLAIMED_BY_MAIN)) : CLAIMED_BY_MAIN;
      if (claim === CLAIMED_BY_WORKER && share) {
        const waitStart = performance.now();
        const records = await share.segment(g.worker);
        signal?.throwIfAborted();
        if (!split.patient && performance.now() - waitStart > Math.max(ownMs, GIVE_UP_WAIT_MS)) giveUp(g.worker + 1);
        if (records) {
          a.replaySegment(records);
          byWorker++;
          onProgress?.(g.end, size);
          continue;
        }
        // The worker failed: the main thread reads the rest.
        void share.stop();
        share = undefined;
      }
      // The last segment reads on to the end of the file as it is then (a log may grow meanwhile).
      const ownStart = performance.now();
      const cpuStart = process.cpuUsage();
      await readRange(fh, g.start, last && g.worker < 0 ? Infinity : g.end, decoder, feed, buffers);
      ownMs = performance.now() - ownStart;
      const cpu = process.cpuUsage(cpuStart);
      if (share && !split.patient && ownMs > GIVE_UP_WAIT_MS && (cpu.user + cpu.system) / 1000 < PARALLEL_CPU_SHARE * ownMs) {
        // Both threads were busy, and the process got little more than one core's time: they share a core.
        giveUp(nextWorkerSegment(k));
      }
      mayStart = false; // not started during the first segment (no format yet): the main thread reads everything
    }
    a.feedText(decoder.end());
    split.used?.({ threads: byWorker > 0 ? 2 : 1, segments: segments.length, byWorker });
    return a.finish();
  } finally {
    if (share) await share.stop();
    await fh.close();
  }
}
