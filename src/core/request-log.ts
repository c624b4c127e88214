// The extension's own traffic, one JSON line per request: time, store, method, path (query secrets
// masked), status, error code, duration, the finding when a 401/403 was explained, and where it came
// from. Never a secret: entries are built from the already-redacted exchange and masked again.
// Rotated at a size cap (the current file and one older one are kept).
//
// Pure of `vscode`; file access through node:fs only.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Exchange } from './send';
import { redactUrl } from './redact';
import { causeTitle } from './explain/front';

export type LogSource = 'http-file' | 'runner' | 'doctor' | 'cli';

export interface LogEntry {
  time: string;
  store?: string;
  method: string;
  /** Path and query of the final request, secrets masked. */
  path: string;
  host: string;
  status?: number;
  /** WooCommerce's error `code`, or the transport error code when nothing came back. */
  code?: string;
  durationMs: number;
  /** The cause id of the top finding, when the answer was explained. */
  finding?: string;
  source: LogSource;
  /** The .http file and 0-based line the request came from. */
  file?: string;
  line?: number;
}

export function entryFromExchange(ex: Exchange, ctx: { store?: string; source: LogSource; finding?: string; file?: string; line?: number }): LogEntry {
  let host = '';
  let where = ex.request.url;
  try {
    const u = new URL(ex.request.url);
    host = u.host;
    // Path and query as recorded: the URL parser would percent-encode the masks (•, …) in them.
    where = ex.request.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/#.*$/, '') || '/';
  } catch {
    /* an invalid URL is logged as written (already masked) */
  }
  let code: string | undefined;
  if (ex.response && ex.response.status >= 400 && /json/i.test(ex.response.contentType ?? '') && ex.response.bodyBytes < 64 * 1024) {
    try {
      const body = JSON.parse(Buffer.from(ex.response.body).toString('utf8')) as { code?: unknown };
      if (typeof body.code === 'string') code = body.code;
    } catch {
      /* not JSON after all */
    }
  }
  if (!ex.response && ex.error) code = ex.error.code;
  const entry: LogEntry = {
    time: ex.startedAt,
    method: ex.request.method,
    path: redactUrl(where),
    host,
    durationMs: Math.round(ex.timings.total),
    source: ctx.source,
  };
  if (ctx.store) entry.store = ctx.store;
  if (ex.response) entry.status = ex.response.status;
  if (code) entry.code = code;
  if (ctx.finding) entry.finding = ctx.finding;
  if (ctx.file) entry.file = ctx.file;
  if (ctx.line !== undefined) entry.line = ctx.line;
  return entry;
}

/**
 * The request log as an access log, for the access-log detectors (access-log/live.ts): one line per
 * entry in this nginx log_format, the store (or host) standing for the client, so that "a store
 * worked, then started getting 401s" is a rotated key still in use. Entries without an answer have
 * no line. The path is already masked; a masked consumer key (`ck_…abc1234`) is told apart from
 * another by its last 7 characters, as WooCommerce shows keys.
 */
export const REQUEST_LOG_FORMAT = '$remote_addr - - [$time_iso8601] "$request" $status 0 "-" "$http_user_agent"';

