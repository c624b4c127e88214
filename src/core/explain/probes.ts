// The auth doctor: a short, safe sequence of probes against one store that names the cause of a
// failing authentication with proof, by sending the same request in the ways that tell the silent
// causes apart (docs/woocommerce-auth-facts.md, "What follows" 2):
//
//   index              GET /wp-json/?_fields=home,url,authentication without credentials (only what
//                      the doctor reads; cached per store by the caller): Home URL vs the store URL,
//                      HTTPS, application passwords; HTML + a ?rest_route= Link = plain permalinks
//   https-index        the same over https:// when http:// got the web server's "plain HTTP to an
//                      SSL-enabled port" page, or a closed connection: the port speaks HTTPS
//   rest-route-index   GET /?rest_route=/ when /wp-json/ is not the API: proves plain permalinks
//   store-method       GET /wp-json/wc/v3/products?per_page=1 as the store sends it
//   basic              the same with Basic (HTTPS)
//   oauth              the same signed with OAuth 1.0a over the same scheme: OAuth's errors are
//                      specific ("Consumer key is invalid." vs "Invalid signature" vs fine), it is
//                      accepted over HTTPS too when Basic found no user, and it carries no secret:
//                      OAuth working where Basic is ignored proves a stripped header
//   query              the key pair in the query string: ONLY for a store whose method it is, or
//                      when the user agreed (allowQuerySecret), because the secret then lands in
//                      the server's access log; otherwise said to be withheld when it would help
//   oauth-home-url     signed for the Home URL the index reports, when that differs
//   oauth-as-http      signed for http:// over https://: what a server behind a TLS-ending proxy
//                      computes when its Home URL says https
//   oauth-server-clock signed with the server's clock, after "Invalid timestamp."
//   forwarded-proto    the store's read with X-Forwarded-Proto: https, when HTTPS ends at a proxy:
//                      working means WordPress reads the header and the proxy does not send it
//   app-password-user  GET /wp-json/wp/v2/users/me with the application password: WordPress names
//                      a wrong password or user there, and says "not logged in" when the header
//                      never arrived
//   write-check        POST /wp-json/wc/v3/products/batch {"create":[],"update":[],"delete":[]}:
//                      changes nothing; 200 with a read_write key, 401 "does not have write
//                      permissions" with a read key, 403 for a role that may not edit products
//   clock              the Date headers against this machine's clock (no request)
//
// Never a request that changes data: GETs, and one batch POST with three empty lists. Redirects
// are not followed with credentials (each is reported instead). Secrets never reach the report,
// and no probe puts a consumer secret in a URL unless the store's method does or the user agreed.
//
// Pure of `vscode`: the caller passes `send` (core/send.ts in the product, a fake in tests).

import { applyStoreAuth, AuthNotApplied, type AppliedAuth, type PlainRequest } from '../auth/apply';
import { basicAuthorization } from '../auth/basic';
import { signOAuth1 } from '../auth/oauth1';
import { keyHint, MASK, redactText, redactUrl, truncatedKey } from '../redact';
import type { Exchange, OutgoingRequest, SendOptions, TlsOptions } from '../send';
import type { AuthMethod, Store, StoreSecrets } from '../store';
import { CAUSES, doctorFix, type CauseId, type FixContext } from './causes';
import { duration, explainExchange, MESSAGES, OAUTH_WINDOW_SECONDS, SECURITY_PLUGIN_CODES, storeIndexFrom, type Confidence, type Finding, type StoreIndex } from './explain';
import { diagnoseTokenStore, type TokenProbeName } from './token-doctor';
import { trimSlashes, trimTrailingSlashes, withoutQueryOrFragment } from '../url-text';

export type ProbeName =
  | TokenProbeName
  | 'index'
  | 'https-index'
  | 'rest-route-index'
  | 'store-method'
  | 'store-method-rest-route'
  | 'basic'
  | 'query'
  | 'oauth'
  | 'oauth-home-url'
  | 'oauth-as-http'
  | 'oauth-server-clock'
  | 'forwarded-proto'
  | 'app-password-user'
  | 'write-check'
  | 'clock';

export interface ProbeResult {
  name: ProbeName;
  title: string;
  /** What this probe can show. */
  shows: string;
  /** The request as sent, secrets masked: "GET https://…/wp-json/wc/v3/products?per_page=1 — Authorization: Basic with consumer key …1a2b3c4". */
  request?: string;
  status?: number;
  /** The error code and message of a JSON error answer. */
  code?: string;
  message?: string;
  /** ok: worked; failed: refused or not the API; info: a fact; skipped: not sent (why in `result`); error: no answer. */
  outcome: 'ok' | 'failed' | 'info' | 'skipped' | 'error';
  /** What it showed, as a sentence. */
  result: string;
  ms?: number;
}

export interface DoctorReport {
  store: { id: string; name: string; baseUrl: string; authMethod: AuthMethod };
  startedAt: string;
  probes: ProbeResult[];
  /** The cause the probes point to (the first finding's), when authentication is broken. */
  cause?: CauseId;
  findings: Finding[];
  /** Reads work with the store's method, writes too (unless the key is declared read-only), no trap. */
  healthy: boolean;
  /** One sentence for a notification or the CLI. */
  summary: string;
  index?: StoreIndex;
  /** Server clock minus this machine's, seconds, from the Date headers. */
  clockSkewSeconds?: number;
  /**
   * The key is read-only and the store does not say it must write: a fact, not a failure (set the
   * store's key permissions to read_write, or WOO_STORE_<NAME>_PERMISSIONS, to make it one).
   */
  readOnlyKey?: boolean;
  /**
   * The key pair in the query string would have told the remaining causes apart, and was not sent
   * because the secret would land in the server's access log: ask the user, then run again with
   * `allowQuerySecret`.
   */
  querySecretWouldHelp?: boolean;
  cancelled?: boolean;
  /** Token stores: seconds the access token has left. */
  tokenTimeLeftSeconds?: number;
}

/** The store's REST index as the doctor keeps it between runs (per store, like the route index). */
export interface CachedStoreIndex {
  index: StoreIndex;
  /** ISO time it was read. */
  readAt: string;
}

export interface DoctorDeps {
  send: (req: OutgoingRequest, options: SendOptions) => Promise<Exchange>;
  tls?: TlsOptions;
  signal?: AbortSignal;
  onProbe?: (probe: ProbeResult) => void;
  now?: () => Date;
  /** Per probe; default 15 s. */
  timeoutMs?: number;
  /**
   * The user agreed to probe with the key pair in the query string (the secret is then written
   * into the server's access log). Without it, only a store whose method is the query string gets
   * query-string probes.
   */
  allowQuerySecret?: boolean;
  /** The index read on an earlier run (used instead of reading it again), and where to keep a fresh one. */
  indexCache?: { get(): CachedStoreIndex | undefined; set(entry: CachedStoreIndex): void };
  /** JWT / OAuth 2.0 stores: the longest acceptable token lifetimes (default 1 hour and 30 days). */
  policy?: { maxAccessSeconds: number; maxRefreshSeconds: number };
}

/** What the doctor reads from /wp-json/: asked for alone, so a 1 MB index costs a few hundred bytes. */
export const INDEX_FIELDS = 'home,url,authentication';

const EMPTY_BATCH = '{"create":[],"update":[],"delete":[]}';

interface Answer {
  exchange?: Exchange;
  status?: number;
  json?: unknown;
  isHtml: boolean;
  code?: string;
  message?: string;
  location?: string;
  /** The body as text (the first few kilobytes), for pages the doctor recognises. */
  text?: string;
  /** Not sent, and why. */
  notSent?: AuthNotApplied | Error;
  applied?: AppliedAuth;
  probe: ProbeResult;
}

const ok = (a: Answer | undefined): boolean => !!a && a.status !== undefined && a.status >= 200 && a.status < 300 && a.json !== undefined && !a.isHtml;
const isMsg = (a: Answer | undefined, message: string): boolean => !!a && a.message === message;
const silent401 = (a: Answer | undefined): boolean => !!a && a.status === 401 && /^(woocommerce_rest_cannot_|rest_cannot_|rest_forbidden|rest_not_logged_in)/.test(a.code ?? '');

