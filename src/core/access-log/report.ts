// An access-log report in words: Markdown (`toMarkdown`, for export and the editor) and a compact
// plain-text summary for a terminal (`toSummary`, what `woo-api logs analyze` prints).
// Everything shown comes from the report, where keys are already masked and secrets absent.
// Pure: no `vscode`.

import { formatTime, offsetText, type AccessLogFinding, type AccessLogReport, type GroupSummary, type TimelineBucket } from './analyze';

const n = (x: number) => x.toLocaleString('en');

function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** "12, 57, 98 and 40 more" (1-based line numbers). */
export function linesText(lines: readonly number[], total: number, max = 10): string {
  const shown = lines.slice(0, max).join(', ');
  const more = total - Math.min(lines.length, max);
  return more > 0 ? `${shown} and ${n(more)} more` : shown;
}

/** "times in the log's offset +01:00": the one zone every time of a report is written in. */
export function zoneText(r: Pick<AccessLogReport, 'offsetMinutes'>): string {
  return r.offsetMinutes === undefined ? 'times in UTC' : `times in the log's offset ${offsetText(r.offsetMinutes)}`;
}

function bucketLabel(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${ms / 60_000} min`;
}

function counts(r: AccessLogReport): string {
  const t = r.totals;
  return `2xx ${n(t.ok)} · 401 ${n(t.unauthorized)} · 403 ${n(t.forbidden)} · other ${n(t.other)}`;
}

function findingCounts(findings: readonly AccessLogFinding[]): string {
  const c = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return [c.error && `${c.error} error${c.error > 1 ? 's' : ''}`, c.warning && `${c.warning} warning${c.warning > 1 ? 's' : ''}`, c.info && `${c.info} for information`].filter(Boolean).join(', ');
}

/** The report as Markdown: summary, findings with their lines, top tables, the timeline. */
export function toMarkdown(r: AccessLogReport, options: { title?: string } = {}): string {
  const out: string[] = [];
  out.push(`# ${escapeMd(options.title ?? 'Access log analysis')}`, '');
  out.push(`- **Format**: ${r.format.name}${r.format.detected ? ' (detected)' : ''}${r.format.name === 'custom' ? ` \`${r.format.spec.replace(/`/g, "'")}\`` : ''}`);
  out.push(`- **Lines**: ${n(r.lines.total)}: ${n(r.lines.parsed)} parsed, ${n(r.lines.malformed)} malformed${r.lines.malformed ? ` (lines ${linesText(r.lines.malformedSample, r.lines.malformed)})` : ''}, ${n(r.lines.blank)} blank`);
  out.push(`- **WooCommerce/WordPress REST requests**: ${n(r.lines.rest)} (${counts(r)})`);
  if (r.firstMs !== undefined && r.lastMs !== undefined) out.push(`- **From** ${formatTime(r.firstMs, r.offsetMinutes)} **to** ${formatTime(r.lastMs, r.offsetMinutes)} (${zoneText(r)})`);
  out.push(`- **Distinct**: ${n(r.distinct.clients)} clients, ${n(r.distinct.endpoints)} endpoints, ${n(r.distinct.userAgents)} user agents`);
  out.push('');
  for (const note of r.notes) out.push(`> ${escapeMd(note)}`, '');

  out.push(`## Findings${r.findings.length ? ` (${findingCounts(r.findings)})` : ''}`, '');
  if (r.findings.length === 0) out.push('Nothing unusual found with these thresholds.', '');
  for (const f of r.findings) {
    out.push(`### ${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Note'}: ${escapeMd(f.title)}`, '');
    out.push(escapeMd(f.message), '');
    out.push(`*${f.kind}*, ${n(f.lineCount)} line${f.lineCount === 1 ? '' : 's'}: ${linesText(f.lines, f.lineCount, 20)}`, '');
  }

  const table = (title: string, rows: GroupSummary[], keyName: string) => {
    if (rows.length === 0) return;
    out.push(`## ${title}`, '');
    out.push(`| ${keyName} | Requests | 2xx | 401 | 403 | Other | First 401/403 lines |`, '|---|---:|---:|---:|---:|---:|---|');
    for (const g of rows) {
      out.push(`| ${escapeMd(g.key)} | ${n(g.total)} | ${n(g.ok)} | ${n(g.unauthorized)} | ${n(g.forbidden)} | ${n(g.other)} | ${linesText(g.failureLines, g.unauthorized + g.forbidden, 5)} |`);
    }
    out.push('');
  };
  table('Clients (most 401/403 first)', r.clients, 'Client');
  table('Endpoints (most 401/403 first)', r.endpoints, 'Endpoint');
  table('User agents (most 401/403 first)', r.userAgents, 'User agent');

  if (r.timeline.length) {
    out.push(`## Over time (${zoneText(r)}, ${bucketLabel(r.bucketMs)} buckets)`, '');
    out.push('<details><summary>Timeline</summary>', '');
    out.push('| From | 2xx | 401 | 403 | Other |', '|---|---:|---:|---:|---:|');
    for (const b of r.timeline) if (b.ok + b.unauthorized + b.forbidden + b.other > 0) out.push(`| ${formatTime(b.startMs, r.offsetMinutes)} | ${n(b.ok)} | ${n(b.unauthorized)} | ${n(b.forbidden)} | ${n(b.other)} |`);
    out.push('', '</details>', '');
  }
  const t = r.thresholds;
  out.push(`Thresholds: burst ≥ ${t.burstCount} 401s within ${t.burstWindowSeconds} s; ≥ ${t.distinctKeys} consumer keys from one client; ${t.failuresInARow} 401s in a row after ${t.successesBeforeFailure} successes; unusual hours judged after ${t.unusualHourMinHistory} requests over ${t.unusualHourMinDays} days (≤ ${t.unusualHourMaxShare * 100}% within an hour).`);
  return out.join('\n') + '\n';
}

