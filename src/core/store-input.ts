// What a user types when registering a store, checked before anything is saved: the URL, the key
// pair, an application password. And what the store's `/wp-json/` index says about itself.
//
// Pure: no `vscode`; discovery sends through the function it is given.

import { explainExchange } from './explain/front';
import { applyStoreAuth } from './auth/apply';
import type { Exchange, OutgoingRequest, SendOptions } from './send';
import { headerValue } from './headers';
import type { Store, StoreSecrets } from './store';
import { trimTrailingSlashes } from './url-text';

export interface Checked<T> {
  value?: T;
  /** Why it cannot be used, as a sentence. */
  error?: string;
  /** Something we changed or noticed, as a sentence (trimmed whitespace, say). */
  note?: string;
}

const KEY = /^ck_[0-9a-f]{40}$/;
const SECRET = /^cs_[0-9a-f]{40}$/;

/** A store URL: http(s), a host, no query or fragment; the trailing slash and `/wp-json` dropped. */
export function checkStoreUrl(input: string): Checked<string> {
  const text = input.trim();
  if (text === '') return { error: 'Enter the store\'s address, like https://shop.example.com.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { error: `"${text}" is not a web address. Enter it like https://shop.example.com.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `The address must start with https:// (or http:// for a local store), not ${url.protocol}//.` };
  if (url.username || url.password) return { error: 'Leave credentials out of the address; the next steps ask for them and keep them in SecretStorage.' };
  const notes: string[] = [];
  if (url.search || url.hash) notes.push('the query and fragment were dropped');
  let pathname = trimTrailingSlashes(url.pathname);
  const api = pathname.search(/\/wp-json(\/|$)|\/wc-api(\/|$)/);
  if (api >= 0) {
    pathname = pathname.slice(0, api);
    notes.push('the API path was dropped: a store is registered by its site address');
  }
  if (!/^https?:\/\/[^/]+/i.test(withScheme) || url.hostname === '') return { error: `"${text}" has no host name.` };
  const value = `${url.protocol}//${url.host}${pathname}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) notes.unshift('no scheme was given, so https:// was assumed');
  return { value, note: notes.length ? `${capitalize(notes.join('; '))}.` : undefined };
}

/** A consumer key and secret as pasted: trimmed, checked for shape, and swapped back if swapped. */
export function checkKeyPair(keyInput: string, secretInput: string): Checked<{ consumerKey: string; consumerSecret: string }> {
  let key = keyInput.trim();
  let secret = secretInput.trim();
  const notes: string[] = [];
  if (key !== keyInput || secret !== secretInput) notes.push('spaces or line breaks around the pasted values were removed (a trailing newline makes WooCommerce answer "Consumer secret is invalid.")');
  if (SECRET.test(key) && KEY.test(secret)) {
    [key, secret] = [secret, key];
    notes.push('the key and the secret were swapped, and have been put back in their places');
  }
  if (!KEY.test(key)) return { error: describeBadShape(key, 'consumer key', 'ck_') };
  if (!SECRET.test(secret)) return { error: describeBadShape(secret, 'consumer secret', 'cs_') };
  return { value: { consumerKey: key, consumerSecret: secret }, note: notes.length ? `${capitalize(notes.join('; '))}.` : undefined };
}

function describeBadShape(value: string, what: string, prefix: string): string {
  if (value === '') return `Enter the ${what} (${prefix} followed by 40 hexadecimal characters), from WooCommerce > Settings > Advanced > REST API.`;
  if (!value.startsWith(prefix)) {
    const other = prefix === 'ck_' ? 'cs_' : 'ck_';
    if (value.startsWith(other)) return `That is a ${other === 'cs_' ? 'consumer secret' : 'consumer key'} (it starts with ${other}); the ${what} starts with ${prefix}.`;
    return `A WooCommerce ${what} starts with ${prefix}; this one starts with "${value.slice(0, 3)}". Copy it from WooCommerce > Settings > Advanced > REST API.`;
  }
  const rest = value.slice(3);
  if (rest.length !== 40) return `A ${what} is ${prefix} followed by 40 characters; this one has ${rest.length}. Was part of it cut off when copying?`;
  return `A ${what} is ${prefix} followed by 40 hexadecimal characters (0-9, a-f); this one has others.`;
}

/** A WordPress application password: 24 letters and digits, shown by WordPress in groups of 4. */
export function checkApplicationPassword(input: string): Checked<string> {
  const compact = input.replace(/\s+/g, '');
  if (compact === '') return { error: 'Enter the application password WordPress showed (Users > Profile > Application Passwords).' };
  if (!/^[A-Za-z0-9]{24}$/.test(compact)) {
    return { error: `An application password is 24 letters and digits (WordPress shows it in groups of 4); this has ${compact.length} characters${/[^A-Za-z0-9]/.test(compact) ? ' and symbols' : ''}. Your login password does not work here.` };
  }
  return { value: input.trim(), note: compact !== input.trim() ? undefined : undefined };
}

/** What `/wp-json/` tells about a site. */
export interface StoreIndex {
  /** The URL that answered (after redirects). */
  indexUrl: string;
  name?: string;
  /** WordPress's Home URL: OAuth base strings are built on it. */
  home?: string;
  url?: string;
  namespaces: string[];
  hasWooCommerce: boolean;
  /** WooCommerce's REST API v3 is there. */
  hasWcV3: boolean;
  /** `wp-admin/authorize-application.php` when application passwords are available. */
  applicationPasswordsUrl?: string;
}

export interface Discovery {
  index?: StoreIndex;
  /** Why the address is not (yet) usable, as a sentence. */
  problem?: string;
  /** Worth knowing, not blocking: "the site redirects to https://www…". */
  notes: string[];
  exchange?: Exchange;
}

type Sender = (req: OutgoingRequest, options?: SendOptions) => Promise<Exchange>;

/**
 * Reads `/wp-json/` of the store at `baseUrl` to confirm it is WordPress with WooCommerce, and
 * finds its Home URL, whether it speaks HTTPS and whether application passwords are available.
 */
export async function discoverStore(baseUrl: string, sendFn: Sender, options: SendOptions = {}): Promise<Discovery> {
  const notes: string[] = [];
  const ex = await sendFn({ method: 'GET', url: `${baseUrl}/wp-json/`, headers: [['Accept', 'application/json']] }, { ...options, maxResponseBytes: 5 * 1024 * 1024 });
  if (!ex.response) return { problem: ex.error?.message ?? 'The store did not answer.', notes, exchange: ex };
  const res = ex.response;
  for (const hop of ex.redirects) {
    notes.push(`${hop.request.url} redirects (${hop.status}) to ${hop.location}. Register the store with the address it redirects to, or requests will lose their credentials or OAuth signatures on the way.`);
  }
  const type = res.contentType ?? '';
  const body = Buffer.from(res.body).toString('utf8');
  if (res.status >= 400) {
    return { problem: `${baseUrl}/wp-json/ answered ${res.status} ${res.statusText}. ${res.status === 404 ? 'Either this is not a WordPress site, the REST API is disabled, or the site is in a sub-folder you did not include in the address.' : 'A security plugin or the server may block the REST API.'}`, notes, exchange: ex };
  }
  if (!/json/i.test(type)) {
    const link = headerValue(res.headers, 'link') ?? '';
    const restRoute = /rest_route=/.test(link);
    return {
      problem: restRoute
        ? `${baseUrl}/wp-json/ answered with an HTML page: the site uses plain permalinks, so /wp-json/ does not reach the REST API and WooCommerce keys are not accepted. Set Settings > Permalinks to anything but "Plain" in WordPress.`
        : `${baseUrl}/wp-json/ answered with ${type || 'something that is not JSON'}, not the REST API index. Check the address (is WordPress in a sub-folder?), or a plugin that disables the REST API.`,
      notes, exchange: ex,
    };
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { problem: `${baseUrl}/wp-json/ says it is JSON but does not parse as JSON. A plugin may print output before the REST API answers.`, notes, exchange: ex };
  }
  const namespaces = Array.isArray(json.namespaces) ? json.namespaces.filter((n): n is string => typeof n === 'string') : [];
  const auth = json.authentication as Record<string, { endpoints?: { authorization?: string } }> | undefined;
  const index: StoreIndex = {
    indexUrl: ex.request.url,
    name: typeof json.name === 'string' ? json.name : undefined,
    home: typeof json.home === 'string' ? json.home : undefined,
    url: typeof json.url === 'string' ? json.url : undefined,
    namespaces,
    hasWooCommerce: namespaces.some((n) => n.startsWith('wc/')),
    hasWcV3: namespaces.includes('wc/v3'),
    applicationPasswordsUrl: auth?.['application-passwords']?.endpoints?.authorization,
  };
  if (!index.hasWooCommerce) {
    return { index, problem: `${index.name ?? baseUrl} is WordPress, but WooCommerce's REST API is not there (no wc/ namespace in /wp-json/). Is WooCommerce active on this site?`, notes, exchange: ex };
  }
  if (!index.hasWcV3) notes.push('WooCommerce here has no wc/v3 API; it may be very old. Requests use the namespaces it lists.');
  if (index.home && stripSlash(index.home) !== stripSlash(baseUrl)) {
    notes.push(`WordPress's Home URL is ${index.home}, not ${baseUrl}. OAuth 1.0a signatures are built on the Home URL, so the store remembers it.`);
  }
  return { index, notes, exchange: ex };
}

