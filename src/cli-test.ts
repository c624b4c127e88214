// `woo-api test`: the .http files as a test suite for CI. Each file's requests run in order with
// chaining (named responses, client.global), each request's `??` assertions (and, with
// --allow-scripts, its response handlers) are checked, and a report goes where CI reads it. Exit 0
// only when every request passed. Kept apart from cli.ts so the other commands stay readable.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHttpDocument, substituteFileBody, type NamedExchange, type ParsedDocument, type RequestTemplate } from './core/http';
import { checkExchange, hasChecks, verdict, type CheckResult } from './core/tests/check';
import { github, json, junit, tap, text, type FileReport, type RequestReport, type TestReport } from './core/tests/report';
import { closeConnections } from './core/send';
import { redactUrl } from './core/redact';
import { RequestLogFile } from './core/request-log';
import {
  allowedOutboundHosts, checkLogFile, dotenvFor, environmentFor, failed, missingBodyFiles, parseFlags, sendOne, timeoutMs, UsageError, where, type CliContext,
} from './cli';

export const TEST_USAGE = `  woo-api test [FILES/GLOBS…] [--env ENV] [--store NAME] [--reporter junit|tap|github|json] [--out FILE]
               [--bail] [--allow-scripts] [--timeout S] [--log FILE] [--server-clock] [--allow-outbound HOST,…]
      Runs .http/.rest files as tests: requests in file order with chaining, each request's ?? assertions
      checked (httpYac's syntax: ?? status == 200, ?? body $.id exists). Without files: every .http/.rest
      file under the current folder. A folder means the files in it; * ? ** in a name are globs.
      --reporter writes JUnit XML, TAP, GitHub workflow annotations or JSON (to stdout, or to --out FILE
      with the summary still on stdout). --bail stops at the first failing request. JetBrains response
      handlers (> {% client.test(...) %}) run only with --allow-scripts, isolated; otherwise they are
      listed as skipped. A request without assertions passes when it is answered below 400.
      Exit 0 when every request passed, 1 when one failed, 2 on a usage error.
`;

const REPORTERS = ['junit', 'tap', 'github', 'json'] as const;
type Reporter = (typeof REPORTERS)[number];