class CancelledError extends Error {}

export async function diagnoseStore(store: Store, secrets: StoreSecrets, deps: DoctorDeps): Promise<DoctorReport> {
  if (store.authMethod === 'jwt' || store.authMethod === 'oauth2') return diagnoseTokenStore(store, secrets ?? {}, deps);
  const doctor = new Doctor(store, secrets ?? {}, deps);
  try {
    await doctor.run();
  } catch (err) {
    if (!(err instanceof CancelledError)) throw err;
    doctor.cancelled = true;
  }
  return doctor.report();
}

class Doctor {
  readonly probes: ProbeResult[] = [];
  readonly startedAt: string;
  cancelled = false;
  private readonly base: string;
  private readonly prefix: string;
  private readonly version: string;
  private readonly secretValues: string[];
  private readonly skews: number[] = [];
  private index?: StoreIndex;
  private plain = false;
  private answers = new Map<ProbeName, Answer>();
  private cause?: CauseId;
  private findings: Finding[] = [];
  private healthy = false;
  private summary = '';
  private readOnlyKey = false;
  /** A query-string probe was not sent because the secret would be logged; said when it would have helped. */
  private queryWithheld = false;
  private querySecretWouldHelp = false;
  /** The index came from the cache (not read on this run). */
  private indexFromCache = false;
  /** A probe showed WordPress reads X-Forwarded-Proto and the proxy does not send it. */
  private forwardedProtoMissing = false;

  constructor(private readonly store: Store, private readonly secrets: StoreSecrets, private readonly deps: DoctorDeps) {
    this.startedAt = this.now().toISOString();
    this.base = trimTrailingSlashes(withoutQueryOrFragment(store.baseUrl));
    this.prefix = trimSlashes(store.options?.restPrefix ?? 'wp-json') || 'wp-json';
    this.version = trimSlashes(store.options?.apiVersion ?? 'wc/v3');
    const s = this.secrets;
    this.secretValues = [s.consumerKey, s.consumerSecret, s.applicationPassword, s.applicationPassword?.replace(/\s+/g, ''), s.bearerToken].filter((v): v is string => !!v && v.length >= 4);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private get method(): AuthMethod {
    return this.store.authMethod;
  }

  private get hasKeys(): boolean {
    return !!this.secrets.consumerKey && !!this.secrets.consumerSecret;
  }

  private get https(): boolean {
    return this.base.startsWith('https:');
  }

  /** The key pair may go in a URL: the store's own method, or the user agreed. */
  private get queryAllowed(): boolean {
    return this.method === 'wc-query' || this.deps.allowQuerySecret === true;
  }

  private url(route: string, query = '', plain = false): string {
    if (plain) return `${this.base}/?rest_route=/${route.replace(/^\/+/, '')}${query ? `&${query}` : ''}`;
    return `${this.base}/${this.prefix}/${route.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
  }

  // -------------------------------------------------------------------------------------------

  async run(): Promise<void> {
    const cached = this.deps.indexCache?.get();
    const index = cached ? this.cachedIndex(cached) : await this.probeIndex();
    if (!index) return; // the store cannot be reached, or speaks HTTPS on an http:// URL: said
    let sm = await this.probeStoreMethod();
    if (this.indexFromCache && !ok(sm)) {
      // The cached index may be out of date (permalinks, proxy, Home URL changed): read it again.
      this.probes.splice(this.probes.findIndex((p) => p.name === 'index'), 1);
      this.probes.splice(this.probes.findIndex((p) => p.name === 'store-method'), 1);
      this.indexFromCache = false;
      if (!(await this.probeIndex())) return;
      sm = await this.probeStoreMethod();
    }
    if (this.plain) await this.probeStoreMethodRestRoute();

    const readsOk = ok(sm);
    // On plain permalinks every /wp-json/ variant would get the same redirect: nothing to learn.
    // A 403 from WooCommerce means the credentials worked (the role is the matter); a plugin's or
    // firewall's 403 is tried around like any refusal.
    const capability403 = sm.status === 403 && !sm.isHtml && !SECURITY_PLUGIN_CODES.test(sm.code ?? '');
    if (!readsOk && !sm.notSent && !capability403 && !this.plain) await this.probeVariants(sm);

    await this.probeWrite();
    this.clockProbe();
    this.decide();
  }

  /** The index from an earlier run, reported as a probe that sent nothing. */
  private cachedIndex(cached: CachedStoreIndex): StoreIndex {
    this.index = cached.index;
    this.plain = cached.index.plainPermalinks === true;
    this.indexFromCache = true;
    const idx = cached.index;
    const probe: ProbeResult = {
      name: 'index',
      title: 'REST index (cached)',
      shows: 'The Home URL WordPress signs OAuth with, HTTPS, application passwords: read on an earlier run and kept for this store.',
      outcome: 'info',
      result: `Read at ${cached.readAt}: Home URL ${idx.home ?? '?'}${idx.plainPermalinks ? ', plain permalinks' : ''}${idx.applicationPasswords ? ', application passwords available' : ''}. Read again when a probe disagrees.`,
    };
    this.probes.push(this.clean(probe));
    this.deps.onProbe?.(this.clean(probe));
    return idx;
  }

  /** GET /wp-json/ (only the fields the doctor reads). Undefined when the run cannot go on. */
  private async probeIndex(): Promise<StoreIndex | Answer | undefined> {
    const shows = 'Whether the REST API answers at /wp-json/, the Home URL WordPress signs OAuth with, HTTPS, and whether application passwords are available.';
    const a = await this.send('index', 'REST index', shows, { method: 'GET', url: this.url('', `_fields=${INDEX_FIELDS}`), headers: [['Accept', 'application/json']] }, { follow: true, auth: 'no credentials' });
    const probe = a.probe;
    if (this.speaksHttps(a)) return this.probeHttpsIndex(a);
    if (!a.exchange?.response) {
      this.summary = `The store cannot be reached: ${probe.result}`;
      return undefined;
    }
    const idx = storeIndexFrom(a.exchange);
    const redirected = a.exchange.redirects.length ? ` (after a redirect to ${redactUrl(a.exchange.request.url)})` : '';
    if (idx) {
      this.index = idx;
      this.deps.indexCache?.set({ index: idx, readAt: this.now().toISOString() });
      probe.outcome = 'ok';
      const parts = [`The REST API answers${redirected}. Home URL: ${idx.home ?? '?'}${idx.url && idx.url !== idx.home ? `; Site URL: ${idx.url}` : ''}.`];
      const home = parse(idx.home);
      const base = parse(this.base);
      if (home && base && home.host.toLowerCase() !== base.host.toLowerCase()) parts.push(`The Home URL's host (${home.host}) is not the store URL's (${base.host}): OAuth signatures must be made for ${home.host}.`);
      if (home && idx.https && home.protocol === 'http:') parts.push("Read over https://, yet the Home URL says http://: WordPress's is_ssl() is false, so HTTPS ends at a proxy.");
      parts.push(idx.applicationPasswords ? 'Application passwords are available.' : idx.https ? 'Application passwords are not advertised (turned off, or the server does not see HTTPS).' : 'Over plain HTTP, application passwords are not available.');
      probe.result = parts.join(' ');
      this.emit(probe);
      return a;
    }
    probe.outcome = 'failed';
    const link = apiLink(a.exchange.response.headers);
    if (a.isHtml && link?.includes('rest_route=')) {
      probe.result = `/${this.prefix}/ answered ${a.status} with an HTML page, and the page's api.w.org Link header gives the REST API as ${link}: the site is on plain permalinks.`;
      this.emit(probe);
      await this.probeRestRouteIndex();
      return a;
    }
    probe.result = a.isHtml
      ? `/${this.prefix}/ answered ${a.status} with an HTML page, not the REST index${redirected}.`
      : `/${this.prefix}/ answered ${a.status}${a.code ? ` ${a.code} "${a.message}"` : ''}, not the REST index${redirected}${a.code && SECURITY_PLUGIN_CODES.test(a.code) ? ': a security plugin keeps the REST API from anyone not logged in' : ''}.`;
    this.emit(probe);
    if (a.isHtml || a.status === 404 || a.status === 301 || a.status === 302) await this.probeRestRouteIndex();
    return a;
  }

