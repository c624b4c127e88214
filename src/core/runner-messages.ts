// What the runner panel's webview and the extension say to each other. Every message from the
// webview is checked here before the extension acts on it (a webview is a web page: treat what it
// sends as input); what the extension posts is built here from the exchange, with the store's
// secrets masked, so no secret can reach the page.
//
// Pure: no `vscode`.

import { formatBytes, formatExchangeHead, type ExchangeContext } from './exchange-format';
import type { Finding } from './explain/explain';
import { preferredFix } from './explain/preferred-fix';
import { paginationOf } from './pagination';
import { redactKnownSecrets, truncatedKey } from './redact';
import { METHODS, type AuthSummary, type BodyField, type BodyKind, type BodyView, type FindingView, type ResponseView, type RunnerRequest, type TestView } from './runner-types';
import type { CheckResult } from './tests/check';

export type { AuthSummary, BodyView, FindingView, ResponseView, StoreChoice, TestView } from './runner-types';
import type { Exchange } from './send';
import { AUTH_METHODS, authLabel, type Store, type StoreSecrets } from './store';

// ---------------------------------------------------------------------------------------------
// From the webview

export type RunnerMessage =
  | { type: 'ready' }
  | { type: 'send'; request: RunnerRequest }
  | { type: 'cancel' }
  | { type: 'page'; request: RunnerRequest; page: number }
  | { type: 'fetchAll'; request: RunnerRequest }
  | { type: 'fix'; finding: number; fix: number }
  | { type: 'copyCurl'; request: RunnerRequest; includeSecrets: boolean }
  | { type: 'importCurl'; command: string }
  | { type: 'saveToHttp'; request: RunnerRequest }
  | { type: 'openBody' }
  | { type: 'selectStore'; store: string }
  | { type: 'refreshRoutes' }
  | { type: 'pickFile'; field: number }
  | { type: 'historyOpen'; id: string }
  | { type: 'historySend'; id: string }
  | { type: 'historyDelete'; id: string }
  | { type: 'historyClear' }
  | { type: 'changed'; request: RunnerRequest };

const MAX_TEXT = 10 * 1024 * 1024;
const MAX_ROWS = 200;
const BODY_KINDS: readonly BodyKind[] = ['none', 'json', 'form', 'multipart', 'text'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = 8192): v is string => typeof v === 'string' && v.length <= max;

function rows(v: unknown): { name: string; value: string; enabled: boolean }[] | undefined {
  if (!Array.isArray(v) || v.length > MAX_ROWS) return undefined;
  const out: { name: string; value: string; enabled: boolean }[] = [];
  for (const r of v) {
    if (!isObj(r) || !str(r.name, 1024) || !str(r.value, 65536) || typeof r.enabled !== 'boolean') return undefined;
    out.push({ name: r.name, value: r.value, enabled: r.enabled });
  }
  return out;
}

/** A RunnerRequest from the webview, or undefined when any part of it is not what the panel sends. */
export function parseRunnerRequest(v: unknown): RunnerRequest | undefined {
  if (!isObj(v)) return undefined;
  if (v.store !== undefined && !str(v.store, 256)) return undefined;
  if (!str(v.method, 16) || !(METHODS as readonly string[]).includes(v.method)) return undefined;
  if (!str(v.path, 8192)) return undefined;
  const query = rows(v.query);
  const headers = rows(v.headers);
  if (!query || !headers) return undefined;
  if (!isObj(v.body) || !str(v.body.kind, 16) || !(BODY_KINDS as readonly string[]).includes(v.body.kind) || !str(v.body.text, MAX_TEXT)) return undefined;
  let fields: BodyField[] | undefined;
  if (v.body.fields !== undefined) {
    if (!Array.isArray(v.body.fields) || v.body.fields.length > MAX_ROWS) return undefined;
    fields = [];
    for (const f of v.body.fields) {
      if (!isObj(f) || !str(f.name, 1024) || !str(f.value, 65536) || typeof f.enabled !== 'boolean') return undefined;
      if (f.file !== undefined && !str(f.file, 4096)) return undefined;
      fields.push({ name: f.name, value: f.value, enabled: f.enabled, ...(f.file !== undefined ? { file: f.file as string } : {}) });
    }
  }
  if (v.auth !== undefined && !(v.auth === 'store' || (AUTH_METHODS as readonly unknown[]).includes(v.auth))) return undefined;
  if (v.tests !== undefined && !str(v.tests, 64 * 1024)) return undefined;
  return {
    store: v.store as string | undefined,
    method: v.method,
    path: v.path,
    query,
    headers,
    body: { kind: v.body.kind as BodyKind, text: v.body.text, ...(fields ? { fields } : {}) },
    auth: (v.auth as RunnerRequest['auth']) ?? 'store',
    ...(typeof v.tests === 'string' && v.tests !== '' ? { tests: v.tests } : {}),
  };
}

