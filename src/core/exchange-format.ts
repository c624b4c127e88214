// The exchange as text: the request as it went on the wire (what we added said so, secrets already
// masked by send()), each redirect, the response status, headers, timings and a readable body.
// Used by the read-only response editor and by the CLI's `send`.
//
// Pure: no `vscode`.

import type { Exchange, RecordedResponse } from './send';
import type { CheckResult } from './tests/check';

export interface ExchangeContext {
  /** "List products" or "products.http:7". */
  title?: string;
  store?: string;
  /** From applyStoreAuth: what the extension added to the request. */
  added?: string[];
  oauthBaseString?: string;
  /** Bodies larger than this are not pretty-printed (indenting a huge JSON costs more than it helps). */
  prettyLimitBytes?: number;
  /** The request's `??` assertions and handler tests, checked (SPEC §10). */
  checks?: readonly CheckResult[];
  /** Token stores: the renewals the request needed (what was done, how, with which exchanges). */
  renewals?: readonly { reason: string; ok: boolean; message: string; exchanges: readonly Exchange[] }[];
  /** Token stores: the first attempt, when the store refused its token and the request was sent again. */
  firstAttempt?: Exchange;
}

/** "# Token: …" lines: each renewal with its exchanges at the token endpoint, and the refused first attempt. */
export function formatTokenLines(ctx: Pick<ExchangeContext, 'renewals' | 'firstAttempt'>): string[] {
  const out: string[] = [];
  if (ctx.firstAttempt) {
    const r = ctx.firstAttempt.response;
    out.push(`# Token: first attempt ${ctx.firstAttempt.request.method} ${ctx.firstAttempt.request.url} → ${r ? `${r.status} ${r.statusText}`.trim() : ctx.firstAttempt.error?.message ?? 'no answer'}: the store refused the token as an expired one; renewed and sent again (second attempt below).`);
  }
  for (const renewal of ctx.renewals ?? []) {
    out.push(`# Token${renewal.reason === 'expiring' ? ' (renewed before sending: it was within 60 s of its expiry)' : renewal.reason === 'rejected' ? ' (renewed after the refusal)' : ''}: ${renewal.message}`);
    for (const ex of renewal.exchanges) out.push(`#   ${ex.request.method} ${ex.request.url} → ${ex.response ? ex.response.status : ex.error?.code ?? 'no answer'}`);
  }
  return out;
}

const TEXTUAL = /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|x-www-form-urlencoded))/i;

export function formatExchange(ex: Exchange, ctx: ExchangeContext = {}): string {
  const head = formatExchangeHead(ex, ctx);
  return ex.response ? `${head}${formatBody(ex.response, ctx.prettyLimitBytes ?? DEFAULT_PRETTY_LIMIT)}\n` : head;
}

const DEFAULT_PRETTY_LIMIT = 5 * 1024 * 1024;

/** Everything formatExchange shows before the response body (which a caller may then write in pieces). */
export function formatExchangeHead(ex: Exchange, ctx: ExchangeContext = {}): string {
  const out: string[] = [];
  const summary = [ex.startedAt];
  if (ex.response) summary.push(`${ex.response.status} ${ex.response.statusText}`.trim());
  summary.push(formatTimings(ex));
  if (ex.response) summary.push(formatBytes(ex.response.bodyBytes));
  out.push(`# ${ctx.title ?? 'Exchange'}${ctx.store ? ` · store ${ctx.store}` : ''}`);
  out.push(`# ${summary.join(' · ')}`);
  if (ex.error) out.push(`# ${ex.response ? 'Note' : 'Failed'}: ${ex.error.message}`);
  for (const a of ctx.added ?? []) out.push(`# Added by WooCommerce API Studio: ${a}`);
  if (ctx.oauthBaseString) out.push(`# OAuth 1.0a base string: ${ctx.oauthBaseString}`);
  out.push(...formatTokenLines(ctx));
  if (ctx.checks?.length) out.push(...formatChecks(ctx.checks));
  out.push('');

  for (const [i, hop] of ex.redirects.entries()) {
    out.push(`### Hop ${i + 1}: ${hop.status} → ${hop.location}${hop.note ? ` (${hop.note})` : ''}`);
    out.push(...formatRequestLines(hop.request));
    out.push('');
  }
  out.push(ex.redirects.length ? `### Final request` : '### Request');
  out.push(...formatRequestLines(ex.request));
  if (ex.request.body !== undefined) out.push('', ex.request.body);
  out.push('');

  if (ex.response) {
    out.push('### Response');
    out.push(`HTTP/1.1 ${ex.response.status} ${ex.response.statusText}`.trimEnd());
    for (const [n, v] of ex.response.headers) out.push(`${n}: ${v}`);
    out.push('', '');
  }
  return out.join('\n') + (ex.response ? '' : '\n');
}