export async function testCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, ['--env', '--store', '--reporter', '--out', '--timeout', '--log', '--allow-outbound'], ['--bail', '--allow-scripts', '--server-clock']);
  const reporter = flags.values.get('--reporter') as Reporter | undefined;
  if (reporter !== undefined && !REPORTERS.includes(reporter)) throw new UsageError(`--reporter takes junit, tap, github or json, not "${reporter}".`);
  const outFile = flags.values.get('--out');
  if (outFile !== undefined && fs.existsSync(outFile) && fs.statSync(outFile).isDirectory()) throw new UsageError(`--out ${outFile} is a folder; give a file, such as ${path.join(outFile, 'woo-api.xml')}.`);
  const logFile = flags.values.get('--log');
  if (logFile !== undefined) checkLogFile(logFile);
  const files = findTestFiles(flags.positional);
  if (files.length === 0) {
    throw new UsageError(flags.positional.length ? `No .http or .rest file matches ${flags.positional.join(' ')}.` : 'No .http or .rest file under this folder. Name the files to run: woo-api test tests/*.http');
  }
  const common = {
    envName: flags.values.get('--env'), storeOverride: flags.values.get('--store'), timeout: timeoutMs(flags), log: logFile ? new RequestLogFile(path.resolve(logFile)) : undefined,
    serverClock: flags.switches.has('--server-clock') ? new Map<string, number | string>() : undefined,
    allowOutbound: allowedOutboundHosts(flags),
  };
  const allowScripts = flags.switches.has('--allow-scripts');
  const bail = flags.switches.has('--bail');

  const report: TestReport = { startedAt: new Date().toISOString(), files: [] };
  const globals: Record<string, string> = {};
  try {
    for (const file of files) {
      const shown = path.relative(process.cwd(), file) || file;
      const fileReport: FileReport = { file: shown, requests: [] };
      report.files.push(fileReport);
      let doc: ParsedDocument;
      try {
        doc = parseHttpDocument(fs.readFileSync(file, 'utf8'), { languageId: /\.(md|markdown)$/i.test(file) ? 'markdown' : 'http' });
      } catch (err) {
        fileReport.error = `${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`;
        if (bail) { report.bailed = true; break; }
        continue;
      }
      const ctx: CliContext = { file, doc, ...common };
      const environment = environmentFor(ctx);
      const dotenv = dotenvFor(ctx);
      const named = new Map<string, NamedExchange>();
      // `< file` bodies that are missing and syntax errors stop their own request, with the line.
      // A `??` line that cannot be read does not stop its request: it fails as a check instead.
      const fileProblems = [...doc.problems.filter((p) => p.severity === 'error' && p.code !== 'invalid-assertion'), ...missingBodyFiles(file, doc)];
      for (const p of fileProblems) process.stderr.write(`${where(file, p)}: error: ${p.message}\n`);
      for (const request of doc.requests) {
        const r = await runOne(ctx, request, named, { ...environment, ...globals }, dotenv, globals, allowScripts, fileProblems);
        fileReport.requests.push(r);
        if (bail && r.verdict === 'failed') { report.bailed = true; break; }
      }
      if (report.bailed) break;
    }
  } finally {
    await closeConnections();
  }

  const summary = text(report);
  if (reporter === undefined) {
    await write(process.stdout, summary);
  } else {
    const body = reporter === 'junit' ? junit(report, os.hostname()) : reporter === 'tap' ? tap(report) : reporter === 'github' ? github(report) : json(report);
    if (outFile !== undefined) {
      try {
        fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
        fs.writeFileSync(outFile, body);
      } catch (err) {
        throw new UsageError(`--out ${outFile} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
      }
      // GitHub reads annotations from the log: with --out they still go to stdout, the file keeps a copy.
      await write(process.stdout, reporter === 'github' ? body : summary);
    } else {
      await write(process.stdout, body);
      if (reporter !== 'github') await write(process.stderr, summary.split('\n').slice(-2).join('\n'));
    }
  }
  const anyFailed = report.files.some((f) => f.error || f.requests.some((r) => r.verdict === 'failed'));
  return anyFailed ? 1 : 0;
}

/** Resolves after the stream took the text: the process exits right after, and a pipe takes 64 KiB at a time. */
function write(stream: NodeJS.WriteStream, s: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(s, (err) => (err ? reject(err) : resolve())));
}

async function runOne(
  ctx: CliContext, request: RequestTemplate, named: Map<string, NamedExchange>, environment: Record<string, string>,
  dotenv: Record<string, string>, globals: Record<string, string>, allowScripts: boolean, fileProblems: { range: { start: { line: number } } ; message: string }[],
): Promise<RequestReport> {
  const line = request.requestLineRange.start.line + 1;
  const base = { name: request.name ?? request.title ?? `${request.method} ${redactUrl(request.url)}`, line, method: request.method, url: redactUrl(request.url) };
  const blocking = fileProblems.filter((p) => p.range.start.line >= request.range.start.line && p.range.start.line <= request.range.end.line);
  if (blocking.length) {
    const checks = await checkExchange(request, undefined, { allowScripts: false });
    return { ...base, durationMs: 0, error: `Not sent: ${blocking[0].message}`, checks, verdict: 'failed' };
  }
  const started = Date.now();
  const sent = await sendOne(ctx, request, named, environment, dotenv);
  const durationMs = sent.exchange?.timings.total ?? Date.now() - started;
  for (const p of sent.problems) process.stderr.write(`${where(ctx.file, p)}: ${p.severity}: ${p.message}\n`);
  const ex = sent.exchange;
  const url = ex ? redactUrl(ex.request.url) : base.url;
  const error = sent.notSent ?? (ex?.error && !ex.response ? ex.error.message : undefined);
  const variables = { environment, secretEnvironment: ctx.secretEnvironment, processEnv: process.env, dotenv: (n: string) => dotenv[n], namedResponses: named };
  let checks: CheckResult[] = [];
  if (hasChecks(request)) {
    checks = await checkExchange(request, ex?.response ? ex : undefined, {
      allowScripts,
      scriptsOffReason: 'Skipped: response handlers run JavaScript; pass --allow-scripts to run them.',
      globals,
      readHandlerFile: async (p) => fs.readFileSync(path.resolve(path.dirname(ctx.file), p), 'utf8'),
      substitute: (t) => substituteFileBody(ctx.doc, request, t, variables).text,
      findings: sent.findings,
    });
  }
  // With checks, they decide (a `?? status == 401` test passes on a 401); without, `run`'s rule.
  const v = hasChecks(request) ? (error ? 'failed' : verdict(checks)) : failed(sent) ? 'failed' : 'passed';
  return { ...base, url, method: ex?.request.method ?? base.method, ...(ex?.response ? { status: ex.response.status } : {}), durationMs, ...(error ? { error } : {}), checks, verdict: v };
}

// ---------------------------------------------------------------------------------------------
// Files and globs

const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '.vscode-test']);
const isHttpFile = (f: string) => /\.(http|rest)$/i.test(f);

/** Every file under `dir`, depth first, sorted, without the folders nobody keeps tests in. */
function walk(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, out);
    } else if (e.isFile()) out.push(p);
  }
  return out;
}

/** A glob as a regular expression over `/`-separated paths: `**` any folders, `*` and `?` within one name. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') { i++; re += '(?:[^/]*/)*'; } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += /[\\^$.|+()[\]{}]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/** Files in the order given (a glob's matches sorted), each once. */
export function findTestFiles(patterns: readonly string[], cwd = process.cwd()): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (f: string) => {
    const abs = path.resolve(cwd, f);
    if (!seen.has(abs)) { seen.add(abs); out.push(abs); }
  };
  if (patterns.length === 0) {
    walk(cwd).filter(isHttpFile).forEach(add);
    return out;
  }
  for (const pattern of patterns) {
    if (!/[*?]/.test(pattern)) {
      const abs = path.resolve(cwd, pattern);
      if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) walk(abs).filter(isHttpFile).forEach(add);
      else if (fs.existsSync(abs)) add(abs);
      else throw new UsageError(`Cannot read ${pattern}: no such file.`);
      continue;
    }
    const normalized = pattern.replace(/\\/g, '/');
    const first = normalized.search(/[*?]/);
    const baseDir = normalized.slice(0, normalized.lastIndexOf('/', first) + 1) || './';
    const absBase = path.resolve(cwd, baseDir);
    const re = globToRegExp(path.resolve(cwd, normalized).replace(/\\/g, '/'));
    walk(absBase).filter((f) => re.test(f.replace(/\\/g, '/'))).forEach(add);
  }
  return out;
}
