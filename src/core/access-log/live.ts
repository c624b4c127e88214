// Following a live access log: the analyzer of analyze.ts in its live mode, turned into alerts.
//
// `LiveMonitor` is fed text as it arrives (from follow.ts for a file, or from any stream: standard
// input, a command's output, the extension's own request log) and calls `onAlert` once when an
// episode passes its threshold ("raised") and once when it stops ("resolved"). Each alert carries
// its evidence: the client, consumer keys by their last 7 characters, counts, and where its first
// and last lines are (which file, which line; the last line's text with secrets masked).
//
// Time: lines carry their own time; between lines the log's clock is taken to run with the wall
// clock from the latest line seen, so an episode ends on time even when nothing more is written,
// and a replayed old log (standard input, `--since`) is judged by its own dates. `tick()` (called
// every `tickMs` unless `autoTick` is false) resolves episodes whose quiet period has passed.
//
// The alert object is the stable JSON schema of `woo-api logs watch --json` (docs/monitoring.md):
// `schema`, `version` and the fields below never change meaning within a version.
//
// Pure: no `vscode`; timers only.

import { AccessLogAnalyzer, formatDuration, formatTime, offsetText, type AccessLogOptions, type AccessLogReport, type Episode, type Severity } from './analyze';
import type { LineSink } from './follow';

export const ALERT_SCHEMA = 'woo-api/access-log-alert';
export const ALERT_SCHEMA_VERSION = 1;

/** Where a line is: the file (or `-` for standard input, or a command) and its 1-based line in it. */
export interface LineRef {
  source: string;
  line: number;
  /** ISO 8601 UTC, when the line has a time. */
  time?: string;
}

export type AlertResolution = 'quiet' | 'recovered' | 'muted';

export interface Alert {
  schema: typeof ALERT_SCHEMA;
  version: typeof ALERT_SCHEMA_VERSION;
  event: 'raised' | 'resolved';
  /** The same for the raised and the resolved event of one episode. */
  id: string;
  kind: string;
  severity: Severity;
  client: string;
  title: string;
  message: string;
  /** Lines in the episode so far. */
  count: number;
  keys?: string[];
  userAgents?: string[];
  routes?: string[];
  first: LineRef;
  last: LineRef & { text?: string };
  /** Resolved only: why it ended, and when (log time, ISO 8601). */
  resolution?: AlertResolution;
  resolvedAt?: string;
  /** When this event was emitted (wall clock, ISO 8601). */
  at: string;
  /** The log's UTC offset (`+01:00`), when its lines have times: the zone the terminal shows times in. */
  utcOffset?: string;
}

export interface LiveMonitorOptions extends Omit<AccessLogOptions, 'live'> {
  onAlert: (alert: Alert) => void;
  /** Things worth telling the user that are not alerts: the format detected, lines that do not fit it. */
  onNotice?: (message: string) => void;
  /** The wall clock (tests); Date.now by default. */
  now?: () => number;
  /** Call tick() on a timer (default true). */
  autoTick?: boolean;
  tickMs?: number;
  /** Following: clients forgotten after being idle this long (see LiveHooks). */
  idleSeconds?: number;
  retainSeconds?: number;
}

interface Source {
  name: string;
  /** Global number of its first line fed from here… */
  start: number;
  /** …which is this line of the source. */
  firstLine: number;
  fileId: number;
}

const MAX_SOURCES = 1000;

export class LiveMonitor implements LineSink {
  private readonly analyzer: AccessLogAnalyzer;
  private readonly now: () => number;
  private readonly sources: Source[] = [];
  private readonly open = new Map<string, Alert>();
  /** Episodes of muted clients: neither their raise nor their end is announced. */
  private readonly silenced = new Set<string>();
  private readonly muted = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private latestSeen = -Infinity;
  private wallWhenSeen = 0;
  private lastFeedWall = 0;
  private formatAnnounced = false;
  private misfitWarned = false;
  private stopped = false;
  private raisedCount = 0;
  private resolvedCount = 0;

  constructor(private readonly options: LiveMonitorOptions) {
    this.now = options.now ?? Date.now;
    this.analyzer = new AccessLogAnalyzer({
      ...options,
      live: {
        raised: (e) => this.raised(e),
        resolved: (e) => this.resolved(e),
        clock: () => this.now(),
        idleSeconds: options.idleSeconds,
        retainSeconds: options.retainSeconds,
      },
    });
    if (options.autoTick !== false) {
      this.timer = setInterval(() => this.tick(), options.tickMs ?? 250);
      this.timer.unref?.();
    }
  }

  /**
   * Lines fed from here on come from `name` (a file, `-`, a command), starting at its line
   * `firstLine`; the previous source's unfinished line is ended.
   */
  source(name: string, firstLine = 1, fileId = -1): void {
    this.analyzer.end();
    this.sources.push({ name, start: this.analyzer.linesFed + 1, firstLine, fileId });
    if (this.sources.length > MAX_SOURCES) this.sources.shift();
  }

