// Findings and doctor reports as Markdown: for the editor's explanation view and hovers, and the CLI.
// Pure: no `vscode`.

import type { Finding } from './explain';
import type { DoctorReport } from './probes';
import { timeLeft } from '../auth/token-policy';

const CONFIDENCE: Record<Finding['confidence'], string> = { certain: 'certain', likely: 'likely', possible: 'possible' };

function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/**
 * One finding: title, how sure, the explanation, the evidence, the fixes by title. With
 * `snippets`, the text a copy fix would copy is shown under it (for the CLI, which has no clipboard).
 */
export function findingMarkdown(f: Finding, options: { fixLink?: (index: number) => string; snippets?: boolean } = {}): string {
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
      if (options.snippets && 'snippet' in fix) lines.push('', `  For ${fix.where}:`, '', '  ```', ...fix.snippet.split('\n').map((l) => `  ${l}`), '  ```', '');
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

export function doctorMarkdown(report: DoctorReport, options: { snippets?: boolean } = {}): string {
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
  if (report.readOnlyKey) out.push('The key is read-only: reads work, writes are refused. That is reported, not failed, because the store does not say the key must write.', '');
  if (report.querySecretWouldHelp) out.push("One probe was left out: the key pair in the query string, which would settle the remaining causes but writes the consumer secret into the server's access log. Allow it to run it.", '');
  if (report.findings.length) {
    out.push('## Findings', '');
    for (const f of report.findings) out.push(findingMarkdown(f, { snippets: options.snippets }));
  }
  if (report.cancelled) out.push('_Cancelled before every probe ran._');
  return out.join('\n');
}
