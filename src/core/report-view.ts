// The Explain and Doctor reports as the report panel shows them: a heading, a verdict, the probes
// as rows, and the findings as cards (cause, how sure, explanation, evidence, fixes with the
// preselected one marked, and the text a copy fix copies). Plain data for the webview: it renders
// text only, never markup, and posts back a fix by its finding's and its own index.
//
// Pure: no `vscode`.
import type { Finding } from './explain/explain';
import type { DoctorReport } from './explain/probes';
import { preferredFix } from './explain/preferred-fix';
import { authLabel } from './store';
import type { ReportFindingView, ReportFixView, ReportView } from './report-types';

export type { ReportFindingView, ReportFixView, ReportView };

function findingCards(findings: readonly Finding[]): ReportFindingView[] {
  const chosen = preferredFix(findings);
  return findings.map((f, fi) => ({
    title: f.title,
    confidence: f.confidence,
    explanation: f.explanation,
    evidence: [...f.evidence],
    fixes: f.fixes.map((x, i) => ({
      title: x.title,
      preferred: chosen?.finding === fi && chosen.fix === i,
      ...('snippet' in x ? { snippet: x.snippet, where: x.where } : {}),
    })),
  }));
}

export function explainView(findings: readonly Finding[], heading: string): ReportView {
  const notes: string[] = [];
  if (findings.length === 0) notes.push('Nothing to explain: the exchange looks right.');
  if (findings.length > 1) notes.push(`${findings.length} causes fit this answer, most likely first. "Diagnose store authentication" sends safe probes that tell them apart.`);
  return { kind: 'explain', heading, notes, findings: findingCards(findings) };
}

export function doctorView(report: DoctorReport): ReportView {
  const notes: string[] = [];
  if (report.readOnlyKey) notes.push('The key is read-only: reads work, writes are refused. That is reported, not failed, because the store does not say the key must write.');
  if (report.querySecretWouldHelp) notes.push("One probe was left out: the key pair in the query string, which would settle the remaining causes but writes the consumer secret into the server's access log.");
  if (report.cancelled) notes.push('Cancelled before every probe ran.');
  return {
    kind: 'doctor',
    heading: `Authentication of "${report.store.name}"`,
    meta: `${report.store.baseUrl} · ${authLabel(report.store.authMethod)} · ${new Date(report.startedAt).toLocaleString()}`,
    verdict: { healthy: report.healthy, text: report.summary },
    notes,
    probes: report.probes.map((p) => ({
      title: p.title,
      request: p.request ?? '(not sent)',
      answer: p.status !== undefined ? `${p.status}${p.code ? ` ${p.code}` : ''}` : p.outcome,
      outcome: p.outcome,
      result: p.result,
    })),
    findings: findingCards(report.findings),
  };
}

/** A message from the report page: a fix button, "open as Markdown", or ready. undefined: refused. */
export type ReportMessage = { type: 'ready' } | { type: 'markdown' } | { type: 'fix'; finding: number; fix: number };

export function parseReportMessage(raw: unknown, view: ReportView | undefined): ReportMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready' || m.type === 'markdown') return Object.keys(m).length === 1 ? { type: m.type } : undefined;
  if (m.type !== 'fix' || Object.keys(m).length !== 3) return undefined;
  const { finding, fix } = m;
  if (!Number.isInteger(finding) || !Number.isInteger(fix)) return undefined;
  const f = view?.findings[finding as number];
  if (!f || (fix as number) < 0 || (fix as number) >= f.fixes.length) return undefined;
  return { type: 'fix', finding: finding as number, fix: fix as number };
}
