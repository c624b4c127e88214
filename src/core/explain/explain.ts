// Explains one exchange: given the request as it went on the wire (masked), its redirects and the
// response, plus what the client knows about the store, it returns findings ranked by likelihood,
// each with a cause from the catalogue, concrete evidence and fixes.
//
// WooCommerce answers the same `401 woocommerce_rest_cannot_view` to half a dozen different
// mistakes (FACTS.md "What follows" 2), so the response alone is rarely enough. What the client
// adds: the scheme and host it used vs the store's Home URL (from /wp-json/ or the api.w.org Link
// header, which WordPress builds from its Home URL with the scheme of is_ssl()), how the
// credentials were sent (the recorded Authorization header keeps its scheme word; query parameter
// names stay readable), the redirect hops, the content type, the Date header, `rest_route` in the
// URL. Where several causes still fit, every one of them is returned as `likely` or `possible` with
// the `run-doctor` fix: the doctor (probes.ts) sends the request differently and tells them apart.
//
// Pure: no `vscode`, no I/O.

import type { Exchange, Hop } from '../send';
import { isStoreHost, type AuthMethod, type Store } from '../store';
import { CAUSES, doctorFix, removeOwnAuthorizationFix, STORE_CREDENTIAL_FIXES, type CauseId, type Fix, type FixContext } from './causes';
import type { TokenEvidence } from './token-evidence';
import { explainTokenAnswer } from './token-explain';
import { trimSlashes, trimTrailingSlashes } from '../url-text';
import { parseLinkHeader } from '../pagination';
import { plainSuccess } from './plain-success';

/** How much of a response body the explainer reads: WooCommerce's refusals are a few hundred bytes. */
const EXPLAIN_BODY_LIMIT = 1024 * 1024;

export type Confidence = 'certain' | 'likely' | 'possible';

export interface Finding {
  cause: CauseId;
  title: string;
  explanation: string;
  /** Concrete sentences about this exchange. */
  evidence: string[];
  confidence: Confidence;
  fixes: Fix[];
  /** The part of the request involved, so the editor can link it. */
  related?: { kind: 'header' | 'query-param' | 'url'; name?: string };
}

/** What the store's REST index (`/wp-json/`, or `?rest_route=/`) said. */
export interface StoreIndex {
  /** `home`: the Home URL, with the scheme of the server's is_ssl() when the index was read. */
  home?: string;
  /** `url`: the Site URL (where wp-admin lives). */
  url?: string;
  /** True when the index was read over https:// (the store serves HTTPS). */
  https?: boolean;
  /** The index advertises application passwords (`authentication.application-passwords`). */
  applicationPasswords?: boolean;
  /** The index was only reachable as `?rest_route=/`: the site is on plain permalinks. */
  plainPermalinks?: boolean;
}

export interface ExplainInput {
  exchange: Exchange;
  store?: Store;
  /** The auth method that was applied to this request; 'none' when none was. Default: the store's. */
  authMethod?: AuthMethod;
  applied?: { added: string[]; oauthBaseString?: string; ownAuthorization?: boolean };
  index?: StoreIndex;
  /** This machine's clock when the response arrived. Default: the exchange's start plus its duration. */
  now?: Date;
  /** The token behind the request (where it went, its claims, its known expiry, a probe), for token stores. */
  token?: TokenEvidence;
}

const RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

/** OAuth 1.0a allows this much difference between oauth_timestamp and the server's clock. */
export const OAUTH_WINDOW_SECONDS = 15 * 60;

export const MESSAGES = {
  secretInvalid: 'Consumer secret is invalid.',
  keyInvalid: 'Consumer key is invalid.',
  signatureMismatch: 'Invalid signature - provided signature does not match.',
  signatureMethod: 'Invalid signature - signature method is invalid.',
  timestamp: 'Invalid timestamp.',
  nonce: 'Invalid nonce - nonce has already been used.',
  noWrite: 'The API key provided does not have write permissions.',
  noRead: 'The API key provided does not have read permissions.',
  outOfScope: 'The provided API key cannot be used to access this endpoint.',
} as const;

// ---------------------------------------------------------------------------------------------
// Facts: what the exchange shows, read once.

type CredentialKind = 'none' | 'keys-basic' | 'keys-query' | 'oauth-query' | 'oauth-header' | 'app-password' | 'basic-unknown' | 'bearer' | 'other';

interface SentAuth {
  kind: CredentialKind;
  /** Lower-cased scheme word of the Authorization header, when there was one. */
  scheme?: string;
  oauthParams: string[];
  cookie: boolean;
  wpNonce: boolean;
}

interface ApiTarget {
  kind: 'wp-json' | 'rest-route' | 'legacy' | 'none';
  /** '/wc/v3/products' */
  route?: string;
  /** The part of the URL path up to and including the REST prefix ('/shop/wp-json'). */
  prefixPath?: string;
}

interface ServerError {
  code: string;
  message: string;
  status?: number;
}

export interface ExchangeFacts {
  method: string;
  url: URL;
  originalUrl: URL;
  sent: SentAuth;
  originalSent: SentAuth;
  authMethod?: AuthMethod;
  api: ApiTarget;
  status: number;
  contentType: string;
  isHtml: boolean;
  isJson: boolean;
  error?: ServerError;
  legacyErrors?: ServerError[];
  /** The api.w.org Link header's URL (WordPress's REST root, built from its Home URL). */
  restLink?: URL;
  /** The site's Home URL as the server sees it (index, else Link, else the store's homeUrl option). */
  home?: URL;
  /** Where that Home URL came from, for evidence. */
  homeSource?: string;
  /** The server's is_ssl(), when the response shows it. */
  serverSsl?: boolean;
  plainPermalinks: boolean;
  serverDate?: Date;
  clientTime: Date;
  /** Server minus client, seconds (from the Date header). */
  skewSeconds?: number;
  oauthTimestamp?: number;
  redirects: Hop[];
  restPrefix: string;
  /** The web server's own page for plain HTTP sent to its TLS port (Apache, nginx). */
  plainHttpToTls: boolean;
}

export function explainExchange(input: ExplainInput): Finding[] {
  if (!input.exchange.response) return closedOnPlainHttp(input.exchange);
  if (plainSuccess(input.exchange)) return [];
  const facts = gatherFacts(input);
  if (!facts) return [];
  const out = new FindingList(facts, input);
  analyse(facts, input, out);
  const ranked = out.ranked();
  if (input.applied?.ownAuthorization && input.store && input.store.authMethod !== 'none') ownAuthorizationWins(ranked, input.store);
  return ranked;
}

/**
 * The request wrote its own Authorization header, so the store's credentials were left out (the
 * user's header wins). Repairs to the store cannot reach this request: they go, and deleting the
 * header, after which the store's credentials apply, comes first.
 */
function ownAuthorizationWins(findings: Finding[], store: Store): void {
  const why = `This request sets its own Authorization header, so the credentials of store "${store.name}" were not applied to it: changing the store's auth method or keys does nothing for it. Delete the header to send with the store's credentials.`;
  for (const finding of findings) {
    finding.evidence.push(why);
    const kept = finding.fixes.filter((x) => !STORE_CREDENTIAL_FIXES.has(x.id)).map((x) => ({ ...x, preferred: undefined }));
    finding.fixes = [removeOwnAuthorizationFix(), ...kept];
  }
}

/**
 * No answer at all: a connection closed without a word on an http:// URL is what a TLS-only port
 * does to plain HTTP (a server that ends TLS itself just drops what it cannot read).
 */
function closedOnPlainHttp(exchange: Exchange): Finding[] {
  const url = parseUrl(exchange.request.url);
  if (!url || url.protocol !== 'http:' || !/^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/.test(exchange.error?.code ?? '')) return [];
  const c = CAUSES['http-to-https-port'];
  return [{
    cause: c.id,
    title: c.title,
    explanation: c.explanation,
    evidence: [`${url.host} closed the connection to ${displayUrl(url.href)} without answering. A port that speaks HTTPS does that to a plain HTTP request; try https://${url.host}.`],
    confidence: 'likely',
    fixes: c.fixes({ requestUrl: url.href }),
    related: { kind: 'url' },
  }];
}

