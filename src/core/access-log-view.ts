// The access-log report view's pure parts: the chart (2xx vs 401 vs 403 per time bucket as an SVG
// string, drawn without script; colours from CSS classes styled with the theme's variables) and the
// validation of the messages the view may send.
//
// Pure: no `vscode`.

import type { AccessLogFinding, TimelineBucket } from './access-log';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Stacked bars, one per bucket (at most `maxBars`: buckets are merged when there are more). */
export function timelineSvg(timeline: readonly TimelineBucket[], options: { width?: number; height?: number; maxBars?: number; label?: (ms: number) => string } = {}): string {
  const width = options.width ?? 900;
  const height = options.height ?? 220;
  const maxBars = options.maxBars ?? 180;
  const label = options.label ?? ((ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' '));
  if (timeline.length === 0) return `<svg class="chart" role="img" aria-label="No REST requests in this log" viewBox="0 0 ${width} 40"><text x="8" y="24" class="axis">No WooCommerce or WordPress REST requests in this log.</text></svg>`;
  // Merge neighbouring buckets so the bars stay readable.
  const per = Math.ceil(timeline.length / maxBars);
  const bars: TimelineBucket[] = [];
  for (let i = 0; i < timeline.length; i += per) {
    const group = timeline.slice(i, i + per);
    bars.push(group.reduce((a, b) => ({ startMs: a.startMs, ok: a.ok + b.ok, unauthorized: a.unauthorized + b.unauthorized, forbidden: a.forbidden + b.forbidden, other: a.other + b.other })));
  }
  const top = Math.max(1, ...bars.map((b) => b.ok + b.unauthorized + b.forbidden + b.other));
  const left = 44;
  const bottom = 22;
  const plotH = height - bottom - 8;
  const barW = (width - left - 8) / bars.length;
  const y = (v: number) => 8 + plotH - (v / top) * plotH;
  const parts: string[] = [];
  parts.push(`<line class="grid" x1="${left}" y1="${y(top)}" x2="${width - 8}" y2="${y(top)}"/><text class="axis" x="${left - 6}" y="${y(top) + 4}" text-anchor="end">${top}</text>`);
  parts.push(`<line class="grid" x1="${left}" y1="${y(0)}" x2="${width - 8}" y2="${y(0)}"/><text class="axis" x="${left - 6}" y="${y(0) + 4}" text-anchor="end">0</text>`);
  bars.forEach((b, i) => {
    const x = left + i * barW;
    let base = 0;
    const tip = `${label(b.startMs)}: ${b.ok} 2xx, ${b.unauthorized} 401, ${b.forbidden} 403, ${b.other} other`;
    for (const [cls, v] of [['ok', b.ok], ['other', b.other], ['forbidden', b.forbidden], ['unauthorized', b.unauthorized]] as const) {
      if (v === 0) continue;
      parts.push(`<rect class="${cls}" x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}"><title>${esc(tip)}</title></rect>`);
      base += v;
    }
  });
  parts.push(`<text class="axis" x="${left}" y="${height - 6}">${esc(label(bars[0].startMs))}</text>`);
  parts.push(`<text class="axis" x="${width - 8}" y="${height - 6}" text-anchor="end">${esc(label(bars[bars.length - 1].startMs))}</text>`);
  const total = bars.reduce((a, b) => ({ ok: a.ok + b.ok, u: a.u + b.unauthorized, f: a.f + b.forbidden }), { ok: 0, u: 0, f: 0 });
  return `<svg class="chart" role="img" aria-label="Requests over time: ${total.ok} 2xx, ${total.u} 401, ${total.f} 403" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none">${parts.join('')}</svg>`;
}

export type ReportMessage =
  | { type: 'open'; line: number }
  | { type: 'export' }
  /** A live report: show the evidence of an open alert, or mute its client for an hour. */
  | { type: 'evidence'; id: string }
  | { type: 'mute'; client: string };

