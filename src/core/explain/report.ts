// Findings and doctor reports as Markdown: for the editor's explanation view and hovers, and the CLI.
// Pure: no `vscode`.

import type { Finding } from './explain';
import type { DoctorReport } from './probes';
import { timeLeft } from '../auth/token-policy';

const CONFIDENCE: Record<Finding['confidence'], string> = { certain: 'certain', likely: 'likely', possible: 'possible' };

function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** One finding: title, how sure, the explanation, the evidence, the fixes by title. */
export function findingMarkdown(f: Finding, options: { fixLink?: (index: number) => string } = {}): string {
  const lines = [`### ${escapeMd(f.title)} (${CONFIDENCE[f.confidence]})`, '', escapeMd(f.explanation), ''];
  if (f.evidence.length) {
    lines.push('**Evidence**', '');
    for (const e of f.evidence) lines.push(`- ${escapeMd(e)}`);
    lines.push('');
  }
  if (f.fixes.length) {
    lines.push('**Fixes**', '');
    f.fixes.forEach((fix, i) => {
      const label = `${escapeMd(fix.title)}${fix.preferred ? ' (preferred)' : ''}`;
      lines.push(`- ${options.fixLink ? `[${label}](${options.fixLink(i)})` : label}`);
    });
    lines.push('');
  }
  return lines.join('\n');
}

export function findingsMarkdown(findings: readonly Finding[], heading: string): string {
  const out = [`# ${escapeMd(heading)}`, ''];
  if (findings.length === 0) out.push('Nothing to explain: the exchange looks right.');
  if (findings.length > 1) out.push(`${findings.length} causes fit this answer, most likely first. "Diagnose Store Authentication" sends safe probes that tell them apart.`, '');
  for (const f of findings) out.push(findingMarkdown(f));
  return out.join('\n');
}

export function doctorMarkdown(report: DoctorReport): string {
  const out = [
    `# Authentication of "${escapeMd(report.store.name)}"`,
    '',
    `${escapeMd(report.store.baseUrl)} · ${report.store.authMethod} · ${report.startedAt}`,
    '',
    `**${report.healthy ? 'Healthy' : 'Broken'}**: ${escapeMd(report.summary)}`,
    '',
    ...(report.tokenTimeLeftSeconds !== undefined ? [`Access token: ${report.tokenTimeLeftSeconds > 0 ? `${escapeMd(timeLeft(report.tokenTimeLeftSeconds))} left` : 'expired'}.`, ''] : []),
    '## Probes',
    '',
    '| Probe | Request | Answer | Shows |',
    '|---|---|---|---|',
  ];
  for (const p of report.probes) {
    const answer = p.status !== undefined ? `${p.status}${p.code ? ` ${p.code}` : ''}` : p.outcome;
    out.push(`| ${escapeMd(p.title)} | ${escapeMd(p.request ?? '(not sent)')} | ${escapeMd(answer)} | ${escapeMd(p.result)} |`);
  }
  out.push('');
  if (report.findings.length) {
    out.push('## Findings', '');
    for (const f of report.findings) out.push(findingMarkdown(f));
  }
  if (report.cancelled) out.push('_Cancelled before every probe ran._');
  return out.join('\n');
}