function stripSlash(u: string): string {
  return trimTrailingSlashes(u);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A store id from a name: stable, readable, unique among `taken`. */
export function storeIdFor(name: string, taken: readonly string[]): string {
  const base = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '') || 'store';
  let id = base;
  for (let i = 2; taken.includes(id); i++) id = `${base}-${i}`;
  return id;
}

export interface ConnectionTest {
  ok: boolean;
  /** One sentence: "200 OK in 55 ms: 32 products readable." or what went wrong. */
  message: string;
  exchange?: Exchange;
}

/**
 * A read-only request with the store's credentials: `GET /wp-json/wc/v3/products?per_page=1`.
 * It changes nothing and needs only read permission.
 */
export async function testStoreConnection(
  store: Store,
  secrets: StoreSecrets | undefined,
  sendFn: Sender,
  options: SendOptions = {},
): Promise<ConnectionTest> {
  const prefix = store.options?.restPrefix ?? 'wp-json';
  const version = store.options?.apiVersion ?? 'wc/v3';
  let applied;
  try {
    applied = applyStoreAuth({ method: 'GET', url: `${store.baseUrl}/${prefix}/${version}/products?per_page=1`, headers: [['Accept', 'application/json']] }, store, secrets);
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const ex = await sendFn(applied.request, { userAgent: store.options?.userAgent, ...options, secrets: applied.secrets });
  if (!ex.response) return { ok: false, message: ex.error?.message ?? 'The store did not answer.', exchange: ex };
  const res = ex.response;
  const ms = Math.round(ex.timings.total);
  if (res.status === 200 && /json/i.test(res.contentType ?? '')) {
    const total = headerValue(res.headers, 'x-wp-total');
    return { ok: true, message: `${res.status} ${res.statusText} in ${ms} ms${total ? `: ${total} product${total === '1' ? '' : 's'} readable` : ''}.`, exchange: ex };
  }
  let detail = '';
  try {
    const body = JSON.parse(Buffer.from(res.body).toString('utf8')) as { code?: string; message?: string };
    if (body.code) detail = ` ${body.code}: "${body.message ?? ''}"`;
  } catch {
    detail = /html/i.test(res.contentType ?? '') ? ' (an HTML page, not the API)' : '';
  }
  return { ok: false, message: `${res.status} ${res.statusText}${detail} in ${ms} ms.`, exchange: ex };
}

/** Which answer of Add Store a failed test points at. */
export type StoreAnswer = 'address' | 'credentials' | 'method';

/** Causes that a change of auth method repairs (the keys themselves are fine). */
const METHOD_CAUSES = new Set(['keys-over-http', 'app-password-over-http', 'header-stripped', 'https-terminated-at-proxy', 'oauth-signature-mismatch', 'oauth-timestamp-skew', 'bearer-not-supported']);

/**
 * A connection test in the explainer's words: the real cause among those WooCommerce's one answer
 * leaves open, with its first fix (instead of WooCommerce's raw sentence), the explanation and
 * evidence as detail, and which answer of Add Store is most likely at fault.
 */
export function explainConnectionTest(store: Store, test: ConnectionTest): ConnectionTest & { detail?: string; fault?: StoreAnswer } {
  if (test.ok) return test;
  const ex = test.exchange;
  // Not sent: the credentials were missing, or would have gone in clear text (another method fixes that).
  if (!ex) return { ...test, fault: /clear text/i.test(test.message) ? 'method' : 'credentials' };
  if (!ex.response) return { ...test, fault: 'address' };
  const status = ex.response.status;
  const finding = explainExchange({ exchange: ex, store, authMethod: store.authMethod })[0];
  const fault: StoreAnswer = status !== 401 && status !== 403 ? 'address' : finding && METHOD_CAUSES.has(finding.cause) ? 'method' : 'credentials';
  if (!finding) return { ...test, fault };
  const fix = finding.fixes[0]?.title;
  return { ...test, message: `${finding.title} (${status}).${fix ? ` Try: ${fix}.` : ''}`, detail: [finding.explanation, ...finding.evidence].join('\n'), fault };
}