  /** An http:// store URL whose port answered like a TLS port: the web server's 400 page, or a closed connection. */
  private speaksHttps(a: Answer): boolean {
    if (this.https) return false;
    if (a.status === 400 && a.isHtml) return /speaking plain HTTP to an SSL-enabled server port|plain HTTP request was sent to HTTPS port/i.test(a.text ?? '');
    return !a.exchange?.response && /^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/.test(a.exchange?.error?.code ?? '');
  }

  /** The same index over https:// on the same host and port: when it answers, the store URL's scheme is the cause. */
  private async probeHttpsIndex(plain: Answer): Promise<undefined> {
    plain.probe.outcome = 'failed';
    plain.probe.result = plain.exchange?.response
      ? `http:// got the web server's page for plain HTTP sent to its HTTPS port (${plain.status}): the port speaks HTTPS.`
      : `${plain.probe.result} On http://, a closed connection is what a port that speaks HTTPS does.`;
    this.emit(plain.probe);
    const httpsBase = this.base.replace(/^http:/, 'https:');
    const a = await this.send('https-index', 'REST index over https://', 'Whether the same host and port answer over HTTPS.', { method: 'GET', url: `${httpsBase}/${this.prefix}/?_fields=${INDEX_FIELDS}`, headers: [['Accept', 'application/json']] }, { follow: false, auth: 'no credentials' });
    const answered = !!a.exchange?.response;
    a.probe.outcome = answered ? 'ok' : 'failed';
    a.probe.result = answered ? `https:// on the same port answers (${a.status}): use ${httpsBase}.` : `https:// did not answer either: ${a.probe.result}`;
    this.emit(a.probe);
    const ctx = { ...this.fixContext(), httpsUrl: answered ? httpsBase : undefined };
    const c = CAUSES['http-to-https-port'];
    this.findings = [{ cause: c.id, title: c.title, explanation: c.explanation, evidence: [this.evidence('index'), this.evidence('https-index')].filter(Boolean), confidence: answered ? 'certain' : 'likely', fixes: c.fixes(ctx) }];
    this.cause = c.id;
    this.summary = answered ? `${c.title}: the store's URL says http://, and the port speaks HTTPS. Use ${httpsBase}.` : `${c.title} (likely).`;
    return undefined;
  }

  private async probeRestRouteIndex(): Promise<void> {
    const shows = 'Whether the REST API answers at ?rest_route=/ (the only address on plain permalinks).';
    const a = await this.send('rest-route-index', 'REST index via ?rest_route=', shows, { method: 'GET', url: `${this.base}/?rest_route=/&_fields=${INDEX_FIELDS}`, headers: [['Accept', 'application/json']] }, { follow: true, auth: 'no credentials' });
    if (!a.exchange?.response) return;
    const idx = storeIndexFrom(a.exchange);
    if (idx) {
      this.index = { ...idx, plainPermalinks: true };
      this.deps.indexCache?.set({ index: this.index, readAt: this.now().toISOString() });
      this.plain = true;
      a.probe.outcome = 'ok';
      a.probe.result = `The REST API answers at ?rest_route=/ but not at /${this.prefix}/: the site is on plain permalinks. Home URL: ${idx.home ?? '?'}.`;
    } else {
      a.probe.outcome = 'failed';
      a.probe.result = `?rest_route=/ answered ${a.status}, not the REST index either.`;
    }
    this.emit(a.probe);
  }

  private async probeStoreMethod(): Promise<Answer> {
    const shows = `Whether a read works the way the store is set up (${this.method}).`;
    const a = await this.sendWith('store-method', `Read with the store's method (${this.method})`, shows, this.store, this.url(`${this.version}/products`, 'per_page=1'));
    this.describeRead(a, 'The store\'s method');
    return a;
  }

  private async probeStoreMethodRestRoute(): Promise<void> {
    const shows = 'Whether the store\'s credentials work on the ?rest_route= address plain permalinks leave.';
    const a = await this.sendWith('store-method-rest-route', `Read via ?rest_route= (${this.method})`, shows, this.store, this.url(`${this.version}/products`, 'per_page=1', true));
    this.describeRead(a, 'On ?rest_route=, the store\'s method');
  }

  private async probeVariants(sm: Answer): Promise<void> {
    const products = this.url(`${this.version}/products`, 'per_page=1');
    if (this.hasKeys) {
      if (this.https && this.method !== 'wc-basic') {
        const a = await this.sendWith('basic', 'Read with Basic auth', 'Whether the key works in an Authorization: Basic header.', { ...this.store, authMethod: 'wc-basic' }, products);
        this.describeRead(a, 'Basic auth');
      }
      if (this.method !== 'wc-oauth1') {
        const a = await this.sendOAuth('oauth', 'Read with OAuth 1.0a', "OAuth's specific errors: an unknown key (\"Consumer key is invalid.\") vs a wrong secret or URL (\"Invalid signature\") vs fine. It proves the secret without sending it.", products, {});
        this.describeRead(a, 'OAuth 1.0a');
      }
      if (this.https && this.method !== 'wc-query') {
        // The key pair in a URL is written into the server's access log: only with consent.
        if (this.queryAllowed) {
          const a = await this.sendWith('query', 'Read with the key in the query string', 'Whether the key works as consumer_key/consumer_secret (servers that strip Authorization do not touch these; the secret is written into the server\'s access log).', { ...this.store, authMethod: 'wc-query' }, products);
          this.describeRead(a, 'The query string');
        } else {
          this.queryWithheld = true;
        }
      }
      const oauth = this.method === 'wc-oauth1' ? sm : this.answers.get('oauth');
      const home = this.index?.home;
      const signedFor = this.store.options?.homeUrl ?? originAndPath(this.base);
      if (oauth && isMsg(oauth, MESSAGES.signatureMismatch) && home && stripSlash(home) !== stripSlash(signedFor)) {
        const a = await this.sendOAuth('oauth-home-url', 'OAuth 1.0a signed for the Home URL', `Whether signing for the Home URL ${home} (instead of ${stripSlash(signedFor)}) fixes the signature.`, products, { homeUrl: home });
        this.describeRead(a, `Signed for the Home URL ${home}, OAuth`);
      }
      // Over https, a signature for http:// is what a server behind a TLS-ending proxy computes
      // even when its Home URL says https (the one case the index cannot show).
      if (this.https && oauth && isMsg(oauth, MESSAGES.signatureMismatch) && !ok(this.answers.get('oauth-home-url')) && signedScheme(oauth) === 'https') {
        const a = await this.sendOAuth('oauth-as-http', 'OAuth 1.0a signed for http://', "Whether the server signs http:// although the request came over https:// (HTTPS ended at a proxy that WordPress doesn't know about).", products, { serverScheme: 'http' });
        this.describeRead(a, 'Signed for http://, OAuth');
      }
      const timestamped = [sm, this.answers.get('oauth'), this.answers.get('oauth-home-url')].find((x) => isMsg(x, MESSAGES.timestamp));
      const skew = this.skew();
      if (timestamped && skew !== undefined) {
        const homeWorks = ok(this.answers.get('oauth-home-url')) || isMsg(this.answers.get('oauth-home-url'), MESSAGES.timestamp);
        const a = await this.sendOAuth('oauth-server-clock', "OAuth 1.0a timed by the server's clock", `Whether a timestamp ${duration(skew)} ${skew >= 0 ? 'later' : 'earlier'} (the server's clock) is accepted.`, products, { timestamp: Math.floor(this.now().getTime() / 1000) + skew, homeUrl: homeWorks ? home : undefined });
        this.describeRead(a, "Timed by the server's clock, OAuth");
      }
    }
    if (this.behindTlsProxy()) await this.probeForwardedProto(products);
    if (this.method === 'app-password' && this.https && sm.status === 401) {
      const a = await this.sendWith('app-password-user', 'Who am I (wp/v2/users/me)', 'WordPress names a wrong application password or user here, and says "not logged in" when the credentials never arrived.', this.store, this.url('wp/v2/users/me', '', this.plain));
      if (a.probe.outcome !== 'skipped' && a.probe.outcome !== 'error') {
        const body = a.json as Record<string, unknown> | undefined;
        if (ok(a)) { a.probe.outcome = 'ok'; a.probe.result = `WordPress accepts the application password (user ${String(body?.name ?? body?.slug ?? '?')}).`; }
        else if (a.code === 'rest_not_logged_in') { a.probe.outcome = 'failed'; a.probe.result = 'WordPress says nobody is logged in, without complaining about the password: the credentials never reached it.'; }
        else { a.probe.outcome = 'failed'; a.probe.result = `WordPress refused the application password: ${a.code} "${a.message}".`; }
        this.emit(a.probe);
      }
    }
  }