/** An alert id as live.ts makes them (`3:auth-burst:198.51.100.7`). */
const ALERT_ID = /^\d{1,9}:[a-z-]{1,40}:[0-9A-Za-z.:_%-]{1,100}$/;
/** A client as logged: an address, or a store name in the request log. */
const CLIENT = /^[0-9A-Za-z.:_%-]{1,100}$/;

/** Only these messages are accepted from the report view: a webview is not trusted input. */
export function parseReportMessage(raw: unknown): ReportMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  const keys = Object.keys(m).length;
  if (m.type === 'export' && keys === 1) return { type: 'export' };
  if (m.type === 'open' && keys === 2 && Number.isInteger(m.line) && (m.line as number) >= 1 && (m.line as number) < 1e12) return { type: 'open', line: m.line as number };
  if (m.type === 'evidence' && keys === 2 && typeof m.id === 'string' && ALERT_ID.test(m.id)) return { type: 'evidence', id: m.id };
  if (m.type === 'mute' && keys === 2 && typeof m.client === 'string' && CLIENT.test(m.client)) return { type: 'mute', client: m.client };
  return undefined;
}

/** A client's findings and the lines they cover (ascending, each once). */
export interface ClientFindings {
  client: string;
  findings: AccessLogFinding[];
  lines: number[];
  lineCount: number;
}

/** The findings grouped by client, in the report's order (errors first). */
export function groupByClient(findings: readonly AccessLogFinding[]): ClientFindings[] {
  const by = new Map<string, ClientFindings>();
  for (const f of findings) {
    let g = by.get(f.client);
    if (!g) by.set(f.client, (g = { client: f.client, findings: [], lines: [], lineCount: 0 }));
    g.findings.push(f);
  }
  for (const g of by.values()) {
    g.lines = [...new Set(g.findings.flatMap((f) => f.lines))].sort((a, b) => a - b);
    g.lineCount = Math.max(g.lines.length, ...g.findings.map((f) => f.lineCount));
  }
  return [...by.values()];
}

/** "198.51.100.7: Burst of 401s from 198.51.100.7; … (30 lines, 12 to 41). Details in the Access Log Report." */
export function clientProblemText(g: ClientFindings): string {
  const titles = g.findings.map((f) => f.title).join('; ');
  const span = g.lines.length === 1 ? `line ${g.lines[0]}` : `${g.lineCount.toLocaleString('en')} lines, ${g.lines[0]} to ${g.lines[g.lines.length - 1]}`;
  return `${g.client}: ${titles} (${span}). Details in the Access Log Report.`;
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * The report's findings as HTML, one entry per client: its findings (title and words) under it and
 * the lines they cover listed once, linked (`data-line`), instead of each finding restating them.
 */
export function findingsHtml(findings: readonly AccessLogFinding[], maxLines = 20): string {
  if (findings.length === 0) return '<p>No anomalies found with the current thresholds.</p>';
  const link = (l: number) => `<a href="#" data-line="${l}">${l}</a>`;
  return `<ul class="findings">${groupByClient(findings).map((g) => {
    const worst = g.findings.reduce((a, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[a] ? f.severity : a), g.findings[0].severity);
    const count = g.findings.length === 1 ? '' : ` · ${g.findings.length} findings`;
    const items = g.findings.map((f) => `<li class="${f.severity}"><strong>${esc(f.title)}</strong><p>${esc(f.message)}</p></li>`).join('');
    const more = g.lineCount > Math.min(g.lines.length, maxLines) ? ` … (${g.lineCount.toLocaleString('en')} in all)` : '';
    return `<li class="${worst}"><span class="client">${esc(g.client)}</span>${count}<ul class="client-findings">${items}</ul><p class="lines">Lines: ${g.lines.slice(0, maxLines).map(link).join(', ')}${more}</p></li>`;
  }).join('')}</ul>`;
}
