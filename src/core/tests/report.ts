// What `woo-api test` writes: JUnit XML (the Ant/Jenkins shape that Jenkins, GitLab, GitHub
// reporters, Azure Pipelines and CircleCI read; schema in test/fixtures/junit/junit.xsd), TAP 13,
// GitHub Actions workflow commands (an ::error on each failing line) and JSON. One test case per
// request; its checks are the case's assertions. Pure: the caller writes the text where it goes.

import type { CheckResult } from './check';

export interface RequestReport {
  /** `# @name`, the `###` title, else `METHOD URL` (masked). */
  name: string;
  /** 1-based line of the request line. */
  line: number;
  method: string;
  /** Masked. */
  url: string;
  status?: number;
  durationMs: number;
  /** Why nothing was sent or nothing came back, as a sentence. */
  error?: string;
  checks: CheckResult[];
  verdict: 'passed' | 'failed' | 'skipped';
}

export interface FileReport {
  /** As the user named it (relative to the working directory). */
  file: string;
  requests: RequestReport[];
  /** The file could not be read or has errors that stop it: nothing was sent. */
  error?: string;
}

export interface TestReport {
  startedAt: string;
  files: FileReport[];
  /** --bail stopped the run after the first failure: the requests after it were not run. */
  bailed?: boolean;
}