  /** HTTPS ends at a proxy: the index's Home URL says http:// over https://, or only an http:// signature works. */
  private behindTlsProxy(): boolean {
    if (!this.https) return false;
    const home = parse(this.index?.home);
    const oauthHttp = [this.answers.get('oauth-home-url'), this.answers.get('oauth-as-http'), this.method === 'wc-oauth1' ? this.answers.get('store-method') : undefined].some((x) => ok(x) && signedScheme(x) === 'http');
    return (!!this.index?.https && home?.protocol === 'http:') || oauthHttp;
  }

  /**
   * The store's own read with X-Forwarded-Proto: https, as the proxy should send it. Working means
   * WordPress already trusts the header (wp-config.php) and the proxy is what does not send it.
   */
  private async probeForwardedProto(products: string): Promise<void> {
    if (this.method === 'none' || this.method === 'bearer') return;
    if (this.method === 'wc-query' && !this.queryAllowed) return;
    const shows = 'Whether WordPress sees HTTPS when the request carries X-Forwarded-Proto: https (the header the proxy should send): then the proxy is what needs fixing.';
    const req: PlainRequest = { method: 'GET', url: products, headers: [['Accept', 'application/json'], ['X-Forwarded-Proto', 'https']] };
    const a = await this.sendWith('forwarded-proto', 'Read with X-Forwarded-Proto: https', shows, this.store, products, req);
    const p = a.probe;
    if (p.outcome === 'skipped' || p.outcome === 'error') return;
    if (ok(a)) {
      this.forwardedProtoMissing = true;
      p.outcome = 'ok';
      p.result = "Works with X-Forwarded-Proto: https: WordPress trusts the header (wp-config.php has the lines), so the proxy in front of it does not send it. Fix the proxy.";
    } else {
      p.outcome = 'failed';
      p.result = `Still refused with X-Forwarded-Proto: https (${a.status}${a.code ? ` ${a.code}` : ''}): WordPress does not read the header yet (the wp-config.php lines are missing), or the proxy overwrites it.`;
    }
    this.emit(p);
  }

  private async probeWrite(): Promise<void> {
    // With the store's method when reads work; else with the first variant that worked, to show
    // whether the fix would also allow writes.
    const order: ProbeName[] = ['store-method', 'store-method-rest-route', 'query', 'basic', 'oauth', 'oauth-home-url', 'oauth-as-http', 'oauth-server-clock'];
    const working = order.find((n) => ok(this.answers.get(n)));
    const shows = 'Whether the credentials may write, with a batch request of three empty lists that changes nothing.';
    if (!working) {
      this.skip('write-check', 'Write permission', shows, 'No way of sending the credentials worked for reads, so writes were not tried.');
      return;
    }
    const plain = working === 'store-method-rest-route';
    const url = this.url(`${this.version}/products/batch`, '', plain);
    const req: PlainRequest = { method: 'POST', url, headers: [['Content-Type', 'application/json'], ['Accept', 'application/json']], body: EMPTY_BATCH };
    let a: Answer;
    const title = `Write permission (${working === 'store-method' || working === 'store-method-rest-route' ? this.method : working})`;
    if (working.startsWith('oauth')) {
      const homeUrl = working === 'oauth-home-url' || (working === 'oauth-server-clock' && ok(this.answers.get('oauth-home-url'))) ? this.index?.home : undefined;
      const skew = working === 'oauth-server-clock' ? this.skew() ?? 0 : 0;
      a = await this.sendOAuth('write-check', title, shows, url, { method: 'POST', homeUrl, timestamp: Math.floor(this.now().getTime() / 1000) + skew, body: EMPTY_BATCH, serverScheme: working === 'oauth-as-http' ? 'http' : undefined });
    } else {
      const method: AuthMethod = working === 'query' ? 'wc-query' : working === 'basic' ? 'wc-basic' : this.method;
      a = await this.sendWith('write-check', title, shows, { ...this.store, authMethod: method }, url, req);
    }
    const p = a.probe;
    if (p.outcome === 'skipped' || p.outcome === 'error') return;
    if (ok(a)) { p.outcome = 'ok'; p.result = 'Writes are allowed (the empty batch was accepted; nothing changed).'; }
    else if (isMsg(a, MESSAGES.noWrite)) { p.outcome = 'failed'; p.result = 'The key is read-only: WooCommerce refused the empty batch with "The API key provided does not have write permissions."'; }
    else if (a.status === 403) { p.outcome = 'failed'; p.result = `Authenticated, but the user may not edit products: ${a.code} "${a.message}".`; }
    else { p.outcome = 'failed'; p.result = `The empty batch answered ${a.status}${a.code ? ` ${a.code} "${a.message}"` : ''}.`; }
    this.emit(p);
  }

  private clockProbe(): void {
    const skew = this.skew();
    const probe: ProbeResult = { name: 'clock', title: 'Clock', shows: "The server's clock (Date header) against this machine's: OAuth 1.0a allows 15 minutes.", outcome: 'info', result: '' };
    if (skew === undefined) {
      probe.result = 'No Date header came back, so the clocks cannot be compared.';
    } else {
      const words = Math.abs(skew) < 2 ? "The server's clock agrees with this machine's (within a second or two)." : `The server's clock is ${duration(skew)} ${skew > 0 ? 'ahead of' : 'behind'} this machine's.`;
      if (Math.abs(skew) > OAUTH_WINDOW_SECONDS) {
        probe.outcome = this.method === 'wc-oauth1' ? 'failed' : 'info';
        probe.result = `${words} That is more than the 15 minutes OAuth 1.0a allows${this.method === 'wc-oauth1' ? ': every signed request gets "Invalid timestamp."' : ' (Basic auth and application passwords do not care).'}`;
      } else {
        probe.outcome = Math.abs(skew) > 300 ? 'info' : 'ok';
        probe.result = words;
      }
    }
    this.probes.push(this.clean(probe));
    this.deps.onProbe?.(this.clean(probe));
  }

  // -------------------------------------------------------------------------------------------
  // Deciding