/**
 * A 2xx reached without a redirect whose body is not HTML: nothing below can find anything in it
 * (only an HTML page or a redirect makes a 2xx a trap), so its body, however big, is not parsed.
 */
/** The cause catalogue's title for a cause id (undefined for an id it does not know). */
export function causeTitle(id: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(CAUSES, id) ? CAUSES[id as CauseId].title : undefined;
}

/** A one-line diagnostic message for the findings (empty when there are none). */
export function summarize(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const [top] = findings;
  if (top.confidence === 'certain') {
    const more = findings.filter((f) => f !== top && f.confidence !== 'possible');
    return more.length ? `${top.title} (also: ${more.map((f) => lowerFirst(f.title)).join('; ')})` : top.title;
  }
  const likely = findings.filter((f) => f.confidence === 'likely');
  const possible = findings.filter((f) => f.confidence === 'possible');
  const lead = likely.length ? likely : [top];
  const rest = likely.length ? possible : possible.filter((f) => f !== top);
  let line = lead.length === 1 ? `Probably: ${lowerFirst(lead[0].title)}` : `One of: ${lead.map((f) => lowerFirst(f.title)).join('; or ')}`;
  if (rest.length) line += `; perhaps ${rest.map((f) => lowerFirst(f.title)).join('; or ')}`;
  if (findings.some((f) => f.fixes.some((x) => x.id === 'run-doctor'))) line += '. Diagnose the store to tell which';
  return line;
}

function lowerFirst(s: string): string {
  const word = s.split(' ')[0];
  return /^[A-Z][a-z]*$/.test(word) && !/^(OAuth|WooCommerce|WordPress)$/.test(word) ? s[0].toLowerCase() + s.slice(1) : s;
}

// ---------------------------------------------------------------------------------------------

class FindingList {
  private readonly list: Finding[] = [];
  readonly baseCtx: FixContext;

  constructor(facts: ExchangeFacts, input: ExplainInput) {
    const requestUrl = facts.originalUrl.href;
    const home = facts.home ? stripSlash(facts.home.href) : undefined;
    const adminBase = input.index?.url ?? home ?? (input.store ? stripSlash(input.store.baseUrl) : facts.url.origin);
    this.baseCtx = {
      requestUrl,
      homeUrl: home,
      adminBaseUrl: stripSlash(adminBase),
      httpsAvailable: input.index?.https ?? (facts.url.protocol === 'https:' && facts.status !== 0 ? true : undefined),
      httpsUrl: input.index?.https && home?.startsWith('https://') ? home : undefined,
      clockOffsetSeconds: facts.skewSeconds,
      authMethod: facts.authMethod,
      plainPermalinks: facts.plainPermalinks,
    };
  }

  add(cause: CauseId, confidence: Confidence, evidence: string[], opts: { related?: Finding['related']; ctx?: Partial<FixContext> } = {}): void {
    const existing = this.list.find((f) => f.cause === cause);
    if (existing) {
      if (RANK[confidence] < RANK[existing.confidence]) existing.confidence = confidence;
      for (const e of evidence) if (!existing.evidence.includes(e)) existing.evidence.push(e);
      return;
    }
    const c = CAUSES[cause];
    this.list.push({
      cause,
      title: c.title,
      explanation: c.explanation,
      evidence: [...new Set(evidence)],
      confidence,
      fixes: c.fixes({ ...this.baseCtx, ...opts.ctx }),
      related: opts.related,
    });
  }

  has(cause: CauseId): boolean {
    return this.list.some((f) => f.cause === cause);
  }

  get size(): number {
    return this.list.length;
  }

  ranked(): Finding[] {
    const sorted = this.list.map((f, i) => ({ f, i })).sort((a, b) => RANK[a.f.confidence] - RANK[b.f.confidence] || a.i - b.i).map(({ f }) => f);
    // Never more certainty than we have: when the top finding is not certain, offer the doctor.
    if (sorted.length && sorted[0].confidence !== 'certain') {
      for (const f of sorted) {
        if (f.confidence !== 'certain' && !f.fixes.some((x) => x.id === 'run-doctor')) f.fixes.push(doctorFix());
      }
    }
    return sorted;
  }
}

// ---------------------------------------------------------------------------------------------
// Gathering facts

function gatherFacts(input: ExplainInput): ExchangeFacts | undefined {
  const { exchange } = input;
  const response = exchange.response;
  if (!response) return undefined;
  const url = parseUrl(exchange.request.url);
  if (!url) return undefined;
  const originalRequest = exchange.redirects[0]?.request ?? exchange.request;
  const originalUrl = parseUrl(originalRequest.url) ?? url;
  const restPrefix = trimSlashes(input.store?.options?.restPrefix ?? 'wp-json') || 'wp-json';

  const ownHeader = input.applied?.added.some((a) => /own Authorization header/i.test(a)) ?? false;
  const authMethod = ownHeader ? undefined : input.authMethod ?? input.store?.authMethod;
  const sent = sentAuth(exchange.request.headers, url, authMethod);
  const originalSent = sentAuth(originalRequest.headers, originalUrl, authMethod);

  const contentType = (response.contentType ?? header(response.headers, 'content-type') ?? '').toLowerCase();
  // Error bodies are small; a 50 MB answer is read from its first MiB only (never copied or parsed whole).
  const body = response.body;
  const whole = body.length <= EXPLAIN_BODY_LIMIT;
  const text = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, EXPLAIN_BODY_LIMIT)).toString('utf8');
  const trimmed = text.trimStart();
  const isHtml = /text\/html|application\/xhtml/.test(contentType) || /^<(!doctype html|html|head|body)\b/i.test(trimmed);
  let json: unknown;
  const looksJson = /json/.test(contentType) || /^[[{]/.test(trimmed);
  if (looksJson && whole) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  const isJson = json !== undefined || (looksJson && !whole);
  let error: ServerError | undefined;
  let legacyErrors: ServerError[] | undefined;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (typeof o.code === 'string' && typeof o.message === 'string') {
      const data = o.data as Record<string, unknown> | null | undefined;
      error = { code: o.code, message: stripTags(o.message), status: typeof data?.status === 'number' ? data.status : undefined };
    } else if (typeof o.error === 'string' && typeof o.error_description === 'string') {
      // An OAuth 2.0 error (RFC 6749 5.2).
      error = { code: o.error, message: stripTags(o.error_description) };
    } else if (Array.isArray(o.errors)) {
      legacyErrors = (o.errors as unknown[])
        .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
        .map((e) => ({ code: String(e.code ?? ''), message: stripTags(String(e.message ?? '')) }));
    }
  }

  const restLink = apiLink(response.headers, url);
  const api = apiTarget(url, restPrefix);
  let home: URL | undefined;
  let homeSource: string | undefined;
  if (input.index?.home && parseUrl(input.index.home)) {
    home = parseUrl(input.index.home);
    homeSource = "the store's /wp-json/ index (home)";
  } else if (restLink) {
    home = homeFromRestLink(restLink, restPrefix);
    homeSource = 'the api.w.org Link header of this response';
  } else if (input.store?.options?.homeUrl && parseUrl(input.store.options.homeUrl)) {
    home = parseUrl(input.store.options.homeUrl);
    homeSource = "the store's homeUrl option";
  }
  // The Link header is built with is_ssl() for this very request; the index's home with is_ssl()
  // when the index was read, which tells the same when it was read over HTTPS.
  let serverSsl: boolean | undefined;
  if (restLink) serverSsl = restLink.protocol === 'https:';
  else if (url.protocol === 'http:') serverSsl = false;
  else if (input.index?.https && input.index.home) serverSsl = input.index.home.startsWith('https:');

  const plainPermalinks = input.index?.plainPermalinks === true || (restLink !== undefined && restLink.searchParams.has('rest_route'));

  const dateHeader = header(response.headers, 'date');
  const serverDate = dateHeader && !Number.isNaN(Date.parse(dateHeader)) ? new Date(Date.parse(dateHeader)) : undefined;
  const started = Date.parse(exchange.startedAt);
  const clientTime = input.now ?? (Number.isNaN(started) ? new Date() : new Date(started + (exchange.timings?.total ?? 0)));
  // Date has whole seconds, cut down: on average half a second early.
  const skewSeconds = serverDate ? Math.round((serverDate.getTime() + 500 - clientTime.getTime()) / 1000) : undefined;
  const tsParam = url.searchParams.get('oauth_timestamp') ?? oauthHeaderParam(exchange.request.headers, 'oauth_timestamp');
  const oauthTimestamp = tsParam && /^\d+$/.test(tsParam) ? Number(tsParam) : undefined;

  return {
    method: exchange.request.method.toUpperCase(),
    url,
    originalUrl,
    sent,
    originalSent,
    authMethod,
    api,
    status: response.status,
    contentType,
    isHtml,
    isJson,
    error,
    legacyErrors,
    restLink,
    home,
    homeSource,
    serverSsl,
    plainPermalinks,
    serverDate,
    clientTime,
    skewSeconds,
    oauthTimestamp,
    redirects: exchange.redirects,
    restPrefix,
    plainHttpToTls: response.status === 400 && PLAIN_HTTP_TO_TLS.test(text.slice(0, 4096)),
  };
}