export function totals(report: TestReport): { tests: number; passed: number; failed: number; skipped: number; checks: number; durationMs: number } {
  const all = report.files.flatMap((f) => f.requests);
  return {
    tests: all.length + report.files.filter((f) => f.error).length,
    passed: all.filter((r) => r.verdict === 'passed').length,
    failed: all.filter((r) => r.verdict === 'failed').length + report.files.filter((f) => f.error).length,
    skipped: all.filter((r) => r.verdict === 'skipped').length,
    checks: all.reduce((n, r) => n + r.checks.length, 0),
    durationMs: all.reduce((n, r) => n + r.durationMs, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// JUnit

/** XML 1.0 text: the five escapes, and characters XML cannot hold at all (control codes) dropped. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function checkLine(c: CheckResult): string {
  const mark = c.skipped ? '-' : c.passed ? '✓' : '✗';
  const cause = c.cause ? `\n      cause: ${c.cause.title}\n      fix: ${c.cause.fixes.join(' | ')}` : '';
  return `  ${mark} line ${c.range.start.line + 1}: ${c.message}${cause}`;
}

function failureText(r: RequestReport, file: string): string {
  const lines = [`${file}:${r.line} ${r.method} ${r.url}${r.status !== undefined ? ` → ${r.status}` : ''}`];
  if (r.error) lines.push(`  ${r.error}`);
  lines.push(...r.checks.map(checkLine));
  return lines.join('\n');
}

function firstFailure(r: RequestReport): string {
  const failed = r.checks.find((c) => !c.passed && !c.skipped) ?? r.checks.find((c) => c.skipped && c.kind === 'assertion');
  return failed ? `line ${failed.range.start.line + 1}: ${failed.message}` : r.error ?? (r.status !== undefined ? `HTTP ${r.status}` : 'failed');
}

export function junit(report: TestReport, hostname = 'localhost'): string {
  const t = totals(report);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="woo-api test" tests="${t.tests}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="${seconds(t.durationMs)}">`);
  report.files.forEach((f, id) => {
    const reqs = f.requests;
    const failures = reqs.filter((r) => r.verdict === 'failed').length + (f.error ? 1 : 0);
    const skipped = reqs.filter((r) => r.verdict === 'skipped').length;
    const time = reqs.reduce((n, r) => n + r.durationMs, 0);
    const classname = f.file.replace(/\\/g, '/');
    out.push(`  <testsuite name="${xmlEscape(classname)}" id="${id}" package="woo-api" tests="${reqs.length + (f.error ? 1 : 0)}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}" timestamp="${report.startedAt.slice(0, 19)}" hostname="${xmlEscape(hostname)}">`);
    out.push('    <properties/>');
    if (f.error) {
      out.push(`    <testcase name="${xmlEscape(`${classname} (file)`)}" classname="${xmlEscape(classname)}" time="0.000" file="${xmlEscape(classname)}" line="1">`);
      out.push(`      <failure message="${xmlEscape(f.error)}" type="file">${xmlEscape(f.error)}</failure>`);
      out.push('    </testcase>');
    }
    for (const r of reqs) {
      const name = `${r.name} (line ${r.line})`;
      out.push(`    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(classname)}" assertions="${r.checks.length}" time="${seconds(r.durationMs)}" file="${xmlEscape(classname)}" line="${r.line}">`);
      if (r.verdict === 'failed') {
        out.push(`      <failure message="${xmlEscape(firstFailure(r))}" type="${r.checks.some((c) => !c.passed) ? 'assertion' : 'request'}">${xmlEscape(failureText(r, classname))}</failure>`);
      } else if (r.verdict === 'skipped') {
        out.push(`      <skipped message="${xmlEscape(r.checks[0]?.message ?? 'skipped')}"/>`);
      }
      out.push(`      <system-out>${xmlEscape(failureText(r, classname))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('    <system-out/>');
    out.push('    <system-err/>');
    out.push('  </testsuite>');
  });
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// TAP 13

/** TAP's YAML block: strings quoted as JSON, which YAML reads. */
export function tap(report: TestReport): string {
  const all = report.files.flatMap((f) => [
    ...(f.error ? [{ file: f.file, r: undefined as RequestReport | undefined, error: f.error }] : []),
    ...f.requests.map((r) => ({ file: f.file, r, error: undefined as string | undefined })),
  ]);
  const out = ['TAP version 13', `1..${all.length}`];
  all.forEach((x, i) => {
    if (!x.r) {
      out.push(`not ok ${i + 1} - ${x.file}`, '  ---', `  message: ${JSON.stringify(x.error)}`, '  ...');
      return;
    }
    const r = x.r;
    const title = `${x.file}:${r.line} ${r.name}`.replace(/#/g, '\\#');
    if (r.verdict === 'skipped') {
      out.push(`ok ${i + 1} - ${title} # SKIP ${r.checks[0]?.message ?? ''}`.trimEnd());
      return;
    }
    out.push(`${r.verdict === 'passed' ? 'ok' : 'not ok'} ${i + 1} - ${title}`);
    if (r.verdict === 'failed') {
      out.push('  ---', `  message: ${JSON.stringify(firstFailure(r))}`, `  status: ${r.status ?? 'null'}`, `  duration_ms: ${Math.round(r.durationMs)}`);
      out.push('  checks:');
      for (const c of r.checks) {
        out.push(`    - line: ${c.range.start.line + 1}`, `      ok: ${c.passed}`, `      message: ${JSON.stringify(c.message)}`);
        if (c.actual !== undefined) out.push(`      actual: ${JSON.stringify(c.actual)}`);
        if (c.cause) out.push(`      cause: ${JSON.stringify(c.cause.title)}`);
      }
      out.push('  ...');
    }
  });
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

/** Workflow-command data: %, CR and LF escaped; property values also `:` and `,`. */
function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** An ::error per failing check on its own line (the request line when nothing more precise), then a summary. */
export function github(report: TestReport): string {
  const out: string[] = [];
  for (const f of report.files) {
    const file = f.file.replace(/\\/g, '/');
    if (f.error) out.push(`::error file=${ghProperty(file)},line=1,title=${ghProperty('woo-api test')}::${ghData(f.error)}`);
    for (const r of f.requests) {
      if (r.verdict !== 'failed') continue;
      const failing = r.checks.filter((c) => (!c.passed && !c.skipped) || (c.skipped && c.kind === 'assertion'));
      if (failing.length === 0) {
        out.push(`::error file=${ghProperty(file)},line=${r.line},title=${ghProperty(r.name)}::${ghData(r.error ?? (r.status !== undefined ? `${r.method} ${r.url} answered ${r.status}` : 'failed'))}`);
        continue;
      }
      for (const c of failing) {
        const cause = c.cause ? `\n${c.cause.title}. Fixes: ${c.cause.fixes.join('; ')}` : '';
        out.push(`::error file=${ghProperty(file)},line=${c.range.start.line + 1},col=${c.range.start.character + 1},endColumn=${c.range.end.character + 1},title=${ghProperty(`${r.name}: ${c.label}`)}::${ghData(c.message + cause)}`);
      }
    }
  }
  out.push(summaryLine(report));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Plain text (the terminal) and JSON

export function summaryLine(report: TestReport): string {
  const t = totals(report);
  return `${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}${report.bailed ? ' (stopped at the first failure: --bail)' : ''}`;
}

export function text(report: TestReport): string {
  const out: string[] = [];
  for (const f of report.files) {
    out.push(f.file);
    if (f.error) out.push(`  ✗ ${f.error}`);
    for (const r of f.requests) {
      const mark = r.verdict === 'passed' ? '✓' : r.verdict === 'skipped' ? '-' : '✗';
      out.push(`  ${mark} ${r.line} ${r.name}${r.status !== undefined ? ` → ${r.status}` : ''} (${Math.round(r.durationMs)} ms)`);
      if (r.error) out.push(`      ${r.error}`);
      for (const c of r.checks) if (r.verdict !== 'passed' || !c.passed) out.push(`  ${checkLine(c).replace(/\n/g, '\n  ')}`);
    }
  }
  out.push(summaryLine(report));
  return out.join('\n') + '\n';
}

export function json(report: TestReport): string {
  return JSON.stringify({ ...report, totals: totals(report) }, null, 2) + '\n';
}