  /** A file was found under another name (rotated): its lines are labelled with it from now on. */
  renamed(fileId: number, name: string): void {
    for (const s of this.sources) if (s.fileId === fileId) s.name = name;
  }

  /** Feeds text as it arrives (a line may be cut between two calls). */
  text(text: string): void {
    if (this.stopped || text.length === 0) return;
    if (this.sources.length === 0) this.source('-');
    this.lastFeedWall = this.now();
    this.analyzer.feedText(text);
    this.afterFeed();
  }

  /** Feeds one whole line (without its line break). */
  feedLine(line: string): void {
    if (this.stopped) return;
    if (this.sources.length === 0) this.source('-');
    this.lastFeedWall = this.now();
    this.analyzer.end();
    this.analyzer.feed(line);
    this.afterFeed();
  }

  /** The end of the input: its last line without a line break is read, and a short input's format detected. */
  endInput(): void {
    this.analyzer.end();
    this.analyzer.detectNow();
    this.afterFeed();
  }

  private afterFeed(): void {
    const latest = this.analyzer.latestMs;
    if (latest > this.latestSeen) {
      this.latestSeen = latest;
      this.wallWhenSeen = this.now();
    }
    if (!this.formatAnnounced && this.analyzer.currentFormat) this.announceFormat();
  }

  /** The log's clock now: the latest line's time, plus the wall-clock time since it was read. */
  logNow(): number {
    if (this.latestSeen === -Infinity) return this.now();
    return this.latestSeen + Math.max(0, this.now() - this.wallWhenSeen);
  }

  /** Resolves what has gone quiet, ends mutes that expired, and detects the format of a slow log. */
  tick(): void {
    if (this.stopped) return;
    const wall = this.now();
    for (const [client, until] of this.muted) if (until <= wall) this.muted.delete(client);
    // A slow log: after a second, the format is detected from the lines there are.
    if (!this.analyzer.currentFormat && wall - this.lastFeedWall >= 1000) {
      this.analyzer.detectNow();
      this.afterFeed();
    }
    this.analyzer.sweep(this.logNow());
    const c = this.analyzer.counts;
    if (!this.misfitWarned && c.malformed >= 20 && c.parsed === 0) {
      this.misfitWarned = true;
      const f = this.analyzer.currentFormat;
      this.options.onNotice?.(`None of the first ${c.malformed} lines fits the ${f?.name ?? 'detected'} format; give the server's format (--format, or the wooApiStudio.accessLog.format setting).`);
    }
  }

  private announceFormat(): void {
    this.formatAnnounced = true;
    const f = this.analyzer.currentFormat!;
    const problem = this.analyzer.formatProblem;
    if (problem) this.options.onNotice?.(problem);
    else this.options.onNotice?.(`Format: ${f.name}${this.analyzer.formatDetected ? ' (detected)' : ''}.`);
  }

  // ---- alerts

  private raised(e: Episode): void {
    const client = e.finding.client;
    if (this.isMuted(client)) {
      this.silenced.add(e.id);
      return;
    }
    const alert = this.alertOf(e, 'raised');
    this.open.set(e.id, alert);
    this.raisedCount++;
    this.options.onAlert(alert);
  }

  private resolved(e: Episode): void {
    if (this.silenced.delete(e.id)) return;
    if (!this.open.delete(e.id)) return;
    const { at, utcOffset, ...alert } = this.alertOf(e, 'resolved');
    const resolvedAt = e.endMs !== undefined && e.endMs === e.endMs ? new Date(e.endMs).toISOString() : undefined;
    this.resolvedCount++;
    this.options.onAlert({ ...alert, resolution: e.end ?? 'quiet', ...(resolvedAt ? { resolvedAt } : {}), at, ...(utcOffset ? { utcOffset } : {}) });
  }

  private alertOf(e: Episode, event: Alert['event']): Alert {
    const f = e.finding;
    const first = this.locate(e.firstLine);
    const last: Alert['last'] = this.locate(e.lastLine);
    if (f.firstMs !== undefined) first.time = new Date(f.firstMs).toISOString();
    if (f.lastMs !== undefined) last.time = new Date(f.lastMs).toISOString();
    if (e.lastText !== undefined) last.text = e.lastText;
    // Fields in the documented order (docs/monitoring.md).
    return {
      schema: ALERT_SCHEMA,
      version: ALERT_SCHEMA_VERSION,
      event,
      id: e.id,
      kind: f.kind,
      severity: f.severity,
      client: f.client,
      title: f.title,
      message: f.message,
      count: f.lineCount,
      ...(f.keys ? { keys: f.keys } : {}),
      ...(f.userAgents ? { userAgents: f.userAgents } : {}),
      ...(f.routes ? { routes: f.routes } : {}),
      first,
      last,
      at: new Date(this.now()).toISOString(),
      ...(f.offsetMinutes !== undefined ? { utcOffset: offsetText(f.offsetMinutes) } : {}),
    };
  }