const index = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 10_000;

/** The message, checked; undefined for anything the panel does not send. */
export function parseRunnerMessage(raw: unknown): RunnerMessage | undefined {
  if (!isObj(raw) || !str(raw.type, 32)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'cancel':
    case 'openBody':
    case 'refreshRoutes':
    case 'historyClear':
      return { type: raw.type };
    case 'send':
    case 'fetchAll':
    case 'saveToHttp':
    case 'changed': {
      const request = parseRunnerRequest(raw.request);
      return request ? { type: raw.type, request } : undefined;
    }
    case 'page': {
      const request = parseRunnerRequest(raw.request);
      return request && index(raw.page) && raw.page >= 1 ? { type: 'page', request, page: raw.page } : undefined;
    }
    case 'copyCurl': {
      const request = parseRunnerRequest(raw.request);
      return request && typeof raw.includeSecrets === 'boolean' ? { type: 'copyCurl', request, includeSecrets: raw.includeSecrets } : undefined;
    }
    case 'fix':
      return index(raw.finding) && index(raw.fix) ? { type: 'fix', finding: raw.finding, fix: raw.fix } : undefined;
    case 'importCurl':
      return str(raw.command, 1024 * 1024) ? { type: 'importCurl', command: raw.command } : undefined;
    case 'selectStore':
      return str(raw.store, 256) ? { type: 'selectStore', store: raw.store } : undefined;
    case 'pickFile':
      return index(raw.field) ? { type: 'pickFile', field: raw.field } : undefined;
    case 'historyOpen':
    case 'historySend':
    case 'historyDelete':
      return str(raw.id, 64) ? { type: raw.type, id: raw.id } : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// To the webview


export function authSummary(store: Store, secrets: StoreSecrets | undefined): AuthSummary {
  const s = secrets ?? {};
  const hasKeys = !!(s.consumerKey && s.consumerSecret);
  const alternatives: AuthSummary['alternatives'] = [];
  if (hasKeys) for (const m of ['wc-basic', 'wc-query', 'wc-oauth1'] as const) alternatives.push({ value: m, label: authLabel(m) });
  if (store.username && s.applicationPassword) alternatives.push({ value: 'app-password', label: authLabel('app-password') });
  if (s.bearerToken) alternatives.push({ value: 'bearer', label: authLabel('bearer') });
  alternatives.push({ value: 'none', label: 'No credentials (see what a stranger gets)' });
  const keyed = store.authMethod === 'wc-basic' || store.authMethod === 'wc-query' || store.authMethod === 'wc-oauth1';
  const key = store.key?.truncatedKey ?? (s.consumerKey ? truncatedKey(s.consumerKey) : undefined);
  let missing: string | undefined;
  if (keyed && !hasKeys) missing = 'No consumer key and secret are saved for this store: run "WooCommerce: Edit Store".';
  if (store.authMethod === 'app-password' && !(store.username && s.applicationPassword)) missing = 'No application password is saved for this store: run "WooCommerce: Edit Store".';
  if (store.authMethod === 'bearer' && !s.bearerToken) missing = 'No token is saved for this store: run "WooCommerce: Edit Store".';
  return { method: store.authMethod, label: authLabel(store.authMethod), key: key && (keyed || hasKeys) ? `…${key}` : undefined, user: store.authMethod === 'app-password' ? store.username : undefined, alternatives, missing };
}


const IMAGE = /^image\/(png|jpe?g|gif|webp|svg\+xml|x-icon|vnd\.microsoft\.icon|avif|bmp)\b/i;
const TEXTUAL = /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|x-www-form-urlencoded))/i;
const MAX_IMAGE = 5 * 1024 * 1024;

/** Masks the store's secrets in a text (a body that echoes a key, a Link header carrying one). */
export function maskKnown(text: string, secrets: readonly string[]): string {
  return redactKnownSecrets(text, secrets);
}

/**
 * The exchange as the panel shows it. `maxBodyBytes`: larger bodies are not posted (offered as
 * "open in editor"); `secrets`: masked wherever they could appear, the body included.
 */