  private decide(): void {
    const out = new Out(this.fixContext());
    const a = (n: ProbeName): Answer | undefined => this.answers.get(n);
    const sm = a('store-method')!;
    const write = a('write-check');
    const ev = (n: ProbeName): string => this.evidence(n);
    const skew = this.skew();

    if (this.plain || (sm.status === 301 && sm.location && isSlashRedirect(sm.exchange!.request.url, sm.location))) {
      const evidence = [ev('index'), ev('rest-route-index'), ev('store-method')].filter(Boolean);
      out.add('plain-permalinks', this.plain ? 'certain' : 'likely', evidence);
      const rr = a('store-method-rest-route');
      if (rr && !ok(rr) && (this.method === 'wc-basic' || this.method === 'wc-query' || this.method === 'wc-oauth1')) out.add('keys-on-rest-route', 'certain', [ev('store-method-rest-route')]);
    } else if (sm.notSent) {
      const code = sm.notSent instanceof AuthNotApplied ? sm.notSent.code : undefined;
      if (code === 'cleartext-credentials' && this.method !== 'bearer') out.add(this.method === 'app-password' ? 'app-password-over-http' : 'keys-over-http', 'certain', [ev('store-method')]);
      else if (code === 'expired-token') out.add('bearer-expired', 'certain', [ev('store-method')]);
      else out.add('no-credentials', 'certain', [ev('store-method')]);
    } else if (ok(sm)) {
      if (write && isMsg(write, MESSAGES.noWrite)) {
        // A read key is a fact, not a failure, unless the store says it must write.
        const mustWrite = this.store.key?.permissions === 'write' || this.store.key?.permissions === 'read_write';
        if (mustWrite) out.add('read-only-key', 'certain', [ev('store-method'), ev('write-check'), `The store says the key's permissions are ${this.store.key!.permissions}.`]);
        else this.readOnlyKey = true;
      } else if (write && write.status === 403) {
        out.add('user-lacks-capability', 'certain', [ev('store-method'), ev('write-check')]);
      }
    } else {
      this.decideFailedRead(out, sm);
    }

    // A clock far off breaks OAuth even where the cause is something else.
    if (this.method === 'wc-oauth1' && skew !== undefined && Math.abs(skew) > OAUTH_WINDOW_SECONDS) {
      out.add('oauth-timestamp-skew', out.size ? 'likely' : 'certain', [`The server's clock is ${duration(skew)} ${skew > 0 ? 'ahead of' : 'behind'} this machine's (Date header); OAuth 1.0a allows 15 minutes.`]);
    }
    // A Home URL on another host breaks OAuth signatures made for the store URL.
    const home = parse(this.index?.home);
    const base = parse(this.base);
    if (this.method === 'wc-oauth1' && home && base && !this.store.options?.homeUrl && home.host.toLowerCase() !== base.host.toLowerCase() && !out.has('oauth-signature-mismatch') && ok(sm) === false) {
      out.add('oauth-signature-mismatch', 'possible', [ev('index')]);
    }
    if (!out.size && !ok(sm)) {
      // Nothing proven: fall back on what the store method's answer alone says.
      const findings = sm.exchange ? explainExchange({ exchange: sm.exchange, store: this.store, authMethod: this.method, applied: sm.applied, index: this.index }) : [];
      for (const f of findings) out.push(f);
    }

    this.findings = out.ranked();
    const readOnlyDeclared = this.store.key?.permissions === 'read' && isMsg(write, MESSAGES.noWrite);
    this.healthy = ok(sm) && !this.plain && (ok(write) || readOnlyDeclared || this.readOnlyKey) && !this.findings.some((f) => f.confidence !== 'possible');
    this.cause = this.healthy ? undefined : this.findings[0]?.cause;
    if (this.healthy) {
      const readOnly = readOnlyDeclared ? ', read-only as declared' : this.readOnlyKey ? '. The key is read-only: reads work, writes are refused (if this store must write, give the key Read/Write permissions, and say so in the store\'s key permissions)' : '';
      this.summary = `Authentication works for "${this.store.name}" (${this.method})${readOnly}.`;
    } else if (this.findings.length) {
      const top = this.findings[0];
      this.summary = `${top.title}${top.confidence === 'certain' ? '' : ` (${top.confidence})`}.${this.findings.length > 1 ? ` Also: ${this.findings.slice(1).map((f) => f.title.replace(/\.$/, '')).join('; ')}.` : ''}`;
    } else {
      this.summary = `Authentication fails for "${this.store.name}", and the probes could not tell why; see each probe's answer.`;
    }
    this.sayWhenQueryWouldHelp();
  }

  /**
   * When the causes are still open and the one probe not sent, the key pair in the query string,
   * would tell them apart: say so, as a probe that was not sent and in the report, so the editor
   * can ask and the CLI can name --allow-query-secret.
   */
  private sayWhenQueryWouldHelp(): void {
    if (!this.queryWithheld || this.healthy || this.findings[0]?.confidence === 'certain') return;
    this.querySecretWouldHelp = true;
    this.skip('query', 'Read with the key in the query string', 'Whether the key works as consumer_key/consumer_secret, which servers that strip Authorization do not touch.',
      "Not sent: it would write the consumer secret into the server's access log. It would tell the remaining causes apart; allow it once (the editor asks; woo-api doctor --allow-query-secret) to compare it with Basic.");
    this.summary += ' Probing with the key in the query string would settle it (the secret is then written into the server\'s access log): allow it to run that probe.';
  }