export function accessLogLineOf(e: LogEntry): string | undefined {
  if (e.status === undefined || e.status < 100 || e.status > 599) return undefined;
  const client = (e.store ?? e.host).replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown';
  const target = e.path.replace(/[\s"\\]/g, (c) => encodeURIComponent(c));
  return `${client} - - [${e.time}] "${e.method} ${target} HTTP/1.1" ${e.status} 0 "-" "woo-api-studio (${e.source})"`;
}

/** A finding's name in plain words: the explainer's own title of the cause (the id when it is not one it knows). */
export function findingTitle(id: string): string {
  return causeTitle(id) ?? id;
}

/**
 * A path with its OAuth 1.0a parameters folded: `oauth_*` query parameters (key, nonce, signature,
 * timestamp… a long, unreadable query) taken out, their names listed in `oauth`. The rest of the
 * query stays, in its order.
 */
export function foldOAuth(path: string): { path: string; oauth: string[] } {
  const q = path.indexOf('?');
  if (q < 0) return { path, oauth: [] };
  const kept: string[] = [];
  const oauth: string[] = [];
  for (const part of path.slice(q + 1).split('&')) {
    const name = part.split('=', 1)[0];
    if (/^oauth_[a-z_]+$/i.test(name)) oauth.push(name);
    else if (part !== '') kept.push(part);
  }
  if (oauth.length === 0) return { path, oauth };
  return { path: path.slice(0, q) + (kept.length ? `?${kept.join('&')}` : ''), oauth };
}

/** One row of the request log view: the entry, its path with OAuth folded, its finding in words. */
export interface LogRow extends LogEntry {
  /** The path shown in the Path column (OAuth 1.0a parameters folded into a badge). */
  shownPath: string;
  /** The folded `oauth_*` parameter names (none: no badge). */
  oauth?: string[];
  findingTitle?: string;
}

export function rowOf(e: LogEntry): LogRow {
  const folded = foldOAuth(e.path);
  const row: LogRow = { ...e, shownPath: folded.path };
  if (folded.oauth.length) row.oauth = folded.oauth;
  if (e.finding) row.findingTitle = findingTitle(e.finding);
  return row;
}

export class RequestLogFile {
  constructor(readonly file: string, private readonly maxBytes = 5 * 1024 * 1024) {}

  /** Appends one entry; when the file passes the cap it becomes `<file>.1` (replacing the older one). */
  async append(entry: LogEntry): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const line = JSON.stringify(entry) + '\n';
    try {
      const { size } = await fs.promises.stat(this.file);
      if (size + line.length > this.maxBytes) await fs.promises.rename(this.file, `${this.file}.1`);
    } catch {
      /* no file yet */
    }
    await fs.promises.appendFile(this.file, line, { mode: 0o600 });
  }

  /** Every entry, oldest first (the rotated file, then the current one); unreadable lines are skipped. */
  async read(): Promise<{ entries: LogEntry[]; skipped: number }> {
    const entries: LogEntry[] = [];
    let skipped = 0;
    for (const f of [`${this.file}.1`, this.file]) {
      let text: string;
      try {
        text = await fs.promises.readFile(f, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          const e = JSON.parse(line) as LogEntry;
          if (typeof e.time === 'string' && typeof e.method === 'string' && typeof e.path === 'string') entries.push(e);
          else skipped++;
        } catch {
          skipped++;
        }
      }
    }
    return { entries, skipped };
  }

  async clear(): Promise<void> {
    for (const f of [this.file, `${this.file}.1`]) await fs.promises.rm(f, { force: true });
  }
}

export interface LogFilter {
  store?: string;
  /** '2xx', '4xx', '401', '403', '5xx', 'failed' (no answer) or a status number as text. */
  status?: string;
  /** Substring of the path. */
  path?: string;
}

export function filterEntries(entries: readonly LogEntry[], f: LogFilter): LogEntry[] {
  return entries.filter((e) => {
    if (f.store && e.store !== f.store) return false;
    if (f.path && !e.path.toLowerCase().includes(f.path.toLowerCase())) return false;
    if (f.status) {
      const s = e.status;
      if (f.status === 'failed') return s === undefined;
      if (/^[1-5]xx$/.test(f.status)) return s !== undefined && Math.floor(s / 100) === Number(f.status[0]);
      return s !== undefined && String(s) === f.status;
    }
    return true;
  });
}

/** Messages the log view may send. Anything else is dropped: a webview is not trusted input. */
export type LogViewMessage =
  | { type: 'ready' }
  | { type: 'filter'; filter: LogFilter }
  | { type: 'open'; index: number }
  | { type: 'clear' };

export function parseLogViewMessage(msg: unknown): LogViewMessage | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const m = msg as Record<string, unknown>;
  const text = (v: unknown, max = 200) => (typeof v === 'string' && v.length <= max ? v : undefined);
  switch (m.type) {
    case 'ready':
    case 'clear':
      return Object.keys(m).length === 1 ? { type: m.type } : undefined;
    case 'open':
      return Number.isInteger(m.index) && (m.index as number) >= 0 && (m.index as number) < 1_000_000 ? { type: 'open', index: m.index as number } : undefined;
    case 'filter': {
      const f = m.filter;
      if (typeof f !== 'object' || f === null) return undefined;
      const r = f as Record<string, unknown>;
      if (Object.keys(r).some((k) => !['store', 'status', 'path'].includes(k))) return undefined;
      const out: LogFilter = {};
      for (const k of ['store', 'status', 'path'] as const) {
        if (r[k] === undefined || r[k] === '') continue;
        const v = text(r[k]);
        if (v === undefined) return undefined;
        out[k] = v;
      }
      if (out.status && !/^([1-5]xx|failed|\d{3})$/.test(out.status)) return undefined;
      return { type: 'filter', filter: out };
    }
    default:
      return undefined;
  }
}