/** `# Tests: 2 passed, 1 failed` and a line per check, the actual value in it (SPEC §10.6). */
export function formatChecks(checks: readonly CheckResult[]): string[] {
  const failed = checks.filter((c) => !c.passed && !c.skipped).length;
  const skipped = checks.filter((c) => c.skipped).length;
  const out = [`# Tests: ${checks.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`];
  for (const c of checks) {
    out.push(`#   ${c.skipped ? '-' : c.passed ? '✓' : '✗'} line ${c.range.start.line + 1}: ${c.message}`);
    if (c.cause) out.push(`#       ${c.cause.explanation.split('\n')[0]}`, `#       Fixes: ${c.cause.fixes.join('; ')}`);
  }
  return out;
}

function formatRequestLines(r: Exchange['request']): string[] {
  return [`${r.method} ${r.url} HTTP/1.1`, ...r.headers.map(([n, v]) => `${n}: ${v}`)];
}

/**
 * How the body is shown: `text` when it is made here (pretty JSON, a description, a small body),
 * or `raw`: the body's bytes as UTF-8 followed by `note`, for a caller that writes a large body
 * without a second copy of it.
 */
export type BodyShown = { text: string } | { raw: true; note: string };

export function bodyShown(res: RecordedResponse, prettyLimit = DEFAULT_PRETTY_LIMIT): BodyShown {
  const type = res.contentType ?? '';
  const note = res.incomplete
    ? `\n\n# The body is incomplete: the connection closed after ${formatBytes(res.bodyBytes)}.`
    : res.truncated ? `\n\n# The body was cut at ${formatBytes(res.bodyBytes)} (the response size limit).` : '';
  if (res.bodyBytes === 0) return { text: res.incomplete ? `(no body arrived)${note}` : '(empty body)' };
  const textual = TEXTUAL.test(type) || type === '';
  if (!textual) return { text: `(${formatBytes(res.bodyBytes)} of ${type}; not shown as text)${note}` };
  if (/json/i.test(type) && res.bodyBytes <= prettyLimit && !res.truncated && !res.incomplete) {
    const text = Buffer.from(res.body).toString('utf8');
    try {
      return { text: JSON.stringify(JSON.parse(text), null, 2) };
    } catch {
      return { text: `${text}\n\n# ${NOT_JSON}` };
    }
  }
  return { raw: true, note };
}

/** The body, pretty when it is JSON that parses, as text when textual, described otherwise. */
export function formatBody(res: RecordedResponse, prettyLimit: number): string {
  const shown = bodyShown(res, prettyLimit);
  return 'text' in shown ? shown.text : Buffer.from(res.body).toString('utf8') + shown.note;
}

const NOT_JSON = 'The Content-Type says JSON, but the body does not parse as JSON.';

/**
 * The note for a complete body labelled JSON that does not parse (up to `limit` bytes are checked:
 * parsing a bigger one costs more memory than the note is worth); else undefined.
 */
export function notJsonNote(res: RecordedResponse, limit = DEFAULT_PRETTY_LIMIT): string | undefined {
  if (!/json/i.test(res.contentType ?? '') || res.bodyBytes === 0 || res.bodyBytes > limit || res.truncated || res.incomplete) return undefined;
  try {
    JSON.parse(Buffer.from(res.body).toString('utf8'));
    return undefined;
  } catch {
    return NOT_JSON;
  }
}

export function formatTimings(ex: Exchange): string {
  const t = ex.timings;
  const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
  const parts: string[] = [];
  if (t.dns !== undefined) parts.push(`DNS ${ms(t.dns)}`);
  if (t.connect !== undefined) parts.push(`connect ${ms(t.connect)}`);
  if (t.tls !== undefined) parts.push(`TLS ${ms(t.tls)}`);
  if (t.reusedConnection) parts.push('reused connection');
  if (t.firstByte !== undefined) parts.push(`first byte ${ms(t.firstByte)}`);
  return `${ms(t.total)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