export function responseView(ex: Exchange, options: { maxBodyBytes: number; secrets: readonly string[]; added?: string[]; title?: string; store?: string } & Pick<ExchangeContext, 'renewals' | 'firstAttempt'>): ResponseView {
  const t = ex.timings;
  const timings: { phase: string; ms: number }[] = [];
  for (const [phase, ms] of [['DNS', t.dns], ['Connect', t.connect], ['TLS', t.tls], ['First byte', t.firstByte]] as const) if (ms !== undefined) timings.push({ phase, ms: Math.round(ms * 10) / 10 });
  const res = ex.response;
  const mask = (s: string) => maskKnown(s, options.secrets);
  // The head as sent and received (its byte count the body's real size); the body itself is in the Body tab.
  const head = formatExchangeHead(ex, { title: options.title, store: options.store, added: options.added, renewals: options.renewals, firstAttempt: options.firstAttempt });
  const exchange = mask(res ? `${head}${res.bodyBytes > 0 ? `(body: ${formatBytes(res.bodyBytes)}, shown in the Body tab)` : '(empty body)'}\n` : head);
  const view: ResponseView = {
    url: ex.request.url,
    method: ex.request.method,
    status: res?.status,
    statusText: res?.statusText,
    error: ex.error?.message,
    timings,
    totalMs: Math.round(t.total * 10) / 10,
    size: res?.bodyBytes ?? 0,
    truncated: res?.truncated ?? false,
    headers: (res?.headers ?? []).map(([n, v]) => [n, mask(v)]),
    contentType: res?.contentType,
    body: { kind: 'empty' },
    exchange,
  };
  if (!res) return view;
  view.pagination = paginationOf(ex.request.url, res.headers);
  if (view.pagination) {
    if (view.pagination.next) view.pagination.next = mask(view.pagination.next);
    if (view.pagination.prev) view.pagination.prev = mask(view.pagination.prev);
  }
  const cut = res.incomplete ? ' The body is incomplete: the connection closed before all of it arrived.' : res.truncated ? ' The body was cut at the response size limit.' : '';
  view.body = bodyView(res.body, res.bodyBytes, res.contentType ?? '', cut, options.maxBodyBytes, mask);
  return view;
}

/** `cut`: why the body is not whole (a sentence with a leading space), or '' when it is. */
function bodyView(body: Uint8Array, bytes: number, type: string, cut: string, max: number, mask: (s: string) => string): BodyView {
  if (bytes === 0) return { kind: 'empty' };
  const truncated = cut !== '';
  if (IMAGE.test(type)) {
    if (bytes > MAX_IMAGE || truncated) return { kind: 'binary', note: `An image (${type}, ${bytes} bytes) too large to show here.${cut}` };
    return { kind: 'image', contentType: type, dataUri: `data:${type.split(';')[0]};base64,${Buffer.from(body).toString('base64')}` };
  }
  if (bytes > max) return { kind: 'too-large', note: `The body is ${(bytes / 1024 / 1024).toFixed(1)} MB, above the panel's limit of ${(max / 1024 / 1024).toFixed(0)} MB (wooApiStudio.runner.maxBodyMegabytes).${cut}` };
  const textual = TEXTUAL.test(type) || type === '';
  const text = Buffer.from(body).toString('utf8');
  if (/^text\/html/i.test(type) || (!type && /^\s*<(!doctype html|html)/i.test(text))) {
    return { kind: 'html', text: mask(text), note: 'The API answered with an HTML page, not JSON. That is usually a login or maintenance page, a security plugin or firewall page, a caching layer, or a URL outside /wp-json/. The page is shown as text; it is not rendered.' };
  }
  if (/json/i.test(type) && !truncated) return { kind: 'json', text: mask(text) };
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
  if (!textual && /[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 4096))) return { kind: 'binary', note: `${bytes} bytes of ${type || 'unknown type'}; not shown as text. Open it in an editor to see it.` };
  return { kind: 'text', text: mask(text), note: truncated ? cut.trim() : /json/i.test(type) ? undefined : undefined };
}


/** The Tests tab's results as the page shows them, the store's secrets masked. */
export function testViews(checks: readonly CheckResult[], secrets: readonly string[]): TestView[] {
  const mask = (s: string) => maskKnown(s, secrets);
  return checks.map((c) => ({
    line: c.range.start.line,
    text: mask(c.label),
    state: c.skipped ? 'skipped' : c.passed ? 'passed' : 'failed',
    message: mask(c.message),
    ...(c.actual !== undefined ? { actual: mask(c.actual) } : {}),
    ...(c.cause ? { cause: mask(`${c.cause.title}. Fixes: ${c.cause.fixes.join('; ')}`) } : {}),
  }));
}

export function findingViews(findings: readonly Finding[], secrets: readonly string[]): FindingView[] {
  const mask = (s: string) => maskKnown(s, secrets);
  // One fix is the primary button: a store-changing one only when the cause is certain (else the doctor).
  const chosen = preferredFix(findings);
  return findings.map((f, fi) => ({
    title: mask(f.title),
    explanation: mask(f.explanation),
    evidence: f.evidence.map(mask),
    confidence: f.confidence,
    fixes: f.fixes.map((x, i) => ({ title: mask(x.title), preferred: chosen?.finding === fi && chosen.fix === i })),
  }));
}