  private decideFailedRead(out: Out, sm: Answer): void {
    const a = (n: ProbeName): Answer | undefined => this.answers.get(n);
    const ev = (n: ProbeName): string => this.evidence(n);
    const m = this.method;
    const basic = a('basic');
    const query = a('query');
    const oauth = m === 'wc-oauth1' ? sm : a('oauth');
    const oauthHome = a('oauth-home-url');
    const oauthHttp = a('oauth-as-http');
    const serverClock = a('oauth-server-clock');
    const home = parse(this.index?.home);
    const proxyHome = !!this.index?.https && home?.protocol === 'http:';
    const proxy = this.behindTlsProxy();
    const proxyCtx = { homeUrl: this.index?.home, forwardedProtoMissing: this.forwardedProtoMissing || undefined };
    const proxyEvidence = (): string[] => [ev('index'), ev(ok(oauthHome) ? 'oauth-home-url' : ok(oauthHttp) ? 'oauth-as-http' : 'oauth'), ev('forwarded-proto'), this.forwardedProtoMissing ? 'The proxy does not send X-Forwarded-Proto: the wp-config.php lines (already in place here) have nothing to read. Fix the proxy first.' : ''].filter(Boolean);
    // The first way of sending the key that worked where the store's did not (the query string only if it was allowed to run).
    const passing = ([['basic', 'wc-basic'], ['oauth', 'wc-oauth1'], ['oauth-home-url', 'wc-oauth1'], ['oauth-as-http', 'wc-oauth1'], ['query', 'wc-query']] as const).find(([n]) => ok(a(n)));
    const switchTo = passing ? { switchTo: passing[1] } : {};
    const passedSentence = (): string => (passing ? `${passing[1] === 'wc-basic' ? 'Basic auth' : passing[1] === 'wc-oauth1' ? 'OAuth 1.0a' : 'The query string'} passes (probe "${passing[0]}"): switch the store to it, or allow the API as below.` : '');

    if (sm.status === 403 && !sm.isHtml && /^(woocommerce_rest_cannot_|woocommerce_rest_user_cannot_|rest_cannot_|rest_forbidden)/.test(sm.code ?? '') && !SECURITY_PLUGIN_CODES.test(sm.code ?? '')) {
      out.add('user-lacks-capability', 'certain', [ev('store-method'), ev('write-check')].filter(Boolean));
      return;
    }
    if (sm.status !== undefined && sm.status >= 300 && sm.status < 400) {
      const to = parse(sm.location, sm.exchange?.request.url);
      const from = parse(sm.exchange?.request.url);
      if (to && from && to.origin !== from.origin) {
        out.add('redirect-dropped-credentials', 'certain', [ev('store-method'), `Credentials are not sent on to another origin (${to.origin}), and an OAuth signature for ${from.origin} is not valid there.`], { suggestedUrl: to.origin + this.base.replace(/^https?:\/\/[^/]+/, '') });
      } else {
        out.add('redirect-on-api-path', 'certain', [ev('store-method')], { suggestedUrl: to?.href });
      }
      return;
    }
    if (m === 'none') {
      out.add('no-credentials', 'certain', [ev('store-method'), `The store "${this.store.name}" is set to send no credentials.`]);
      return;
    }
    if (sm.code === 'rest_no_route' || (sm.status === 404 && sm.isHtml)) {
      out.add('wrong-api-path', 'certain', [ev('store-method')]);
      return;
    }
    // A firewall's HTML page, before WordPress: which way of sending the key gets through?
    if (sm.isHtml && sm.status !== undefined && [401, 403, 406, 429, 501, 503].includes(sm.status)) {
      const querySecret = /[?&]consumer_secret=/.test(sm.exchange?.request.url ?? '');
      out.add('firewall', passing ? 'certain' : 'likely', [ev('store-method'), querySecret ? 'The refused request carried consumer_secret in its query string, a common firewall rule.' : '', passedSentence()].filter(Boolean), switchTo);
      return;
    }
    // A security plugin answered in WooCommerce's place: its reason is hidden, so only what a
    // probe shows is said (no "unknown key" guess).
    if (SECURITY_PLUGIN_CODES.test(sm.code ?? '')) {
      out.add('security-plugin', 'certain', [ev('store-method'), 'This is not a WordPress or WooCommerce message: a plugin refuses REST requests it does not consider logged in, and hides WooCommerce\'s own reason.', passedSentence()].filter(Boolean), switchTo);
      if (passing?.[1] === 'wc-oauth1' && (m === 'wc-basic' || m === 'app-password') && !proxy) {
        out.add('header-stripped', 'likely', [ev('store-method'), ev(passing[0]), 'OAuth 1.0a with the same key and secret authenticates over the same HTTPS, so the secret is right; Basic credentials that arrived would have authenticated too.']);
      } else if (passing && proxy) {
        out.add('https-terminated-at-proxy', 'likely', proxyEvidence(), proxyCtx);
      } else if (!passing) {
        out.add('security-plugin', 'certain', ['No way of sending the key got past the plugin, so these credentials do not authenticate; the plugin hides why. Check the key on the store\'s REST API keys page, or allow /wp-json/wc/ in the plugin to see WooCommerce\'s own answer.']);
      }
      return;
    }

    // The specific WooCommerce messages, from the store's method or the probes.
    if (isMsg(sm, MESSAGES.secretInvalid)) { out.add('wrong-consumer-secret', 'certain', [ev('store-method')]); return; }
    if (isMsg(sm, MESSAGES.keyInvalid)) { out.add('unknown-consumer-key', 'certain', [ev('store-method')]); return; }
    if (isMsg(sm, MESSAGES.noRead)) { out.add('write-only-key', 'certain', [ev('store-method')]); return; }
    if (isMsg(sm, MESSAGES.signatureMethod)) { out.add('oauth-unsupported-method', 'certain', [ev('store-method')]); return; }
    if (isMsg(sm, MESSAGES.nonce)) { out.add('oauth-nonce-reused', 'certain', [ev('store-method')]); return; }
    if (sm.code === 'woocommerce_rest_authentication_missing_parameter') { out.add('oauth-missing-parameters', 'certain', [ev('store-method')]); return; }
    if (isMsg(sm, MESSAGES.timestamp)) {
      out.add('oauth-timestamp-skew', ok(serverClock) || serverClock === undefined ? 'certain' : 'likely', [ev('store-method'), ev('oauth-server-clock')].filter(Boolean));
      return;
    }
    if (isMsg(sm, MESSAGES.signatureMismatch)) {
      if (ok(oauthHttp) || (proxy && (ok(oauthHome) || isMsg(oauthHome, MESSAGES.timestamp)))) {
        out.add('https-terminated-at-proxy', 'certain', proxyEvidence(), proxyCtx);
        if (ok(oauthHome)) out.add('oauth-signature-mismatch', 'certain', [ev('store-method'), ev('oauth-home-url'), ev('index')], { homeUrl: this.index?.home });
        return;
      }
      if (ok(oauthHome) || isMsg(oauthHome, MESSAGES.timestamp)) {
        out.add('oauth-signature-mismatch', 'certain', [ev('store-method'), ev('oauth-home-url'), ev('index')], { homeUrl: this.index?.home });
        if (isMsg(oauthHome, MESSAGES.timestamp)) out.add('oauth-timestamp-skew', ok(serverClock) ? 'certain' : 'likely', [ev('oauth-home-url'), ev('oauth-server-clock')].filter(Boolean));
        return;
      }
      if (isMsg(basic, MESSAGES.secretInvalid) || isMsg(query, MESSAGES.secretInvalid)) {
        out.add('wrong-consumer-secret', 'certain', [ev('store-method'), ev(isMsg(basic, MESSAGES.secretInvalid) ? 'basic' : 'query')]);
        return;
      }
      if (ok(basic) || ok(query)) {
        out.add(proxyHome ? 'https-terminated-at-proxy' : 'oauth-signature-mismatch', 'likely', [ev('store-method'), ev(ok(query) ? 'query' : 'basic'), 'The same key and secret work without OAuth, so the secret is right and the base strings differ.']);
        return;
      }
      out.add('wrong-consumer-secret', 'likely', [ev('store-method'), oauthHome ? ev('oauth-home-url') : `The Home URL${this.index?.home ? ` (${this.index.home})` : ''} is the URL that was signed for, so the base strings should agree.`]);
      out.add('oauth-signature-mismatch', 'possible', ['If the secret is right, something between client and WordPress changes the URL (a proxy, a rewrite).']);
      return;
    }

    // Silent failures: nobody was authenticated.
    if (!silent401(sm) && !(sm.code === 'invalid_username' || sm.code === 'incorrect_password' || sm.code === 'invalid_email')) {
      return; // fall back on the single-exchange explanation
    }
    if (m === 'bearer') {
      out.add('bearer-not-supported', 'likely', [ev('store-method')]);
      return;
    }
    if (m === 'app-password') {
      const me = a('app-password-user');
      if (!this.https) { out.add('app-password-over-http', 'certain', [ev('store-method')]); return; }
      if (proxy && ok(a('forwarded-proto'))) { out.add('https-terminated-at-proxy', 'certain', proxyEvidence(), proxyCtx); return; }
      if (me && ['incorrect_password', 'invalid_username', 'invalid_email'].includes(me.code ?? '')) { out.add('wrong-app-password', 'certain', [ev('store-method'), ev('app-password-user')]); return; }
      if (me && me.code === 'rest_not_logged_in') {
        if (proxyHome) out.add('https-terminated-at-proxy', 'likely', [ev('index'), ev('app-password-user'), ev('forwarded-proto')].filter(Boolean), proxyCtx);
        else if (this.index && this.index.applicationPasswords === false) out.add('security-plugin', 'likely', [ev('index'), ev('app-password-user')]);
        else out.add('header-stripped', 'certain', [ev('store-method'), ev('app-password-user'), 'A wrong password or user would have been named on this route; "not logged in" means WordPress never saw the Authorization header.']);
        return;
      }
      if (sm.code === 'incorrect_password' || sm.code === 'invalid_username') { out.add('wrong-app-password', 'certain', [ev('store-method')]); return; }
      return;
    }
    // Consumer keys.
    if (!this.https && (m === 'wc-basic' || m === 'wc-query')) {
      out.add('keys-over-http', 'certain', [ev('store-method'), oauth ? ev('oauth') : 'WooCommerce never reads Basic or query-string keys over plain HTTP.'].filter(Boolean));
      if (isMsg(oauth, MESSAGES.keyInvalid)) out.add('unknown-consumer-key', 'certain', [ev('oauth')]);
      else if (isMsg(oauth, MESSAGES.signatureMismatch)) out.add('wrong-consumer-secret', 'likely', [ev('oauth')]);
      return;
    }
    if (this.plain || sm.exchange?.request.url.includes('rest_route=')) {
      out.add('keys-on-rest-route', 'certain', [ev('store-method')]);
      return;
    }
    if (proxy && (m === 'wc-basic' || m === 'wc-query')) {
      out.add('https-terminated-at-proxy', [oauthHome, oauthHttp, oauth, a('forwarded-proto')].some(ok) ? 'certain' : 'likely', proxyEvidence(), proxyCtx);
      return;
    }
    if (isMsg(oauth, MESSAGES.keyInvalid) || (m !== 'wc-oauth1' && sm.code === 'invalid_username')) {
      out.add('unknown-consumer-key', 'certain', [ev('store-method'), isMsg(oauth, MESSAGES.keyInvalid) ? ev(m === 'wc-oauth1' ? 'store-method' : 'oauth') : ''].filter(Boolean));
      return;
    }
    if (m === 'wc-basic' && (ok(query) || ok(oauth))) {
      // The key and secret are right (another way authenticated) and WordPress sees HTTPS (an
      // https:// signature matched): Basic's credentials never reached it.
      out.add('header-stripped', 'certain', [ev('store-method'), ev(ok(oauth) ? 'oauth' : 'query'), ok(oauth) ? 'OAuth 1.0a with the same key and secret, signed for https://, works: the secret is right and WordPress sees HTTPS, so the Basic credentials never reached it.' : ''].filter(Boolean));
      return;
    }
    if (m === 'wc-basic' && isMsg(query, MESSAGES.secretInvalid)) {
      out.add('header-stripped', 'certain', [ev('store-method'), ev('query'), 'With the header arriving, a wrong secret would have been named ("Consumer secret is invalid."); Basic got the anonymous answer instead.']);
      out.add('wrong-consumer-secret', 'certain', [ev('query')]);
      return;
    }
    if (m === 'wc-basic' && isMsg(oauth, MESSAGES.signatureMismatch)) {
      // The key is known (OAuth did not call it invalid), yet Basic got the anonymous answer instead
      // of "Consumer secret is invalid.": the header did not arrive; and the secret (or the URL) is off.
      out.add('header-stripped', 'likely', [ev('store-method'), ev('oauth'), 'The store knows the key (OAuth did not call it invalid), yet Basic got the anonymous answer, where an arriving header with a wrong secret gets "Consumer secret is invalid.".']);
      out.add('wrong-consumer-secret', 'likely', [ev('oauth')]);
      return;
    }
    if (m === 'wc-query' && ok(oauth)) {
      out.add('security-plugin', 'likely', [ev('store-method'), ev('oauth'), 'OAuth 1.0a works where the key pair in the query string is ignored: something between client and WordPress (a cache, a firewall rule) drops consumer_key/consumer_secret.'], { switchTo: 'wc-oauth1' });
      return;
    }
    if (m === 'wc-oauth1' && (ok(basic) || ok(query))) {
      out.add('security-plugin', 'likely', [ev('store-method'), ev(ok(query) ? 'query' : 'basic'), 'The key works without OAuth, yet the OAuth parameters in the query string were not seen: something between client and WordPress drops them.'], switchTo);
      return;
    }
    out.add('security-plugin', 'possible', [ev('store-method'), 'Every way of sending the key got the anonymous answer.']);
    out.add('unknown-consumer-key', 'possible', ['An unknown key gets this answer over Basic and query-string auth.']);
  }

