// A request's checks against its exchange: the `??` assertions (always; no code runs for them) and
// the JetBrains response handlers (only in a trusted workspace, in handler-sandbox.ts). One result
// per assertion line and per `client.test`, each with the line it belongs to, so the editor, the
// exchange view, the runner panel, the Testing view and `woo-api test` all show the same thing.

import { evaluateAssertion, isAssertion, parseAssertion, type AssertionResponse, type Range, type RequestTemplate } from '../http';
import type { Finding } from '../explain/explain';
import type { Exchange } from '../send';
import type * as HandlerSandboxModule from './handler-sandbox';
import type { HandlerOutcome } from './handler-sandbox';
import { lazily } from '../lazy';

/** The worker that runs response handler scripts, read with the first handler (see core/lazy.ts). */
const handlerSandbox = lazily(() => require('./handler-sandbox') as typeof HandlerSandboxModule);

export interface CheckResult {
  kind: 'assertion' | 'handler';
  /** `status == 200`, or the client.test name. */
  label: string;
  /** The `??` line, or the handler's. */
  range: Range;
  passed: boolean;
  /** Not evaluated (a handler in an untrusted workspace, an assertion on a request that got no answer). */
  skipped?: boolean;
  /** The value checked, as shown. */
  actual?: string;
  expected?: string;
  /** A sentence: `status (401) == 200`, the handler's assertion message, or why it was skipped. */
  message: string;
  /** A failed status assertion on a 401/403: the explainer's most likely cause and its fixes. */
  cause?: { id: string; title: string; explanation: string; fixes: string[] };
}

export interface CheckOptions {
  /** Workspace Trust (VS Code) or --allow-scripts (CLI): response handlers run only when true. */
  allowScripts: boolean;
  /** `client.global`, shared by the requests of one run; updated in place. */
  globals?: Record<string, string>;
  /** A handler file (`> ./check.js`) as written; the caller resolves it against the .http file. */
  readHandlerFile?(path: string): Promise<string>;
  /** `{{variables}}` in expected values. */
  substitute?(text: string): string;
  /** The explainer's findings for this exchange (a failed status assertion on a 401/403 carries the first). */
  findings?: readonly Finding[];
  handlerTimeoutMs?: number;
  /** Why handlers are off, when they are (the editor: Restricted Mode; the CLI: no --allow-scripts). */
  scriptsOffReason?: string;
}

/** True when the request has anything to check: a `??` line or a response handler. */
export function hasChecks(request: RequestTemplate): boolean {
  return request.assertions.length > 0 || request.scripts.some((s) => s.when === 'response' && s.flavor === 'jetbrains');
}

export function responseForAssertions(exchange: Exchange): AssertionResponse | undefined {
  const r = exchange.response;
  if (!r) return undefined;
  return {
    status: r.status,
    headers: r.headers,
    bodyText: Buffer.from(r.body).toString('utf8'),
    bodyBytes: r.body,
    contentType: r.contentType,
    timings: exchange.timings,
  };
}

/** Every check of the request, skipped ones included, in line order. */
export async function checkExchange(request: RequestTemplate, exchange: Exchange | undefined, options: CheckOptions): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const response = exchange ? responseForAssertions(exchange) : undefined;
  const why = exchange?.error?.message ?? 'the request was not sent';
  for (const line of request.assertions) {
    const a = parseAssertion(line);
    if (!isAssertion(a)) {
      out.push({ kind: 'assertion', label: line.text, range: line.range, passed: false, message: a.message });
      continue;
    }
    if (!response) {
      out.push({ kind: 'assertion', label: a.text, range: a.range, passed: false, skipped: true, message: `Not checked: ${why}.` });
      continue;
    }
    let outcome;
    try {
      outcome = evaluateAssertion(a, response, options.substitute);
    } catch (err) {
      out.push({ kind: 'assertion', label: a.text, range: a.range, passed: false, message: `${a.text}: ${(err as Error).message}` });
      continue;
    }
    const result: CheckResult = { kind: 'assertion', label: a.text, range: a.range, passed: outcome.passed, actual: outcome.actual, message: outcome.message };
    if (outcome.expected !== undefined) result.expected = outcome.expected;
    if (!outcome.passed && a.subject === 'status' && (response.status === 401 || response.status === 403) && options.findings?.length) {
      const f = options.findings[0];
      result.cause = { id: f.cause, title: f.title, explanation: f.explanation, fixes: f.fixes.map((x) => x.title) };
      result.message += ` — ${f.title}`;
    }
    out.push(result);
  }
  for (const script of request.scripts) {
    if (script.when !== 'response' || script.flavor !== 'jetbrains') continue;
    const origin = script.file ?? `response handler (line ${script.range.start.line + 1})`;
    const skip = (message: string) => out.push({ kind: 'handler', label: origin, range: script.range, passed: false, skipped: true, message });
    if (!options.allowScripts) {
      skip(options.scriptsOffReason ?? 'Skipped: response handlers run JavaScript, and this workspace is not trusted (Restricted Mode), so it was not run.');
      continue;
    }
    if (!response) {
      skip(`Not run: ${why}.`);
      continue;
    }
    let source = script.source ?? '';
    if (script.file !== undefined) {
      try {
        source = options.readHandlerFile ? await options.readHandlerFile(script.file) : '';
      } catch {
        out.push({ kind: 'handler', label: origin, range: script.range, passed: false, message: `The handler file ${script.file} cannot be read. Paths are relative to the .http file.` });
        continue;
      }
    }
    const globals = options.globals ?? {};
    const outcome: HandlerOutcome = await handlerSandbox().runResponseHandler({ source, origin, response, globals, timeoutMs: options.handlerTimeoutMs });
    if (options.globals) {
      for (const k of Object.keys(options.globals)) delete options.globals[k];
      Object.assign(options.globals, outcome.globals);
    }
    for (const t of outcome.tests) {
      out.push({ kind: 'handler', label: t.name, range: script.range, passed: t.passed, message: t.passed ? t.name : `${t.name}: ${t.message ?? 'failed'}` });
    }
    if (outcome.error) out.push({ kind: 'handler', label: origin, range: script.range, passed: false, message: outcome.error });
  }
  return out.sort((x, y) => x.range.start.line - y.range.start.line);
}

/**
 * The runner panel's Tests tab: assertions one a line, with or without the leading `??` (blank
 * lines and `#` comments skipped); ranges are lines of that text.
 */
export async function checkAssertionText(text: string, exchange: Exchange | undefined, findings?: readonly Finding[]): Promise<CheckResult[]> {
  const assertions = text.split(/\r?\n/).flatMap((raw, line) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith('//')) return [];
    const body = t.startsWith('??') ? t.slice(2).trim() : t;
    return [{ text: body, range: { start: { line, character: 0 }, end: { line, character: raw.length } } }];
  });
  if (assertions.length === 0) return [];
  const request = { assertions, scripts: [] } as unknown as RequestTemplate;
  return checkExchange(request, exchange, { allowScripts: false, findings });
}

/** Passed when every check that ran passed; a request with only skipped checks has not passed. */
export function verdict(results: readonly CheckResult[]): 'passed' | 'failed' | 'skipped' {
  // An assertion is skipped only when there was no answer to check: that request failed.
  if (results.some((r) => (!r.passed && !r.skipped) || (r.skipped && r.kind === 'assertion'))) return 'failed';
  if (results.length > 0 && results.every((r) => r.skipped)) return 'skipped';
  return 'passed';
}