const SPARK = ' ▁▂▃▄▅▆▇█';

/** One character per bucket, scaled to the busiest bucket (401s and 403s together when `failures`). */
export function sparkline(timeline: readonly TimelineBucket[], failures: boolean, width = 60): string {
  if (timeline.length === 0) return '';
  const per = Math.ceil(timeline.length / width);
  const values: number[] = [];
  for (let i = 0; i < timeline.length; i += per) {
    let v = 0;
    for (const b of timeline.slice(i, i + per)) v += failures ? b.unauthorized + b.forbidden : b.ok;
    values.push(v);
  }
  const max = Math.max(...values);
  return values.map((v) => (v === 0 ? ' ' : SPARK[Math.max(1, Math.round((v / max) * 8))])).join('');
}

/** A terminal summary: totals, findings with their lines, the top rows by 401/403. */
export function toSummary(r: AccessLogReport, file?: string): string {
  const out: string[] = [];
  out.push(`Access log${file ? ` ${file}` : ''}: ${r.format.name}${r.format.detected ? ' (detected)' : ''}`);
  out.push(`  ${n(r.lines.total)} lines: ${n(r.lines.parsed)} parsed, ${n(r.lines.malformed)} malformed${r.lines.malformed ? ` (lines ${linesText(r.lines.malformedSample, r.lines.malformed, 5)})` : ''}; ${n(r.lines.rest)} WooCommerce/WordPress REST requests`);
  if (r.firstMs !== undefined && r.lastMs !== undefined) out.push(`  ${formatTime(r.firstMs, r.offsetMinutes)} to ${formatTime(r.lastMs, r.offsetMinutes)} (${zoneText(r)})`);
  out.push(`  ${counts(r)}`);
  if (r.timeline.length > 1) {
    out.push(`  2xx      |${sparkline(r.timeline, false)}|`);
    out.push(`  401/403  |${sparkline(r.timeline, true)}|`);
  }
  for (const note of r.notes) out.push(`  Note: ${note}`);
  out.push('');
  if (r.findings.length === 0) out.push('No findings.');
  else out.push(`Findings: ${findingCounts(r.findings)}`);
  for (const f of r.findings) {
    out.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.title}`);
    out.push(`          ${f.message}`);
    out.push(`          lines ${linesText(f.lines, f.lineCount)}`);
  }
  const top = (title: string, rows: GroupSummary[]) => {
    const bad = rows.filter((g) => g.unauthorized + g.forbidden > 0).slice(0, 5);
    if (bad.length === 0) return;
    out.push('', `${title} with the most 401/403 answers:`);
    for (const g of bad) out.push(`  ${String(g.unauthorized).padStart(7)} × 401 ${String(g.forbidden).padStart(6)} × 403 ${String(g.ok).padStart(8)} × 2xx   ${g.key.length > 90 ? g.key.slice(0, 89) + '…' : g.key}`);
  };
  top('Clients', r.clients);
  top('Endpoints', r.endpoints);
  top('User agents', r.userAgents);
  return out.join('\n') + '\n';
}