/** Apache: "You're speaking plain HTTP to an SSL-enabled server port"; nginx: "The plain HTTP request was sent to HTTPS port". */
const PLAIN_HTTP_TO_TLS = /speaking plain HTTP to an SSL-enabled server port|plain HTTP request was sent to HTTPS port/i;

function sentAuth(headers: readonly [string, string][], url: URL, authMethod: AuthMethod | undefined): SentAuth {
  const authorization = header(headers, 'authorization')?.trim();
  const scheme = authorization ? /^([A-Za-z][\w-]*)/.exec(authorization)?.[1]?.toLowerCase() : undefined;
  const queryNames = [...url.searchParams.keys()];
  const oauthQuery = queryNames.filter((n) => /^oauth_/.test(n));
  const oauthHeaderNames = scheme === 'oauth' ? [...authorization!.matchAll(/(oauth_[a-z_]+)\s*=/g)].map((m) => m[1]) : [];
  const hasQueryKey = url.searchParams.has('consumer_key') || url.searchParams.has('consumer_secret');
  let kind: CredentialKind = 'none';
  if (hasQueryKey) kind = 'keys-query';
  else if (oauthQuery.length) kind = 'oauth-query';
  else if (scheme === 'oauth') kind = 'oauth-header';
  else if (scheme === 'basic') kind = authMethod === 'app-password' ? 'app-password' : authMethod === 'wc-basic' ? 'keys-basic' : 'basic-unknown';
  else if (scheme === 'bearer') kind = 'bearer';
  else if (scheme) kind = 'other';
  return {
    kind,
    scheme,
    oauthParams: [...new Set([...oauthQuery, ...oauthHeaderNames])],
    cookie: header(headers, 'cookie') !== undefined,
    wpNonce: header(headers, 'x-wp-nonce') !== undefined || url.searchParams.has('_wpnonce'),
  };
}