  private fixContext(): FixContext {
    const home = this.index?.home ? stripSlash(this.index.home) : undefined;
    return {
      requestUrl: this.url(`${this.version}/products`),
      homeUrl: home,
      adminBaseUrl: stripSlash(this.index?.url ?? home ?? this.base),
      httpsAvailable: this.https || this.index?.https || undefined,
      httpsUrl: this.index?.https && home?.startsWith('https:') ? home : this.https ? this.base : undefined,
      clockOffsetSeconds: this.skew(),
      authMethod: this.method,
      plainPermalinks: this.plain,
      forwardedProtoMissing: this.forwardedProtoMissing || undefined,
    };
  }

  /** A sentence citing a probe: what was sent and what came back. */
  private evidence(name: ProbeName): string {
    const p = this.probes.find((x) => x.name === name);
    if (!p) return '';
    const said = p.code !== undefined && p.result.includes(p.code);
    const answer = p.status !== undefined && !said ? ` → ${p.status}${p.code ? ` ${p.code}${p.message ? ` "${p.message}"` : ''}` : ''}` : '';
    return `Probe "${p.name}": ${p.request ?? p.title}${answer}. ${p.result}`.trim();
  }

  private skew(): number | undefined {
    if (!this.skews.length) return undefined;
    const sorted = [...this.skews].sort((x, y) => x - y);
    return sorted[Math.floor(sorted.length / 2)];
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  private describeRead(a: Answer, who: string): void {
    const p = a.probe;
    if (p.outcome === 'skipped' || p.outcome === 'error') return;
    if (ok(a)) { p.outcome = 'ok'; p.result = `${who} works: 200 with JSON.`; }
    else if (a.status !== undefined && a.status >= 300 && a.status < 400) { p.outcome = 'failed'; p.result = `${who} got a ${a.status} redirect to ${a.location ? redactUrl(a.location, this.secretValues) : '(no Location)'} (not followed: credentials are not re-sent).`; }
    else if (a.isHtml) { p.outcome = 'failed'; p.result = `${who} got ${a.status} with an HTML page instead of JSON.`; }
    else if (a.status === 403) { p.outcome = 'failed'; p.result = `${who} authenticates, but the user lacks the capability: ${a.code} "${a.message}".`; }
    else if (silent401(a)) { p.outcome = 'failed'; p.result = `${who} got the anonymous answer: the server did not see or did not accept the credentials, without saying why.`; }
    else { p.outcome = 'failed'; p.result = `${who} was refused: ${a.status}${a.code ? ` ${a.code} "${a.message}"` : ''}.`; }
    this.emit(p);
  }

  private async sendWith(name: ProbeName, title: string, shows: string, store: Store, url: string, request?: PlainRequest): Promise<Answer> {
    const plain: PlainRequest = request ?? { method: 'GET', url, headers: [['Accept', 'application/json']] };
    let applied: AppliedAuth;
    try {
      applied = store.authMethod === 'none' ? { request: plain, secrets: [], added: [] } : applyStoreAuth(plain, store, this.secrets, { now: this.now(), timestamp: Math.floor(this.now().getTime() / 1000) });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const probe = this.clean<ProbeResult>({ name, title, shows, request: `${plain.method} ${redactUrl(plain.url, this.secretValues)}`, outcome: 'skipped', result: `Not sent: ${e.message}` });
      this.probes.push(probe);
      this.deps.onProbe?.(probe);
      const a: Answer = { isHtml: false, notSent: e, probe };
      this.answers.set(name, a);
      return a;
    }
    const auth = applied.added.length ? applied.added.join('; ') : 'no credentials';
    return this.send(name, title, shows, applied.request, { follow: false, auth, applied });
  }

  private async sendOAuth(name: ProbeName, title: string, shows: string, url: string, o: { homeUrl?: string; timestamp?: number; method?: string; body?: string; serverScheme?: 'http' | 'https' }): Promise<Answer> {
    const method = o.method ?? 'GET';
    let signed: ReturnType<typeof signOAuth1>;
    try {
      signed = signOAuth1({
        method,
        url,
        consumerKey: this.secrets.consumerKey ?? '',
        consumerSecret: this.secrets.consumerSecret ?? '',
        signatureMethod: this.store.options?.oauthSignatureMethod ?? 'HMAC-SHA256',
        homeUrl: o.homeUrl ?? this.store.options?.homeUrl,
        serverScheme: o.serverScheme,
        placement: 'query',
        timestamp: o.timestamp ?? Math.floor(this.now().getTime() / 1000),
      });
    } catch (err) {
      const probe = this.clean<ProbeResult>({ name, title, shows, outcome: 'skipped', result: `Not signed: ${(err as Error).message}` });
      this.probes.push(probe);
      this.deps.onProbe?.(probe);
      const a: Answer = { isHtml: false, notSent: err as Error, probe };
      this.answers.set(name, a);
      return a;
    }
    const headers: [string, string][] = [['Accept', 'application/json']];
    if (o.body !== undefined) headers.unshift(['Content-Type', 'application/json']);
    const key = this.store.key?.truncatedKey ? `…${this.store.key.truncatedKey}` : keyHint(this.secrets.consumerKey ?? '');
    const applied: AppliedAuth = { request: { method, url: signed.url, headers, body: o.body }, secrets: [this.secrets.consumerKey ?? '', this.secrets.consumerSecret ?? ''], added: [`OAuth 1.0a ${this.store.options?.oauthSignatureMethod ?? 'HMAC-SHA256'} signature in the query, consumer key ${key}${o.homeUrl ? `, signed for ${o.homeUrl}` : ''}`], oauthBaseString: redactText(signed.baseString, [this.secrets.consumerKey ?? '']) };
    return this.send(name, title, shows, applied.request, { follow: false, auth: applied.added[0], applied });
  }

  private async send(name: ProbeName, title: string, shows: string, req: OutgoingRequest, o: { follow: boolean; auth: string; applied?: AppliedAuth }): Promise<Answer> {
    if (this.deps.signal?.aborted) throw new CancelledError('cancelled');
    const before = this.now().getTime();
    const exchange = await this.deps.send(req, {
      signal: this.deps.signal,
      timeoutMs: this.deps.timeoutMs ?? 15_000,
      followRedirects: o.follow,
      tls: this.deps.tls ?? { verify: this.store.options?.verifyTls !== false },
      secrets: this.secretValues,
      userAgent: this.store.options?.userAgent,
    });
    const after = this.now().getTime();
    if (exchange.error?.code === 'CANCELLED' || this.deps.signal?.aborted) throw new CancelledError('cancelled');
    const probe: ProbeResult = { name, title, shows, request: `${exchange.request.method} ${exchange.request.url} (${o.auth})`, outcome: 'info', result: '', ms: Math.round(exchange.timings?.total ?? after - before) };
    const a: Answer = { exchange, isHtml: false, probe, applied: o.applied };
    const r = exchange.response;
    if (!r || (exchange.error && !r)) {
      probe.outcome = 'error';
      probe.result = exchange.error?.message ?? 'No answer.';
      this.answers.set(name, a);
      this.probes.push(this.clean(probe));
      this.deps.onProbe?.(this.clean(probe));
      return a;
    }
    a.status = r.status;
    probe.status = r.status;
    const text = Buffer.from(r.body).toString('utf8');
    a.text = text.slice(0, 4096);
    const type = (r.contentType ?? headerOf(r.headers, 'content-type') ?? '').toLowerCase();
    a.isHtml = /text\/html/.test(type) || /^\s*<(!doctype|html)/i.test(text);
    try {
      a.json = /json/.test(type) || /^\s*[[{]/.test(text) ? JSON.parse(text) : undefined;
    } catch {
      a.json = undefined;
    }
    if (a.json && typeof a.json === 'object' && !Array.isArray(a.json)) {
      const j = a.json as Record<string, unknown>;
      if (typeof j.code === 'string' && typeof j.message === 'string' && r.status >= 400) {
        a.code = j.code;
        a.message = j.message.replace(/<[^>]*>/g, '');
        probe.code = a.code;
        probe.message = a.message;
      }
    }
    a.location = headerOf(r.headers, 'location');
    const date = headerOf(r.headers, 'date');
    if (date && !Number.isNaN(Date.parse(date))) {
      // Date is cut to whole seconds: compare with the middle of the exchange, plus half a second.
      this.skews.push(Math.round((Date.parse(date) + 500 - (before + after) / 2) / 1000));
    }
    this.answers.set(name, a);
    this.probes.push(probe);
    return a;
  }

  private skip(name: ProbeName, title: string, shows: string, result: string): void {
    const probe = this.clean<ProbeResult>({ name, title, shows, outcome: 'skipped', result });
    this.probes.push(probe);
    this.deps.onProbe?.(probe);
  }

  /** Reports a probe whose outcome was filled in after sending; the stored copy is cleaned too. */
  private emit(probe: ProbeResult): void {
    const i = this.probes.indexOf(probe);
    const clean = this.clean(probe);
    if (i >= 0) this.probes[i] = clean;
    this.deps.onProbe?.(clean);
  }

  /** Masks every secret value (raw, URL-encoded, inside Basic credentials) anywhere in a value. */
  private clean<T>(value: T): T {
    const secrets = this.secretValues;
    if (!secrets.length) return value;
    const forms: [string, string][] = [];
    for (const s of secrets) {
      const mask = /^ck_/.test(s) ? `ck_…${truncatedKey(s)}` : /^cs_/.test(s) ? `cs_${MASK}` : MASK;
      for (const form of new Set([s, encodeURIComponent(s), encodeURIComponent(s).replace(/%20/g, '+')])) forms.push([form, mask]);
    }
    if (this.store.username && this.secrets.applicationPassword) forms.push([basicAuthorization(this.store.username, this.secrets.applicationPassword).slice(6), MASK]);
    if (this.secrets.consumerKey && this.secrets.consumerSecret && !this.secrets.consumerKey.includes(':')) forms.push([basicAuthorization(this.secrets.consumerKey, this.secrets.consumerSecret).slice(6), MASK]);
    forms.sort((x, y) => y[0].length - x[0].length);
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return forms.reduce((s, [form, mask]) => s.split(form).join(mask), v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value) as T;
  }

  report(): DoctorReport {
    if (this.cancelled && !this.summary) this.summary = 'The diagnosis was cancelled.';
    return this.clean({
      store: { id: this.store.id, name: this.store.name, baseUrl: this.store.baseUrl, authMethod: this.store.authMethod },
      startedAt: this.startedAt,
      probes: this.probes,
      cause: this.cancelled ? undefined : this.cause,
      findings: this.cancelled ? [] : this.findings,
      healthy: this.cancelled ? false : this.healthy,
      summary: this.summary,
      index: this.index,
      clockSkewSeconds: this.skew(),
      readOnlyKey: this.readOnlyKey || undefined,
      querySecretWouldHelp: this.querySecretWouldHelp || undefined,
      cancelled: this.cancelled || undefined,
    });
  }
}

// ---------------------------------------------------------------------------------------------

const RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

/** Findings the doctor proved, in the order they were found (the first is the cause). */
class Out {
  private readonly list: Finding[] = [];
  constructor(private readonly ctx: FixContext) {}

  get size(): number {
    return this.list.length;
  }

  has(cause: CauseId): boolean {
    return this.list.some((f) => f.cause === cause);
  }

  add(cause: CauseId, confidence: Confidence, evidence: string[], ctx: Partial<FixContext> = {}): void {
    const existing = this.list.find((f) => f.cause === cause);
    const lines = evidence.filter(Boolean);
    if (existing) {
      if (RANK[confidence] < RANK[existing.confidence]) existing.confidence = confidence;
      for (const e of lines) if (!existing.evidence.includes(e)) existing.evidence.push(e);
      return;
    }
    const c = CAUSES[cause];
    this.list.push({ cause, title: c.title, explanation: c.explanation, evidence: [...new Set(lines)], confidence, fixes: c.fixes({ ...this.ctx, ...ctx }) });
  }

  push(f: Finding): void {
    if (!this.has(f.cause)) this.list.push(f);
  }

  ranked(): Finding[] {
    const sorted = this.list.map((f, i) => ({ f, i })).sort((a, b) => RANK[a.f.confidence] - RANK[b.f.confidence] || a.i - b.i).map(({ f }) => f);
    // The doctor has run: it is no longer a fix to offer.
    for (const f of sorted) f.fixes = f.fixes.filter((x) => x.id !== doctorFix().id);
    return sorted;
  }
}

/** The scheme an OAuth probe's base string was built with ('http' / 'https'). */
function signedScheme(a: Answer | undefined): string | undefined {
  const base = a?.applied?.oauthBaseString;
  if (!base) return undefined;
  const m = /^[A-Z]+&(https?)%3A/i.exec(base);
  return m?.[1]?.toLowerCase();
}

function headerOf(headers: readonly [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

function apiLink(headers: readonly [string, string][]): string | undefined {
  for (const [n, v] of headers) {
    if (n.toLowerCase() !== 'link') continue;
    const m = /<([^>]*)>\s*;\s*rel="?https:\/\/api\.w\.org\/"?/.exec(v);
    if (m) return m[1];
  }
  return undefined;
}

function parse(url: string | undefined, base?: string): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

function stripSlash(s: string): string {
  return trimTrailingSlashes(s);
}

function originAndPath(url: string): string {
  const u = parse(url);
  return u ? trimTrailingSlashes(`${u.origin}${u.pathname}`) : url;
}

function isSlashRedirect(from: string, to: string): boolean {
  const a = parse(from);
  const b = parse(to, from);
  return !!a && !!b && a.origin === b.origin && b.pathname === `${a.pathname}/`;
}