  /** The source and line of a global line number. */
  locate(n: number): LineRef {
    for (let i = this.sources.length - 1; i >= 0; i--) {
      const s = this.sources[i];
      if (s.start <= n) return { source: s.name, line: n - s.start + s.firstLine };
    }
    return { source: '(earlier input)', line: n };
  }

  /**
   * Mutes a client until `untilMs` (wall clock): its open alerts are resolved now ("muted"), and
   * nothing from it is raised until then (its episodes are still followed, silently).
   */
  mute(client: string, untilMs: number): Alert[] {
    this.muted.set(client, untilMs);
    const ended: Alert[] = [];
    for (const [id, a] of [...this.open]) {
      if (a.client !== client) continue;
      this.open.delete(id);
      this.silenced.add(id);
      const { at: _raisedAt, ...rest } = a;
      const r: Alert = { ...rest, event: 'resolved', resolution: 'muted', resolvedAt: new Date(this.logNow()).toISOString(), at: new Date(this.now()).toISOString() };
      this.resolvedCount++;
      ended.push(r);
      this.options.onAlert(r);
    }
    return ended;
  }

  isMuted(client: string): boolean {
    const until = this.muted.get(client);
    return until !== undefined && until > this.now();
  }

  /** The alerts raised and not resolved, as they were raised. */
  openAlerts(): Alert[] {
    return [...this.open.values()];
  }

  /** The report as it stands (the live chart, tables, open and recent findings). */
  report(): AccessLogReport {
    return this.analyzer.snapshot();
  }

  stats(): { lines: number; parsed: number; malformed: number; rest: number; raised: number; resolved: number; open: number; format?: string } {
    const c = this.analyzer.counts;
    return { lines: c.total, parsed: c.parsed, malformed: c.malformed, rest: c.rest, raised: this.raisedCount, resolved: this.resolvedCount, open: this.open.size, format: this.analyzer.currentFormat?.name };
  }

  /** Stops the clock; open alerts stay open (nothing more is read to end them). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** `- 1 alert` style counts. */
const n = (x: number) => x.toLocaleString('en');

/**
 * Where an alert's lines are, in words: `access.log lines 6 to 25`, `standard input line 40`.
 * `show` turns a source into the name shown (a file's base name in a notification, say).
 */
export function evidenceText(a: Pick<Alert, 'first' | 'last' | 'count'>, show: (source: string) => string = (s) => s): string {
  const name = (s: string) => (s === '-' ? 'standard input' : show(s));
  const { first, last } = a;
  let where: string;
  if (first.source === last.source) where = first.line === last.line ? `${name(first.source)} line ${first.line}` : `${name(first.source)} lines ${first.line} to ${last.line}`;
  else where = `${name(first.source)} line ${first.line} to ${name(last.source)} line ${last.line}`;
  return `${where} (${n(a.count)} line${a.count === 1 ? '' : 's'})`;
}

/** Why an alert was resolved, in words. */
export function resolutionText(a: Alert): string {
  switch (a.resolution) {
    case 'recovered': return `${a.client} was answered 2xx again`;
    case 'muted': return `${a.client} was muted`;
    default: {
      const last = a.last.time ? Date.parse(a.last.time) : NaN;
      const end = a.resolvedAt ? Date.parse(a.resolvedAt) : NaN;
      return end === end && last === last ? `nothing new for ${formatDuration(end - last)}` : 'nothing new';
    }
  }
}

/**
 * An alert for a terminal: a header line with the log time, the event, severity and title; then
 * (raised) the message and the evidence, indented; (resolved) one line on how it ended.
 */
export function formatAlert(a: Alert): string {
  const whenMs = a.event === 'resolved' && a.resolvedAt ? Date.parse(a.resolvedAt) : a.last.time ? Date.parse(a.last.time) : Date.parse(a.at);
  const head = `${formatTime(whenMs, offsetMinutesOf(a.utcOffset))}  ${a.event === 'raised' ? 'ALERT   ' : 'RESOLVED'}  ${a.severity.padEnd(7)}  ${a.title}`;
  if (a.event === 'resolved') return `${head}\n    ${resolutionText(a)}; ${evidenceText(a)}.\n`;
  const keys = a.keys?.length ? `; keys ${a.keys.join(', ')}` : '';
  return `${head}\n    ${a.message}\n    evidence: ${evidenceText(a)}${keys}.\n`;
}

/** `+01:00` back to minutes east of UTC (undefined: times in UTC). */
function offsetMinutesOf(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}