function apiTarget(url: URL, prefix: string): ApiTarget {
  const restRoute = url.searchParams.get('rest_route');
  if (restRoute !== null) return { kind: 'rest-route', route: '/' + restRoute.replace(/^\/+/, '') };
  const path = url.pathname;
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^(.*?/${escaped})(/.*)?$`).exec(path);
  if (m) return { kind: 'wp-json', prefixPath: m[1], route: m[2] ?? '/' };
  if (/\/wc-api\/v?\d/.test(path) || /\/wc-api\/?$/.test(path)) return { kind: 'legacy' };
  return { kind: 'none' };
}

function apiLink(headers: readonly [string, string][], base: URL): URL | undefined {
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'link') continue;
    // Read as pagination reads Link, in one pass (a regular expression per part was quadratic on a header of `<`).
    const target = parseLinkHeader(value)['https://api.w.org/'];
    if (target !== undefined) {
      try {
        return new URL(target, base);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * A message saying the REST API is closed to strangers ("only authenticated users…", "REST API …
 * disabled/restricted" on one line). Line by line with indexOf: the pattern
 * /rest api.*(disabled|restricted)/ rescanned the line from every "rest api" in it.
 */
export function restApiClosed(msg: string): boolean {
  const lower = msg.toLowerCase();
  if (lower.includes('only authenticated users')) return true;
  for (const line of lower.split(/[\n\r\u2028\u2029]/)) {
    const at = line.indexOf('rest api');
    if (at >= 0 && (line.includes('disabled', at + 8) || line.includes('restricted', at + 8))) return true;
  }
  return false;
}

function homeFromRestLink(link: URL, prefix: string): URL | undefined {
  let path = link.pathname;
  if (link.searchParams.has('rest_route')) path = path.replace(/\/(index\.php)?$/, '');
  else path = path.replace(new RegExp(`/${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?$`), '');
  return parseUrl(`${link.protocol}//${link.host}${path}`);
}

function oauthHeaderParam(headers: readonly [string, string][], name: string): string | undefined {
  const value = header(headers, 'authorization');
  if (!value || !/^oauth\s/i.test(value)) return undefined;
  const m = new RegExp(`${name}\\s*=\\s*"?([^",]*)"?`).exec(value);
  return m ? decodeURIComponent(m[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The analysis

function analyse(f: ExchangeFacts, input: ExplainInput, out: FindingList): void {
  const isApi = f.api.kind !== 'none';
  const originalApi = apiTarget(f.originalUrl, f.restPrefix).kind !== 'none';
  const answer = answerSentence(f);

  // 0. Tokens: a sign-in, a renewal, an OAuth step, or a request whose bearer token was refused.
  if (explainTokenAnswer(f, input, out, answer)) return;

  // 1. Redirects on the way.
  if (f.redirects.length && (isApi || originalApi)) redirectFindings(f, out);

  // 2. A redirect that was not followed (@no-redirect, or the doctor).
  if (f.status >= 300 && f.status < 400 && (isApi || originalApi)) {
    unfollowedRedirect(f, input, out);
    return;
  }

  // 3. HTML where JSON was expected: first the web server's page for plain HTTP on its TLS port.
  if (f.plainHttpToTls) {
    out.add('http-to-https-port', 'certain', [`${answer}: the web server's page for a plain HTTP request that reached its HTTPS port. Nothing reached WordPress.`], { related: { kind: 'url' } });
    return;
  }
  if (f.isHtml && !f.isJson && isApi) {
    htmlAnswer(f, out, answer);
    return;
  }

  // 4. WooCommerce / WordPress errors.
  if (f.legacyErrors || f.api.kind === 'legacy' || f.error?.code === 'woocommerce_api_disabled') {
    if (f.status >= 400) legacy(f, out, answer);
    return;
  }
  if (f.error && f.status >= 400) {
    errorFindings(f, input, out, answer);
  } else if (f.status === 501 || ((f.status === 401 || f.status === 403) && !f.isJson)) {
    firewall(f, out, `${answer}; a WooCommerce or WordPress error would be JSON with a code.`);
  }

  // 5. A clock too far off hides behind a signature error: say so.
  if (f.sent.oauthParams.length && f.status === 401 && !out.has('oauth-timestamp-skew') && f.skewSeconds !== undefined && Math.abs(f.skewSeconds) > OAUTH_WINDOW_SECONDS) {
    out.add('oauth-timestamp-skew', 'possible', [`${upperFirst(skewSentence(f.skewSeconds))}: more than the 15 minutes OAuth allows. WooCommerce checks the timestamp only after the signature, so this will fail next.`], { related: oauthRelated(f, 'oauth_timestamp') });
  }
}

function redirectFindings(f: ExchangeFacts, out: FindingList): void {
  const final = f.url;
  const first = f.originalUrl;
  // A hop's note about dropped credentials is said once, in its own sentence below.
  const hops = f.redirects.map((h) => `${h.status} ${displayUrl(h.request.url)} → ${displayUrl(h.location)}${h.note && !/dropped/.test(h.note) ? ` (${h.note})` : ''}`);
  const hopEvidence = `The request was redirected: ${hops.join('; ')}.`;
  const crossOrigin = f.redirects.some((h) => {
    const from = parseUrl(h.request.url);
    const to = parseUrl(h.location);
    return from && to && from.origin !== to.origin;
  });
  const dropped = f.redirects.filter((h) => h.note && /dropped/.test(h.note));
  const methodChanged = f.redirects.find((h) => h.note && /became GET/.test(h.note));
  const plainHop = f.redirects.some((h) => isSlashRedirect(h.request.url, h.location, f.restPrefix));
  const target = credentialFreeUrl(final);

  if (plainHop && f.isHtml) return; // the HTML answer explains it (plain permalinks)

  if (f.status === 401 || f.status === 403) {
    const evidence = [hopEvidence];
    if (dropped.length) evidence.push(`Credentials were not sent on to the new address: ${dropped.map((h) => h.note).join('; ')}.`);
    if (f.originalSent.oauthParams.length && (crossOrigin || first.pathname !== final.pathname)) {
      evidence.push(`The OAuth signature was made for ${displayUrl(first.href)}, but the request that reached the server was ${displayUrl(final.href)}.`);
    }
    if (dropped.length || f.originalSent.oauthParams.length || (f.originalSent.kind !== 'none' && f.sent.kind === 'none')) {
      out.add('redirect-dropped-credentials', 'certain', evidence, { related: { kind: 'url' }, ctx: { suggestedUrl: target } });
      if (first.protocol === 'http:' && final.protocol === 'https:') {
        out.add('keys-over-http', 'possible', [`The request started on http://; the server moved it to https://.`], { related: { kind: 'url' }, ctx: { httpsUrl: final.origin, httpsAvailable: true } });
      }
    }
    return;
  }
  if (f.status >= 200 && f.status < 300) {
    const evidence = [hopEvidence];
    if (dropped.length) evidence.push(`Credentials were not sent on to the new address: ${dropped.map((h) => h.note).join('; ')}.`);
    if (methodChanged) evidence.push(`${methodChanged.note}: the server did not see the request you wrote.`);
    out.add('redirect-on-api-path', methodChanged ? 'certain' : 'likely', evidence, { related: { kind: 'url' }, ctx: { suggestedUrl: target } });
  }
}

function unfollowedRedirect(f: ExchangeFacts, input: ExplainInput, out: FindingList): void {
  const location = header(input.exchange.response!.headers, 'location');
  const to = location ? parseUrl(location, f.url) : undefined;
  const where = `${f.method} ${displayUrl(f.url.href)}`;
  if (to && isSlashRedirect(f.url.href, to.href, f.restPrefix)) {
    const evidence = [`${where} answered ${f.status} with Location ${displayUrl(to.href)}: WordPress added a trailing slash, which it does for page addresses, never for REST API routes.`];
    if (f.plainPermalinks) evidence.push(`The store's REST API root is ${displayUrl(f.restLink?.href ?? '?rest_route=/')}, the plain-permalinks form.`);
    out.add('plain-permalinks', f.plainPermalinks ? 'certain' : 'likely', evidence, { related: { kind: 'url' } });
    return;
  }
  const evidence = [`${where} answered ${f.status}${to ? ` with Location ${displayUrl(to.href)}` : ' without a Location'}.`];
  if (to && to.origin !== f.url.origin) evidence.push(`The redirect goes to another origin (${to.origin}): credentials are not sent there, and an OAuth signature for ${f.url.origin} is not valid there.`);
  if (to && f.method === 'POST' && (f.status === 301 || f.status === 302)) evidence.push('Followed, a 301/302 turns this POST into a GET.');
  out.add('redirect-on-api-path', 'certain', evidence, { related: { kind: 'url' }, ctx: { suggestedUrl: to ? credentialFreeUrl(to) : undefined } });
}

function htmlAnswer(f: ExchangeFacts, out: FindingList, answer: string): void {
  const plainHop = f.redirects.some((h) => isSlashRedirect(h.request.url, h.location, f.restPrefix));
  if (f.status >= 200 && f.status < 300) {
    if (f.plainPermalinks || plainHop) {
      const evidence = [`${answer}: an HTML page, not the API.`];
      if (plainHop) evidence.push(`Before that, WordPress redirected ${displayUrl(f.originalUrl.href)} to add a trailing slash, which it does for page addresses, never for REST routes.`);
      if (f.restLink?.searchParams.has('rest_route')) evidence.push(`The page's api.w.org Link header gives the REST API as ${displayUrl(f.restLink.href, true)}: the plain-permalinks form.`);
      out.add('plain-permalinks', f.plainPermalinks ? 'certain' : 'likely', evidence, { related: { kind: 'url' } });
      return;
    }
    out.add('html-instead-of-json', 'certain', [`${answer}: an HTML page (${f.contentType || 'no content type'}), so the API did not answer; nothing was read or written.`], { related: { kind: 'url' } });
    out.add('security-plugin', 'possible', ['A caching, maintenance or security plugin can serve a page in place of the API.'], { related: { kind: 'url' } });
    return;
  }
  if (f.status === 404) {
    out.add('wrong-api-path', 'likely', [`${answer}: an HTML "not found" page. The WordPress REST API answers unknown routes with JSON (rest_no_route), so this address does not reach it at all.`], { related: { kind: 'url' } });
    return;
  }
  if ([401, 403, 406, 429, 501, 503].includes(f.status)) {
    firewall(f, out, `${answer}: an HTML page. WooCommerce and WordPress answer API errors in JSON with a code, so a firewall or the web server answered before WordPress ran.`);
    return;
  }
  out.add('html-instead-of-json', 'likely', [`${answer}: an HTML page instead of JSON.`], { related: { kind: 'url' } });
}

/** A firewall's page: with the key in the query string, that is the usual trigger, and Basic the usual way round it. */
function firewall(f: ExchangeFacts, out: FindingList, evidence: string): void {
  const querySecret = f.url.searchParams.has('consumer_secret');
  const lines = [evidence];
  if (querySecret) lines.push('The request carried consumer_secret in its query string; firewall rules commonly refuse that (it writes the secret into logs). The same key in an Authorization: Basic header (HTTPS) or an OAuth 1.0a signature carries no secret in the URL.');
  out.add('firewall', 'likely', lines, { related: { kind: 'url' }, ctx: querySecret && f.url.protocol === 'https:' ? { switchTo: 'wc-basic' } : undefined });
}

function legacy(f: ExchangeFacts, out: FindingList, answer: string): void {
  const evidence = [`${answer}.`];
  if (f.api.kind === 'legacy') evidence.push(`${displayUrl(f.url.href)} is a legacy /wc-api/ URL; the REST API is at /wp-json/wc/v3/.`);
  if (f.legacyErrors) evidence.push('The body is shaped {"errors":[…]}, the legacy API\'s format.');
  const m = /^(.*?)\/wc-api\/v\d+(\/.*)?$/.exec(f.url.pathname);
  const suggested = m ? `${f.url.origin}${m[1]}/wp-json/wc/v3${m[2] ?? '/'}` : undefined;
  out.add('legacy-api', 'certain', evidence, { related: { kind: 'url' }, ctx: { suggestedUrl: suggested } });
}

function errorFindings(f: ExchangeFacts, input: ExplainInput, out: FindingList, answer: string): void {
  const e = f.error!;
  const code = e.code;
  const msg = e.message;
  const where = `${f.method} ${displayUrl(f.url.href, true)}`;

  if (code === 'woocommerce_rest_authentication_error') {
    if (msg === MESSAGES.secretInvalid) {
      const evidence = [`${answer}: WooCommerce found the consumer key, so only the secret is wrong.`];
      out.add('wrong-consumer-secret', 'certain', evidence, { related: keyRelated(f, 'consumer_secret') });
      return;
    }
    if (msg === MESSAGES.keyInvalid) {
      out.add('unknown-consumer-key', 'certain', [`${answer}: WooCommerce has no key matching the oauth_consumer_key sent${maskedKey(f) ? ` (${maskedKey(f)})` : ''}.`, ...otherHostNote(f, input)], { related: keyRelated(f, 'oauth_consumer_key') });
      return;
    }
    if (msg === MESSAGES.signatureMismatch) {
      signatureMismatch(f, input, out, answer);
      return;
    }
    if (msg === MESSAGES.signatureMethod) {
      const method = f.url.searchParams.get('oauth_signature_method') ?? oauthHeaderParam(input.exchange.request.headers, 'oauth_signature_method');
      out.add('oauth-unsupported-method', 'certain', [`${answer}${method ? `: the request was signed with ${method}` : ''}; WooCommerce accepts HMAC-SHA1 and HMAC-SHA256 only.`], { related: oauthRelated(f, 'oauth_signature_method') });
      return;
    }
    if (msg === MESSAGES.timestamp) {
      out.add('oauth-timestamp-skew', 'certain', timestampEvidence(f, answer), { related: oauthRelated(f, 'oauth_timestamp') });
      return;
    }
    if (/^Invalid nonce/.test(msg)) {
      const nonce = f.url.searchParams.get('oauth_nonce') ?? oauthHeaderParam(input.exchange.request.headers, 'oauth_nonce');
      out.add('oauth-nonce-reused', 'certain', [`${answer}${nonce ? `: the nonce ${nonce} had been used by an earlier request with this key` : ''}.`], { related: oauthRelated(f, 'oauth_nonce') });
      return;
    }
    if (msg === MESSAGES.noWrite) {
      out.add('read-only-key', 'certain', [`${answer}: the key is valid but its permission is Read, and ${f.method} needs Write.`], { related: keyRelated(f, 'consumer_key') });
      return;
    }
    if (msg === MESSAGES.noRead) {
      out.add('write-only-key', 'certain', [`${answer}: the key is valid but its permission is Write, and ${f.method} needs Read.`], { related: keyRelated(f, 'consumer_key') });
      return;
    }
    if (msg === MESSAGES.outOfScope) {
      out.add('keys-on-wp-route', 'certain', [`${answer}: ${where} is not a WooCommerce route.`], { related: keyRelated(f, 'consumer_key') });
      return;
    }
    return;
  }

  if (code === 'woocommerce_rest_authentication_missing_parameter') {
    const sent = f.sent.oauthParams;
    const evidence = [`${answer}.`];
    if (sent.length) evidence.push(`The request carried ${sent.join(', ')}; WooCommerce needs all of oauth_consumer_key, oauth_timestamp, oauth_nonce, oauth_signature and oauth_signature_method, none empty.`);
    out.add('oauth-missing-parameters', 'certain', evidence, { related: oauthRelated(f, 'oauth_consumer_key') });
    return;
  }

  if (code === 'rest_cookie_invalid_nonce') {
    const evidence = [`${answer}.`];
    if (f.sent.cookie) evidence.push('The request carried a Cookie header; WordPress treats a login cookie without a valid X-WP-Nonce as a forged browser request.');
    out.add('stale-cookies', 'certain', evidence, { related: { kind: 'header', name: 'Cookie' } });
    return;
  }

  if (code === 'rest_no_route') {
    out.add('wrong-api-path', 'certain', [`${answer}: the WordPress REST API has no route for ${where}.`], { related: { kind: 'url' }, ctx: { suggestedUrl: suggestApiPath(f) } });
    return;
  }

  if (/^jwt_auth|token/i.test(code) && f.sent.kind === 'bearer') {
    out.add('bearer-expired', /expired/i.test(msg) ? 'certain' : 'likely', [`${answer}: the store's token plugin refused the bearer token.`], { related: { kind: 'header', name: 'Authorization' } });
    return;
  }

  if (code === 'invalid_username' || code === 'invalid_email' || code === 'incorrect_password') {
    usernamePasswordErrors(f, out, answer);
    return;
  }

  if (code === 'application_passwords_disabled' || code === 'application_passwords_disabled_for_user') {
    if (f.url.protocol === 'http:') out.add('app-password-over-http', 'certain', [`${answer}: ${f.url.origin} is plain HTTP.`], { related: { kind: 'url' } });
    else out.add('security-plugin', 'likely', [`${answer}: the site (or a plugin) turned application passwords off${code.endsWith('for_user') ? ' for this user' : ''}.`], { related: { kind: 'header', name: 'Authorization' } });
    return;
  }

  if (SECURITY_PLUGIN_CODES.test(code) || ((f.status === 401 || f.status === 403) && (restApiClosed(msg) || /not authori[sz]ed to access the rest api/i.test(msg)))) {
    out.add('security-plugin', f.sent.kind === 'none' ? 'likely' : 'certain', [`${answer}: this is not a WordPress or WooCommerce message; a plugin that restricts the REST API answered.`], { related: { kind: 'url' } });
    credentialsIgnored(f, input, out, answer, true);
    return;
  }

  // 403 woocommerce_rest_cannot_* (and WordPress's rest_forbidden / rest_cannot_*): authenticated, not allowed.
  const capabilityCode = /^(woocommerce_rest_cannot_|woocommerce_rest_user_cannot_|rest_cannot_|rest_forbidden)/.test(code);
  if (f.status === 403 && capabilityCode) {
    const who = f.sent.kind === 'bearer' ? `the WordPress user the token belongs to${input.store?.username ? ` (${input.store.username})` : ''}` : f.sent.kind === 'app-password' && input.store?.username ? `the WordPress user ${input.store.username}` : f.sent.kind === 'app-password' ? 'the WordPress user of the application password' : 'the WordPress user who owns the key';
    out.add('user-lacks-capability', 'certain', [`${answer}: a 403 means WordPress knew who sent the request (a 401 would mean nobody was logged in), so the credentials work but ${who} may not ${verbFor(f.method, code)}.`], { related: credentialRelated(f) });
    return;
  }
  if (f.status === 401 && (capabilityCode || code === 'rest_not_logged_in')) {
    credentialsIgnored(f, input, out, answer, false);
    return;
  }
  if (f.status === 501) out.add('security-plugin', 'possible', [`${answer}; ModSecurity and similar firewalls answer 501 to requests they block.`], { related: { kind: 'url' } });
}

/** Codes security plugins answer the REST API with (not WordPress's, not WooCommerce's). */
export const SECURITY_PLUGIN_CODES = /^(rest_cannot_access|rest_not_authorized|rest_login_required|rest_api_disabled|rest_disabled|rest_access_restricted|itsec_rest_api_access_restricted|wpf_rest_api_disabled)$/;

/** 401 woocommerce_rest_cannot_* : no user was authenticated. Which of the silent causes? */
function credentialsIgnored(f: ExchangeFacts, input: ExplainInput, out: FindingList, answer: string, plugin: boolean): void {
  const weaken = (c: Confidence): Confidence => (plugin ? (c === 'certain' ? 'likely' : 'possible') : c);
  const s = f.sent;
  // woocommerce_rest_cannot_* comes from WooCommerce; rest_not_logged_in and the like from WordPress core.
  const who = f.error?.code.startsWith('woocommerce_') ? "WooCommerce's" : "WordPress's";
  const silent = `${answer}: ${who} answer when no user was authenticated at all.`;
  const at = displayUrl(f.url.href, true);

  if (s.kind === 'none') {
    if (f.originalSent.kind !== 'none' && f.redirects.length) return; // redirect-dropped-credentials said it
    const evidence = [silent, `The request carried no Authorization header, no consumer_key/consumer_secret and no oauth_* parameters.`];
    let suggestedUrl: string | undefined;
    let onPurpose = false;
    if (input.authMethod === 'none' && input.store && input.store.authMethod !== 'none') {
      const elsewhere = !isStoreHost(f.originalUrl.href, input.store);
      evidence.push(elsewhere
        ? `The store "${input.store.name}" has credentials (${input.store.authMethod}), but they go to its own address only (${input.store.baseUrl}), and this request went to ${f.originalUrl.host}. Use {{$store.url}} in the request line, or change the store's URL if the site moved.`
        : `The store "${input.store.name}" has credentials (${input.store.authMethod}), but none were applied to this request (# @no-auth?).`);
      if (elsewhere) suggestedUrl = rewriteOrigin(f.originalUrl, input.store.baseUrl);
      else onPurpose = true;
    }
    out.add('no-credentials', weaken('certain'), evidence, { related: { kind: 'url' }, ctx: { suggestedUrl, noCredentialsOnPurpose: onPurpose } });
    return;
  }

  const usesKeys = s.kind === 'keys-basic' || s.kind === 'keys-query' || s.kind === 'oauth-query' || s.kind === 'oauth-header';
  if (f.api.kind === 'rest-route' && (usesKeys || s.kind === 'basic-unknown')) {
    keysOnRestRoute(f, out, silent);
    return;
  }
  if (f.api.route && !isWooRoute(f.api.route) && usesKeys) {
    out.add('keys-on-wp-route', weaken('likely'), [silent, `${at} is not a WooCommerce route (wc/…); WooCommerce only checks its keys on its own routes.`], { related: keyRelated(f, 'consumer_key') });
    return;
  }

  if (s.kind === 'bearer') {
    out.add('bearer-not-supported', weaken('likely'), [silent, 'The request sent Authorization: Bearer; WooCommerce has no bearer scheme, so unless a JWT or OAuth 2.0 plugin is installed the token is ignored.'], { related: { kind: 'header', name: 'Authorization' } });
    out.add('bearer-expired', 'possible', ['If the store has a JWT or OAuth 2.0 plugin, it may have refused an expired token without a word.'], { related: { kind: 'header', name: 'Authorization' } });
    return;
  }

  const proxy = f.url.protocol === 'https:' && f.serverSsl === false;
  if (f.url.protocol === 'http:') {
    const over = `You sent ${credentialWords(s.kind)} to ${at}, over plain HTTP.`;
    if (s.kind === 'keys-basic' || s.kind === 'keys-query') {
      out.add('keys-over-http', weaken('certain'), [`${over} WooCommerce only reads Basic and query-string keys over HTTPS; over HTTP it ignores them without an error.`, silent], { related: keyRelated(f, 'consumer_key') });
      return;
    }
    if (s.kind === 'app-password') {
      out.add('app-password-over-http', weaken('certain'), [`${over} WordPress accepts application passwords over HTTPS only (or on a site whose environment type is "local"; this one answered as if it had seen no credentials).`, silent], { related: { kind: 'header', name: 'Authorization' } });
      return;
    }
    if (s.kind === 'basic-unknown') {
      out.add('keys-over-http', weaken('likely'), [`${over} If they are a consumer key and secret, WooCommerce ignores them over HTTP.`, silent], { related: { kind: 'header', name: 'Authorization' } });
      out.add('app-password-over-http', weaken('likely'), ['If they are a user name and application password, WordPress ignores them over HTTP.'], { related: { kind: 'header', name: 'Authorization' } });
      return;
    }
    if (s.kind === 'oauth-header') {
      out.add('header-stripped', weaken('likely'), [silent, `The OAuth 1.0a parameters travelled in the Authorization header, and the server answered as if there were none: servers that strip Authorization make exactly this answer. Parameters in the query string are not affected.`], { related: { kind: 'header', name: 'Authorization' } });
      return;
    }
    if (s.kind === 'oauth-query') {
      out.add('security-plugin', 'possible', [silent, 'The OAuth parameters were in the query string, yet WooCommerce did not see them: a cache or proxy that drops query strings, or a plugin, stands in between.'], { related: { kind: 'url' } });
      return;
    }
  }

  // HTTPS from here on.
  if (proxy) {
    out.add('https-terminated-at-proxy', weaken('likely'), [
      `You reached ${f.url.origin} over https://, but the server built its own URLs with http:// (${f.homeSource ?? 'its Link header'}: ${f.home ? stripSlash(f.home.href) : f.restLink?.href}): WordPress's is_ssl() is false, so HTTPS ends at a proxy in front of it.`,
      'WooCommerce then ignores Basic and query-string keys, and WordPress ignores application passwords, exactly as over plain HTTP.',
    ], { related: { kind: 'url' } });
  }
  const sentTo = `You sent ${credentialWords(s.kind)} to ${at} over HTTPS, and the server answered as if you had sent none.`;
  switch (s.kind) {
    case 'keys-basic':
      out.add('header-stripped', weaken('likely'), [sentTo, silent, 'A server that does not pass the Authorization header on to PHP gives this answer to a valid key; an OAuth 1.0a signature in the query string (which proves the secret without sending it) would work.'], { related: { kind: 'header', name: 'Authorization' } });
      // Behind a security plugin WooCommerce's reason is hidden: an unknown key is no likelier than any other.
      if (!plugin) out.add('unknown-consumer-key', weaken('likely'), ['An unknown consumer key (revoked, of another store, mistyped) gives this very answer over Basic auth: WooCommerce does not name it.', ...otherHostNote(f, input)], { related: { kind: 'header', name: 'Authorization' } });
      out.add('security-plugin', 'possible', ['A security plugin or firewall that removes credentials gives it too.'], { related: { kind: 'url' } });
      return;
    case 'keys-query':
      // Behind a security plugin WooCommerce's reason is hidden: an unknown key is no likelier than any other.
      if (!plugin) out.add('unknown-consumer-key', weaken('likely'), [sentTo, silent, 'Query-string keys are not affected by servers that strip the Authorization header, so the likeliest reason is a consumer key the store does not know (revoked, of another store, mistyped): WooCommerce does not name it.', ...otherHostNote(f, input)], { related: { kind: 'query-param', name: 'consumer_key' } });
      out.add('security-plugin', 'possible', ['A cache or firewall that drops query strings, or a plugin, gives the same answer.'], { related: { kind: 'url' } });
      return;
    case 'app-password':
      out.add('wrong-app-password', weaken('likely'), [sentTo, silent, `On a WooCommerce route WordPress does not say why it refused an application password: wrong password, unknown user${input.store?.username ? ` (${input.store.username})` : ''}, or the login password instead of an application password.`], { related: { kind: 'header', name: 'Authorization' } });
      out.add('header-stripped', weaken('likely'), ['A server that does not pass the Authorization header on to PHP gives this answer to a valid application password.'], { related: { kind: 'header', name: 'Authorization' } });
      out.add('security-plugin', 'possible', ['A security plugin that limits application passwords gives it too.'], { related: { kind: 'url' } });
      return;
    case 'basic-unknown':
      out.add('header-stripped', weaken('likely'), [sentTo, silent, 'A server that does not pass the Authorization header on to PHP gives this answer to valid credentials.'], { related: { kind: 'header', name: 'Authorization' } });
      // Behind a security plugin WooCommerce's reason is hidden: an unknown key is no likelier than any other.
      if (!plugin) out.add('unknown-consumer-key', 'possible', ['If the Basic credentials are a consumer key and secret, an unknown key gives this answer.'], { related: { kind: 'header', name: 'Authorization' } });
      out.add('wrong-app-password', 'possible', ['If they are a user name and application password, a wrong one gives this answer.'], { related: { kind: 'header', name: 'Authorization' } });
      return;
    case 'oauth-header':
      out.add('header-stripped', weaken('likely'), [sentTo, silent, 'The OAuth parameters travelled in the Authorization header; servers that strip it give this answer. In the query string they would arrive.'], { related: { kind: 'header', name: 'Authorization' } });
      return;
    case 'oauth-query':
      out.add('security-plugin', 'possible', [sentTo, silent, 'OAuth parameters in the query string normally get a specific error when anything is wrong; a cache or proxy that drops query strings, or a plugin, stands in between.'], { related: { kind: 'url' } });
      return;
    default:
      out.add('security-plugin', 'possible', [sentTo, silent, `WooCommerce does not know the "${s.scheme}" scheme; a plugin might.`], { related: { kind: 'header', name: 'Authorization' } });
  }
}

/** When the request went to another host than the store's (and its Home URL): keys of one store do not work on another. */
function otherHostNote(f: ExchangeFacts, input: ExplainInput): string[] {
  const base = input.store ? parseUrl(input.store.baseUrl) : undefined;
  if (!base) return [];
  const host = f.url.host.toLowerCase();
  if (host === base.host.toLowerCase() || (f.home && host === f.home.host.toLowerCase())) return [];
  return [`The request went to ${f.url.host}, but the store "${input.store!.name}" is ${base.host}: keys and application passwords belong to one site (staging and production have different ones).`];
}

function keysOnRestRoute(f: ExchangeFacts, out: FindingList, answer: string): void {
  const restRoute = f.url.searchParams.get('rest_route') ?? '/';
  const wpJson = `${f.url.origin}${f.url.pathname.replace(/\/(index\.php)?$/, '')}/${f.restPrefix}${restRoute.startsWith('/') ? '' : '/'}${restRoute}`;
  const rest = new URLSearchParams(f.url.search);
  rest.delete('rest_route');
  for (const k of [...rest.keys()]) if (/^(consumer_key|consumer_secret|oauth_.*)$/.test(k)) rest.delete(k);
  const query = rest.toString();
  const suggested = `${wpJson}${query ? `?${query}` : ''}`;
  const evidence = [answer, `The URL uses ?rest_route=${restRoute} with ${credentialWords(f.sent.kind)}; WooCommerce 8.2 and older only check keys on URLs containing "wp-json/wc/".`];
  if (f.plainPermalinks) evidence.push(`The store's REST root is ${displayUrl(f.restLink?.href ?? '?rest_route=/', true)}: it is on plain permalinks, so /wp-json/ does not reach the API there.`);
  out.add('keys-on-rest-route', f.plainPermalinks ? 'certain' : 'likely', evidence, { related: { kind: 'url' }, ctx: { suggestedUrl: suggested } });
  if (f.plainPermalinks) out.add('plain-permalinks', 'likely', ['Keys will only work once the site uses pretty permalinks (or with an application password on ?rest_route= URLs).'], { related: { kind: 'url' } });
}

function usernamePasswordErrors(f: ExchangeFacts, out: FindingList, answer: string): void {
  const code = f.error!.code;
  if (f.api.kind === 'rest-route' && (f.sent.kind === 'keys-basic' || f.sent.kind === 'basic-unknown')) {
    keysOnRestRoute(f, out, `${answer}: the Basic credentials went on to WordPress as a user name and password, because WooCommerce did not look at them.`);
    return;
  }
  const wcRoute = f.api.route !== undefined && isWooRoute(f.api.route);
  if (f.sent.kind === 'keys-basic' || (f.sent.kind === 'basic-unknown' && code === 'invalid_username')) {
    if (!wcRoute && f.api.route) {
      out.add('keys-on-wp-route', f.sent.kind === 'keys-basic' ? 'certain' : 'likely', [`${answer}: ${displayUrl(f.url.href, true)} is not a WooCommerce route, so the consumer key was taken for a WordPress user name.`], { related: { kind: 'header', name: 'Authorization' } });
      if (f.sent.kind === 'basic-unknown') out.add('wrong-app-password', 'possible', ['If the Basic credentials are a user name and application password, the user name is wrong.'], { related: { kind: 'header', name: 'Authorization' } });
      return;
    }
    out.add('unknown-consumer-key', 'likely', [`${answer}: WooCommerce did not find the consumer key, so WordPress tried it as a user name.`], { related: { kind: 'header', name: 'Authorization' } });
    return;
  }
  const which = code === 'incorrect_password' ? 'the user exists, but the password is not one of their application passwords (a login password never works here)' : 'WordPress has no user with that name';
  out.add('wrong-app-password', 'certain', [`${answer}: ${which}.`], { related: { kind: 'header', name: 'Authorization' } });
}

function signatureMismatch(f: ExchangeFacts, input: ExplainInput, out: FindingList, answer: string): void {
  const reasons: string[] = [];
  let homeFix: string | undefined;
  let proxy = false;
  const signed = signedUrlOf(input.applied?.oauthBaseString);
  const signedUrl = signed ?? new URL(`${f.url.origin}${f.url.pathname}`);
  const signedWhat = signed ? `The base string was built for ${signed.href}` : `The request was sent to ${f.url.origin}${f.url.pathname} (and signed for it, unless the store's homeUrl option says otherwise)`;

  // What the server puts in its base string: is_ssl() scheme, Home URL host and path, request path.
  const serverScheme = f.serverSsl === undefined ? undefined : f.serverSsl ? 'https:' : 'http:';
  if (f.home) {
    if (f.home.host.toLowerCase() !== signedUrl.host.toLowerCase()) {
      reasons.push(`${signedWhat}, but the store's Home URL is ${stripSlash(f.home.href)} (from ${f.homeSource}): WooCommerce signs with the Home URL's host${hostHint(signedUrl.host, f.home.host)}, not the one you sent to.`);
      homeFix = stripSlash(f.home.href);
    } else if (trimTrailingSlashes(f.home.pathname) && !signedUrl.pathname.startsWith(trimTrailingSlashes(f.home.pathname))) {
      reasons.push(`${signedWhat}, but the store's Home URL has the path ${f.home.pathname}.`);
      homeFix = stripSlash(f.home.href);
    }
  }
  if (serverScheme && signedUrl.protocol !== serverScheme) {
    if (f.url.protocol === 'https:' && serverScheme === 'http:') {
      proxy = true;
      reasons.push(`You sent the request over https://, but the server builds its URLs with http:// (${f.homeSource ?? 'Link header'}), so it signs http://…: HTTPS ends at a proxy in front of WordPress.`);
    } else {
      reasons.push(`${signedWhat} with ${signedUrl.protocol}//, but the request arrived over ${serverScheme}// and WooCommerce signs with the scheme it sees.`);
    }
    homeFix ??= f.home ? `${serverScheme}//${f.home.host}${trimTrailingSlashes(f.home.pathname)}` : `${serverScheme}//${signedUrl.host}`;
  }
  if (signed && !signed.pathname.endsWith(f.url.pathname.slice((f.home ? trimTrailingSlashes(f.home.pathname) : '').length))) {
    reasons.push(`The base string's path (${signed.pathname}) is not the request's (${f.url.pathname}).`);
  }
  if (f.redirects.length) reasons.push(`The request was redirected after signing (${displayUrl(f.originalUrl.href)} → ${displayUrl(f.url.href)}).`);
  if (/\+/.test(f.url.search.replace(/oauth_signature=[^&]*/, ''))) reasons.push('The query string contains "+"; if the signer encoded it as a space (%20) and the server reads a literal plus, or the other way round, the signatures differ.');
  const type = header(input.exchange.request.headers, 'content-type') ?? '';
  if (/x-www-form-urlencoded/i.test(type) && f.method !== 'POST') reasons.push(`A form body on ${f.method} is not signed by WooCommerce (PHP fills $_POST for POST only); a client that signed it gets this error.`);

  if (reasons.length) {
    out.add('oauth-signature-mismatch', 'likely', [`${answer}.`, ...reasons], { related: oauthRelated(f, 'oauth_signature'), ctx: { homeUrl: homeFix, suggestedUrl: homeFix && f.home && !proxy ? rewriteOrigin(f.url, homeFix) : undefined } });
    if (proxy) out.add('https-terminated-at-proxy', 'likely', [reasons.find((r) => r.includes('proxy'))!], { related: { kind: 'url' }, ctx: { homeUrl: homeFix } });
    out.add('wrong-consumer-secret', 'possible', ['A wrong consumer secret gives the same answer.'], { related: oauthRelated(f, 'oauth_signature') });
    return;
  }
  const evidence = [`${answer}.`];
  if (f.home) evidence.push(`The URL you signed for matches the store's Home URL ${stripSlash(f.home.href)} (from ${f.homeSource}), so the base strings should agree: the secret is the likeliest difference.`);
  else evidence.push('Nothing in the exchange shows a URL difference, so a wrong consumer secret is the likeliest cause.');
  out.add('wrong-consumer-secret', 'likely', evidence, { related: oauthRelated(f, 'oauth_signature') });
  out.add('oauth-signature-mismatch', 'possible', ['If the secret is right, the base strings differ: the Home URL (www, scheme, port, sub-directory), a proxy, or how the query was encoded.'], { related: oauthRelated(f, 'oauth_signature') });
}

function timestampEvidence(f: ExchangeFacts, answer: string): string[] {
  const evidence = [`${answer}: the signature was right (WooCommerce checks the timestamp after it), but the timestamp is more than 15 minutes from the server's clock.`];
  if (f.oauthTimestamp !== undefined && f.serverDate) {
    const diff = f.oauthTimestamp - Math.floor(f.serverDate.getTime() / 1000);
    evidence.push(`The request's oauth_timestamp ${f.oauthTimestamp} (${iso(f.oauthTimestamp * 1000)}) is ${duration(diff)} ${diff < 0 ? 'behind' : 'ahead of'} the server's clock (Date: ${f.serverDate.toUTCString()}); WooCommerce allows 15 min.`);
  }
  if (f.skewSeconds !== undefined) {
    if (Math.abs(f.skewSeconds) > 60) evidence.push(`${upperFirst(skewSentence(f.skewSeconds))}: fix whichever clock is wrong, or sign with the server's time.`);
    else if (f.oauthTimestamp !== undefined) evidence.push(`The clocks agree (${skewSentence(f.skewSeconds)}), so the timestamp itself is stale: a saved or replayed request, or one signed by hand.`);
  } else if (f.oauthTimestamp !== undefined) {
    const diff = f.oauthTimestamp - Math.floor(f.clientTime.getTime() / 1000);
    if (Math.abs(diff) > OAUTH_WINDOW_SECONDS) evidence.push(`The oauth_timestamp is ${duration(diff)} ${diff < 0 ? 'behind' : 'ahead of'} this machine's clock at the time of the exchange: the timestamp is stale (a saved or replayed request, or one signed by hand).`);
    else evidence.push(`The oauth_timestamp matches this machine's clock, so the server's clock is more than 15 minutes off (the response has no Date header to measure it).`);
  }
  return evidence;
}

// ---------------------------------------------------------------------------------------------
// Sentences and small helpers

function answerSentence(f: ExchangeFacts): string {
  const e = f.error;
  const where = `${f.method} ${displayUrl(f.url.href, true)}`;
  if (e) return `The store answered ${where} with ${f.status} ${e.code} "${e.message}"`;
  if (f.legacyErrors?.length) return `The store answered ${where} with ${f.status} ${f.legacyErrors.map((x) => `${x.code} "${x.message}"`).join(', ')}`;
  return `The store answered ${where} with ${f.status}${f.contentType ? ` (${f.contentType.split(';')[0]})` : ''}`;
}

function credentialWords(kind: CredentialKind): string {
  switch (kind) {
    case 'keys-basic': return 'the consumer key and secret in an Authorization: Basic header';
    case 'keys-query': return 'the consumer key and secret in the query string';
    case 'oauth-query': return 'an OAuth 1.0a signature in the query string';
    case 'oauth-header': return 'an OAuth 1.0a signature in the Authorization header';
    case 'app-password': return 'an application password in an Authorization: Basic header';
    case 'basic-unknown': return 'Basic credentials';
    case 'bearer': return 'a bearer token';
    case 'other': return 'credentials';
    default: return 'no credentials';
  }
}

function keyRelated(f: ExchangeFacts, param: string): Finding['related'] {
  if (f.sent.kind === 'keys-query') return { kind: 'query-param', name: param.startsWith('oauth_') ? 'consumer_key' : param };
  if (f.sent.kind === 'oauth-query') return { kind: 'query-param', name: param.startsWith('oauth_') ? param : param === 'consumer_secret' ? 'oauth_signature' : 'oauth_consumer_key' };
  return { kind: 'header', name: 'Authorization' };
}

function oauthRelated(f: ExchangeFacts, param: string): Finding['related'] {
  return f.sent.kind === 'oauth-header' ? { kind: 'header', name: 'Authorization' } : { kind: 'query-param', name: param };
}

function credentialRelated(f: ExchangeFacts): Finding['related'] {
  if (f.sent.kind === 'keys-query') return { kind: 'query-param', name: 'consumer_key' };
  if (f.sent.kind === 'oauth-query') return { kind: 'query-param', name: 'oauth_consumer_key' };
  if (f.sent.kind === 'none') return { kind: 'url' };
  return { kind: 'header', name: 'Authorization' };
}

function maskedKey(f: ExchangeFacts): string | undefined {
  const k = f.url.searchParams.get('oauth_consumer_key') ?? f.url.searchParams.get('consumer_key');
  return k && /…|•/.test(k) ? k : undefined;
}

function verbFor(method: string, code: string): string {
  if (/create/.test(code) || method === 'POST') return /batch/.test(code) ? 'batch-edit these resources' : 'create resources here';
  if (/edit/.test(code) || method === 'PUT' || method === 'PATCH') return 'edit this resource';
  if (/delete/.test(code) || method === 'DELETE') return 'delete this resource';
  return 'read these resources';
}

function isWooRoute(route: string): boolean {
  return /^\/wc[/-]/.test(route);
}

function hostHint(sent: string, home: string): string {
  const a = sent.toLowerCase();
  const b = home.toLowerCase();
  if (b === `www.${a}` || a === `www.${b}`) return ' (www differs)';
  if (a.replace(/:\d+$/, '') === b.replace(/:\d+$/, '')) return ' (the port differs)';
  return '';
}

function suggestApiPath(f: ExchangeFacts): string | undefined {
  const route = f.api.route;
  if (!route || f.api.kind !== 'wp-json') return undefined;
  const m = /^\/wc\/(v\d+|[^/]*)(\/.*)?$/.exec(route);
  if (m && !/^v[123]$/.test(m[1])) {
    const rest = /^v\d+$/.test(m[1]) ? m[2] ?? '' : `/${m[1]}${m[2] ?? ''}`;
    return `${f.url.origin}${f.api.prefixPath}/wc/v3${rest}${searchWithoutCredentials(f.url)}`;
  }
  if (/^\/(v\d+)\//.test(route)) return `${f.url.origin}${f.api.prefixPath}/wc${route}${searchWithoutCredentials(f.url)}`;
  return undefined;
}

function isSlashRedirect(from: string, to: string, prefix: string): boolean {
  const a = parseUrl(from);
  const b = parseUrl(to, a);
  if (!a || !b) return false;
  return a.origin === b.origin && b.pathname === `${a.pathname}/` && new RegExp(`/${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`).test(a.pathname);
}

function signedUrlOf(baseString: string | undefined): URL | undefined {
  if (!baseString) return undefined;
  const parts = baseString.split('&');
  if (parts.length < 2) return undefined;
  try {
    return new URL(decodeURIComponent(parts[1]));
  } catch {
    return undefined;
  }
}

function rewriteOrigin(url: URL, home: string): string {
  const h = parseUrl(home);
  if (!h) return url.href;
  return `${h.protocol}//${h.host}${url.pathname}${searchWithoutCredentials(url)}`;
}

function credentialFreeUrl(url: URL): string {
  return `${url.origin}${url.pathname}${searchWithoutCredentials(url)}`;
}

function searchWithoutCredentials(url: URL): string {
  const params = new URLSearchParams(url.search);
  for (const k of [...params.keys()]) if (/^(consumer_key|consumer_secret|oauth_[a-z_]+)$/.test(k)) params.delete(k);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** A URL for a sentence: origin and path, plus rest_route when that is the route. */
function displayUrl(url: string, keepRestRoute = false): string {
  const u = parseUrl(url);
  if (!u) return url;
  const route = u.searchParams.get('rest_route');
  return `${u.origin}${u.pathname}${keepRestRoute || route !== null ? (route !== null ? `?rest_route=${route}` : '') : ''}`;
}

function upperFirst(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function skewSentence(skew: number): string {
  if (Math.abs(skew) < 1) return "the server's clock agrees with yours";
  return `the server's clock is ${duration(skew)} ${skew > 0 ? 'ahead of' : 'behind'} yours`;
}

/** "20 min 3 s", "45 s", "1 h 2 min" (absolute value). */
export function duration(seconds: number): string {
  let s = Math.round(Math.abs(seconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h) return `${h} h${m ? ` ${m} min` : ''}`;
  if (m) return `${m} min${s ? ` ${s} s` : ''}`;
  return `${s} s`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function stripTags(s: string): string {
  return s.replace(/<[^>]*>/g, '');
}

function stripSlash(s: string): string {
  return trimTrailingSlashes(s);
}

function header(headers: readonly [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

function parseUrl(s: string, base?: URL | string): URL | undefined {
  try {
    return new URL(s, base);
  } catch {
    return undefined;
  }
}

/** The StoreIndex an exchange with the store's REST index (`/wp-json/` or `?rest_route=/`) shows. */
export function storeIndexFrom(exchange: Exchange): StoreIndex | undefined {
  const r = exchange.response;
  if (!r || r.status !== 200) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(r.body).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const o = body as Record<string, unknown>;
  if (typeof o.home !== 'string' && typeof o.url !== 'string') return undefined;
  const url = parseUrl(exchange.request.url);
  const auth = o.authentication;
  return {
    home: typeof o.home === 'string' ? o.home : undefined,
    url: typeof o.url === 'string' ? o.url : undefined,
    https: url?.protocol === 'https:',
    applicationPasswords: !!auth && typeof auth === 'object' && !Array.isArray(auth) && 'application-passwords' in auth,
    plainPermalinks: url?.searchParams.has('rest_route') ?? false,
  };
}
