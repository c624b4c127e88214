// The cause catalogue: every way a WooCommerce request fails to authenticate (or quietly fails to
// reach the API) that this extension can explain. One entry per cause: a short title, an
// explanation for a developer who has never read WooCommerce's source, and the fixes that repair
// it, as descriptors with stable ids the editor turns into quick fixes and commands.
//
// The facts behind every sentence are in docs/woocommerce-auth-facts.md (what a real WooCommerce
// 8.2.2 store answered: it wins; and sections C.1-C.10, read from the PHP source). The
// evidence for one particular exchange is not here: explain.ts and probes.ts gather it.
//
// Pure: no `vscode`, no I/O.

import { TOKEN_FIX_IDS, tokenCauses, type TokenCauseId, type TokenFixPayloads } from './token-causes';
import { trimTrailingSlashes, withoutQueryOrFragment } from '../url-text';

export type CauseId =
  | TokenCauseId
  | 'no-credentials'
  | 'keys-over-http'
  | 'app-password-over-http'
  | 'header-stripped'
  | 'https-terminated-at-proxy'
  | 'unknown-consumer-key'
  | 'wrong-consumer-secret'
  | 'read-only-key'
  | 'write-only-key'
  | 'user-lacks-capability'
  | 'wrong-app-password'
  | 'oauth-signature-mismatch'
  | 'oauth-timestamp-skew'
  | 'oauth-nonce-reused'
  | 'oauth-unsupported-method'
  | 'oauth-missing-parameters'
  | 'keys-on-rest-route'
  | 'keys-on-wp-route'
  | 'plain-permalinks'
  | 'wrong-api-path'
  | 'legacy-api'
  | 'security-plugin'
  | 'firewall'
  | 'http-to-https-port'
  | 'redirect-dropped-credentials'
  | 'stale-cookies'
  | 'bearer-expired'
  | 'bearer-not-supported'
  | 'html-instead-of-json'
  | 'redirect-on-api-path';

// ---------------------------------------------------------------------------------------------
// Fixes

/** What each fix carries besides its id, title and preferred flag (token fixes: token-causes.ts). */
export interface FixPayloads extends TokenFixPayloads {
  /** Change the store's auth method to OAuth 1.0a (signs instead of sending the secret; works over HTTP). */
  'switch-to-oauth1': Record<never, never>;
  /**
   * Change the store's auth method to consumer key and secret in the query string (HTTPS). The
   * secret then ends up in the server's access logs: the editor asks before doing it.
   */
  'switch-to-query-auth': Record<never, never>;
  /** Change the store's auth method to consumer key and secret in an Authorization: Basic header (HTTPS). */
  'switch-to-basic-auth': Record<never, never>;
  /** Change http:// to https:// in the file or the store; `url`: the store's HTTPS base (origin and path), when known. */
  'use-https': { url?: string };
  /**
   * Send to the site's Home URL instead. `url`: from explainExchange, the request rewritten onto the
   * Home URL (credentials left out of the query); from the doctor, the store's new base URL.
   */
  'use-home-url': { url: string; homeUrl?: string };
  /** Keep the request URL, but sign OAuth base strings for the Home URL (store option homeUrl = `url`). */
  'sign-with-home-url': { url: string };
  /** Open the store's credential input (consumer key and secret, or token) to enter them again. */
  're-enter-keys': Record<never, never>;
  /** Open the store's credential input to enter the user name and application password again. */
  're-enter-app-password': Record<never, never>;
  /** Open WooCommerce > Settings > Advanced > REST API of the store. */
  'open-keys-page': { url: string };
  /** Open Settings > Permalinks of the store. */
  'open-permalink-settings': { url: string };
  /** Open Users of the store (to check or change a role). */
  'open-users-page': { url: string };
  /** Replace `?rest_route=` by the `/wp-json/` form of the same route. */
  'use-wp-json-path': { url: string };
  /** Rewrite the request to a working API URL (version, prefix, trailing slash, legacy path). */
  'fix-api-path': { url: string };
  /** Copy the Apache snippet that passes the Authorization header on to PHP. */
  'copy-htaccess-snippet': { snippet: string; where: string };
  /** Copy the nginx snippet that passes the Authorization header on to PHP-FPM. */
  'copy-nginx-snippet': { snippet: string; where: string };
  /** Copy the wp-config.php snippet that makes WordPress see HTTPS behind a TLS-terminating proxy. */
  'copy-proxy-https-snippet': { snippet: string; where: string };
  /** Copy the proxy lines (nginx, Apache, others) that send X-Forwarded-Proto to WordPress. */
  'copy-proxy-forwarded-proto-snippet': { snippet: string; where: string };
  /** Copy what to allow-list in the security plugin or firewall, per common plugin and WAF, in plain words. */
  'copy-allowlist-steps': { snippet: string; where: string };
  /**
   * Re-send with a fresh nonce and timestamp. `clockOffsetSeconds` (server minus this machine),
   * when measured, is what to add to the local clock so the timestamp falls in the server's window.
   */
  'resync-and-resend': { clockOffsetSeconds?: number };
  /** Sign with HMAC-SHA256 (the store's oauthSignatureMethod option). */
  'switch-signature-method': { signatureMethod: 'HMAC-SHA256' | 'HMAC-SHA1' };
  /** Empty the cookie jar for this store. */
  'clear-cookies': Record<never, never>;
  /** Run "WooCommerce: Diagnose Store Authentication", which tells apart causes one answer cannot. */
  'run-doctor': Record<never, never>;
  /** Use a WordPress application password (auth method app-password) instead of WooCommerce keys. */
  'use-app-password': Record<never, never>;
  /** Delete the request's own Authorization header, so that the store's credentials are applied. */
  'remove-own-authorization': Record<never, never>;
}

export type FixId = keyof FixPayloads;

/** A fix descriptor: `id` says what the editor does, `title` is the button / quick-fix label. */
export type Fix = { [K in FixId]: { id: K; title: string; preferred?: boolean } & FixPayloads[K] }[FixId];

export const FIX_IDS: readonly FixId[] = [
  'switch-to-oauth1', 'switch-to-query-auth', 'switch-to-basic-auth', 'copy-proxy-forwarded-proto-snippet', 'copy-allowlist-steps', 'use-https', 'use-home-url', 'sign-with-home-url', 're-enter-keys',
  're-enter-app-password', 'open-keys-page', 'open-permalink-settings', 'open-users-page', 'use-wp-json-path', 'fix-api-path',
  'copy-htaccess-snippet', 'copy-nginx-snippet', 'copy-proxy-https-snippet', 'resync-and-resend', 'switch-signature-method',
  'clear-cookies', 'run-doctor', 'use-app-password', 'remove-own-authorization', ...TOKEN_FIX_IDS,
];

export const HTACCESS_SNIPPET = [
  '# Pass the Authorization header on to PHP (WooCommerce keys and application passwords need it).',
  '<IfModule mod_rewrite.c>',
  'RewriteEngine On',
  'RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]',
  '</IfModule>',
  '<IfModule mod_setenvif.c>',
  'SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1',
  '</IfModule>',
].join('\n');
export const HTACCESS_WHERE = 'the .htaccess file in the WordPress root folder, above the "# BEGIN WordPress" line (Apache; on PHP-FPM with Apache 2.4.13+ "CGIPassAuth On" in the vhost does the same)';

export const NGINX_SNIPPET = 'fastcgi_param HTTP_AUTHORIZATION $http_authorization;';
export const NGINX_WHERE = 'the nginx "location ~ \\.php$" block that passes requests to PHP-FPM, next to the other fastcgi_param lines; then reload nginx';

export const PROXY_HTTPS_SNIPPET = [
  '// HTTPS ends at a proxy or load balancer: tell WordPress the visitor used HTTPS.',
  "if ( isset( $_SERVER['HTTP_X_FORWARDED_PROTO'] ) && 'https' === $_SERVER['HTTP_X_FORWARDED_PROTO'] ) {",
  "\t$_SERVER['HTTPS'] = 'on';",
  '}',
].join('\n');
export const PROXY_HTTPS_WHERE = 'wp-config.php, above the line "/* That\'s all, stop editing! */"; only when the proxy in front of the site sets X-Forwarded-Proto itself (otherwise anyone could claim HTTPS)';

export const PROXY_FORWARDED_PROTO_SNIPPET = [
  '# nginx, in the server block that proxies to WordPress (then reload nginx):',
  'proxy_set_header X-Forwarded-Proto $scheme;',
  '',
  '# Apache as the proxy (mod_headers), in the <VirtualHost *:443>:',
  'RequestHeader set X-Forwarded-Proto "https"',
  '',
  '# HAProxy, in the frontend that ends TLS:',
  'http-request set-header X-Forwarded-Proto https if { ssl_fc }',
  '',
  '# Caddy, Traefik, Cloudflare and most load balancers (AWS ALB, Google) send it by default;',
  '# check that nothing in between removes it.',
].join('\n');
export const PROXY_FORWARDED_PROTO_WHERE = "the proxy, CDN or load balancer that ends HTTPS in front of WordPress (set it there, overwriting what a client sends); WordPress's wp-config.php lines then see it";

export const SECURITY_PLUGIN_STEPS = [
  'A security plugin refuses REST API requests it does not consider logged in. Either make the credentials work (the plugin lets authenticated requests through), or allow the WooCommerce routes:',
  '- Disable REST API (plugin): Settings > Disable REST API: tick the "wc/v3" routes (or the whole wc/v3 namespace) for unauthenticated users.',
  '- Solid Security / iThemes Security: Security > Settings > Advanced > WordPress Tweaks > REST API: "Default Access" instead of "Restricted Access".',
  '- All In One WP Security: Firewall > "Disallow unauthorized REST requests": off, or add the WooCommerce routes to its allowed list.',
  '- Wordfence: Firewall > All Firewall Options > Allowlisted URLs: add /wp-json/wc/ (and check "Prevent discovery of usernames through the REST API" is not the rule that blocks).',
  '- Other plugins ("WP Hide", "Perfmatters", "Clearfy"): look for a "disable REST API" or "REST API for logged-in users only" switch.',
].join('\n');
export const FIREWALL_STEPS = [
  'A firewall in front of WordPress answered before WordPress ran. Allow the API, or the way the key travels:',
  '- ModSecurity (cPanel, Plesk, many hosts): find the rule id in the server error log (or ask the host) and turn it off for /wp-json/wc/ (SecRuleRemoveById, or the host panel\'s ModSecurity switch for the domain).',
  '- Cloudflare: Security > WAF > Custom rules: a "Skip" rule for URI Path starts with /wp-json/wc/ (and for your client\'s IP address or User-Agent); Security > Bots: allow API clients.',
  '- Sucuri: Firewall > Access Control > Allowlist URL Paths: /wp-json/wc/.',
  '- Wordfence (in WordPress): Firewall > All Firewall Options > Allowlisted URLs, or Allowlisted IP addresses.',
  '- Rules that refuse a consumer_secret in the query string are right to: send the key with Basic auth (HTTPS) or OAuth 1.0a instead.',
  '- Rules that refuse requests without a User-Agent: this client sends woo-api-studio/<version>; a store can set its own (store option userAgent).',
].join('\n');
export const ALLOWLIST_WHERE = 'your notes for the site (the steps are for the plugin or firewall settings, or for your host)';

/** What a cause's fixes may refer to; fixes that need something missing are left out. */
export interface FixContext {
  /** The request's URL (masked copy is fine): the base for rewrites. */
  requestUrl?: string;
  /** The site's Home URL (from /wp-json/ `home`, the api.w.org Link header, or the store's homeUrl option). */
  homeUrl?: string;
  /** Where wp-admin lives (/wp-json/ `url`, else the Home URL, else the store URL). */
  adminBaseUrl?: string;
  /** The store's HTTPS address, when known to work. */
  httpsUrl?: string;
  /** A rewritten URL for url-shaped fixes (use-home-url, use-wp-json-path, fix-api-path). */
  suggestedUrl?: string;
  /** Server clock minus this machine's clock, in seconds, when measured. */
  clockOffsetSeconds?: number;
  /** The auth method that was applied. */
  authMethod?: string;
  /** The store is known to serve HTTPS. */
  httpsAvailable?: boolean;
  /** The site is known to be on plain permalinks (`/wp-json/` does not reach the API). */
  plainPermalinks?: boolean;
  /** The store has credentials and the request was sent without them on purpose. */
  noCredentialsOnPurpose?: boolean;
  /**
   * The way of sending the key to switch to: the one the doctor saw pass where the store's did not,
   * or the usual remedy (Basic for a firewall that refuses consumer_secret in query strings).
   */
  switchTo?: 'wc-basic' | 'wc-oauth1' | 'wc-query';
  /** A probe showed the proxy in front of WordPress does not send X-Forwarded-Proto. */
  forwardedProtoMissing?: boolean;
}

export interface Cause {
  id: CauseId;
  title: string;
  explanation: string;
  /** The fixes for this cause in this context, the preferred one marked (and first). */
  fixes(ctx: FixContext): Fix[];
}

// Small builders, so every title is spelled once.
const f = {
  oauth1: (preferred?: boolean): Fix => ({ id: 'switch-to-oauth1', title: 'Switch the store to OAuth 1.0a', preferred }),
  query: (preferred?: boolean): Fix => ({ id: 'switch-to-query-auth', title: "Send the key in the query string instead (the secret then shows in the server's logs)", preferred }),
  basic: (preferred?: boolean): Fix => ({ id: 'switch-to-basic-auth', title: 'Send the key in an Authorization: Basic header instead', preferred }),
  transport: (method: 'wc-basic' | 'wc-oauth1' | 'wc-query', preferred?: boolean): Fix => (method === 'wc-basic' ? f.basic(preferred) : method === 'wc-oauth1' ? f.oauth1(preferred) : f.query(preferred)),
  proxyHeader: (preferred?: boolean): Fix => ({ id: 'copy-proxy-forwarded-proto-snippet', title: 'Copy the proxy fix: send X-Forwarded-Proto', snippet: PROXY_FORWARDED_PROTO_SNIPPET, where: PROXY_FORWARDED_PROTO_WHERE, preferred }),
  pluginSteps: (preferred?: boolean): Fix => ({ id: 'copy-allowlist-steps', title: 'Copy what to change in common security plugins', snippet: SECURITY_PLUGIN_STEPS, where: ALLOWLIST_WHERE, preferred }),
  firewallSteps: (preferred?: boolean): Fix => ({ id: 'copy-allowlist-steps', title: 'Copy what to allow-list in common firewalls', snippet: FIREWALL_STEPS, where: ALLOWLIST_WHERE, preferred }),
  https: (url: string | undefined, preferred?: boolean): Fix => ({ id: 'use-https', title: url ? `Use ${url}` : 'Use https:// instead of http://', url, preferred }),
  home: (url: string, homeUrl: string | undefined, preferred?: boolean): Fix => ({ id: 'use-home-url', title: `Send to the Home URL: ${shortUrl(url)}`, url, homeUrl, preferred }),
  signHome: (url: string, preferred?: boolean): Fix => ({ id: 'sign-with-home-url', title: `Sign for the Home URL ${url}`, url, preferred }),
  keys: (preferred?: boolean): Fix => ({ id: 're-enter-keys', title: 'Re-enter the consumer key and secret', preferred }),
  appPassword: (preferred?: boolean): Fix => ({ id: 're-enter-app-password', title: 'Re-enter the user name and application password', preferred }),
  keysPage: (base: string, preferred?: boolean): Fix => ({ id: 'open-keys-page', title: "Open the store's REST API keys page", url: keysPageUrl(base), preferred }),
  permalinks: (base: string, preferred?: boolean): Fix => ({ id: 'open-permalink-settings', title: "Open the store's permalink settings", url: adminUrl(base, 'options-permalink.php'), preferred }),
  users: (base: string, preferred?: boolean): Fix => ({ id: 'open-users-page', title: "Open the store's users (roles)", url: adminUrl(base, 'users.php'), preferred }),
  wpJson: (url: string, preferred?: boolean): Fix => ({ id: 'use-wp-json-path', title: 'Use the /wp-json/ URL instead of ?rest_route=', url, preferred }),
  apiPath: (url: string, preferred?: boolean): Fix => ({ id: 'fix-api-path', title: `Use ${shortUrl(url)}`, url, preferred }),
  htaccess: (preferred?: boolean): Fix => ({ id: 'copy-htaccess-snippet', title: 'Copy the .htaccess fix (Apache)', snippet: HTACCESS_SNIPPET, where: HTACCESS_WHERE, preferred }),
  nginx: (): Fix => ({ id: 'copy-nginx-snippet', title: 'Copy the nginx fix', snippet: NGINX_SNIPPET, where: NGINX_WHERE }),
  proxy: (preferred?: boolean): Fix => ({ id: 'copy-proxy-https-snippet', title: 'Copy the wp-config.php fix for HTTPS behind a proxy', snippet: PROXY_HTTPS_SNIPPET, where: PROXY_HTTPS_WHERE, preferred }),
  resync: (offset: number | undefined, preferred?: boolean): Fix => ({
    id: 'resync-and-resend',
    title: offset !== undefined && Math.abs(offset) >= 60 ? "Re-send with a fresh nonce, timed by the server's clock" : 'Re-send with a fresh timestamp and nonce',
    clockOffsetSeconds: offset,
    preferred,
  }),
  sha256: (preferred?: boolean): Fix => ({ id: 'switch-signature-method', title: 'Sign with HMAC-SHA256', signatureMethod: 'HMAC-SHA256', preferred }),
  cookies: (preferred?: boolean): Fix => ({ id: 'clear-cookies', title: 'Clear the cookie jar', preferred }),
  doctor: (): Fix => ({ id: 'run-doctor', title: 'Diagnose store authentication' }),
  useAppPassword: (preferred?: boolean): Fix => ({ id: 'use-app-password', title: 'Use an application password instead', preferred }),
  removeOwnAuthorization: (preferred?: boolean): Fix => ({ id: 'remove-own-authorization', title: "Drop the request's own Authorization header (send with the store's credentials)", preferred }),
};

/**
 * Fixes that change the store's credentials or how they are applied: nothing they do reaches a
 * request that carries its own Authorization header (the store's credentials are not applied to it).
 */
export const STORE_CREDENTIAL_FIXES: ReadonlySet<FixId> = new Set<FixId>([
  'switch-to-oauth1', 'switch-to-query-auth', 'switch-to-basic-auth', 'switch-signature-method', 'sign-with-home-url', 're-enter-keys',
  're-enter-app-password', 'resync-and-resend', 'use-app-password', 'renew-token', 'sign-in-again',
]);

/** The REST API keys page of a store: HOME/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keys. */
export function keysPageUrl(base: string): string {
  return adminUrl(base, 'admin.php?page=wc-settings&tab=advanced&section=keys');
}

function adminUrl(base: string, page: string): string {
  return `${trimTrailingSlashes(withoutQueryOrFragment(base))}/wp-admin/${page}`;
}

function shortUrl(url: string): string {
  return withoutQueryOrFragment(url);
}

/** Marks the first fix preferred unless one already is, and drops undefined entries. */
function ordered(fixes: (Fix | undefined | false | "")[]): Fix[] {
  const list = fixes.filter((x): x is Fix => !!x);
  const seen = new Set<string>();
  const unique = list.filter((x) => (seen.has(x.id) ? false : (seen.add(x.id), true)));
  const preferred = unique.find((x) => x.preferred);
  for (const x of unique) x.preferred = x === (preferred ?? unique[0]) ? true : undefined;
  // The preferred fix first: quick-fix menus list them in this order.
  return unique.sort((a, b) => Number(!!b.preferred) - Number(!!a.preferred));
}

const admin = (ctx: FixContext): string | undefined => ctx.adminBaseUrl ?? ctx.homeUrl ?? originOf(ctx.requestUrl);

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The catalogue

const entries: Cause[] = [
  {
    id: 'no-credentials',
    title: 'No credentials were sent',
    explanation:
      'The request carried no Authorization header, no consumer_key/consumer_secret and no oauth_* parameters, so WordPress had no user to run it as. ' +
      'WooCommerce then answers 401 woocommerce_rest_cannot_view ("Sorry, you cannot list resources."), the same answer it gives for many other mistakes. ' +
      "Every WooCommerce endpoint except the route indexes needs credentials: a consumer key and secret from WooCommerce > Settings > Advanced > REST API, or a WordPress application password.",
    // suggestedUrl: the request moved onto the store's own address, when it went to another host
    // (the store's credentials go to the store's host only): then the keys are not the problem.
    // noCredentialsOnPurpose: `# @no-auth` or the panel's "No credentials": nothing to repair.
    fixes: (ctx) => ctx.noCredentialsOnPurpose ? [] : ctx.suggestedUrl
      ? ordered([f.apiPath(ctx.suggestedUrl, true)])
      : ctx.authMethod === 'jwt' || ctx.authMethod === 'oauth2'
        ? ordered([{ id: 'sign-in-again', title: 'Sign in again', preferred: true }])
        : ordered([f.keys(true), ctx.httpsAvailable === false ? f.oauth1() : undefined, admin(ctx) && f.keysPage(admin(ctx)!)]),
  },
  {
    id: 'keys-over-http',
    title: 'Keys sent over plain HTTP are ignored',
    explanation:
      'WooCommerce reads a consumer key and secret from an Authorization: Basic header or from the consumer_key/consumer_secret query parameters only when the request arrives over HTTPS. ' +
      'Over plain HTTP it skips them without an error, finds no user, and answers 401 woocommerce_rest_cannot_view, even when the key is perfectly valid. ' +
      'Over HTTP the only way WooCommerce accepts a key is an OAuth 1.0a signature, which proves the secret without sending it.',
    fixes: (ctx) => ordered([f.https(ctx.httpsUrl, ctx.httpsAvailable === true), ctx.authMethod !== 'wc-oauth1' && f.oauth1(ctx.httpsAvailable !== true)]),
  },
  {
    id: 'app-password-over-http',
    title: 'Application password sent over plain HTTP is ignored',
    explanation:
      'WordPress only accepts application passwords on sites it serves over HTTPS (or whose environment type is "local"). ' +
      'Over plain HTTP it ignores the Basic credentials without a word, so WooCommerce sees nobody logged in and answers 401 woocommerce_rest_cannot_view. ' +
      'Use https://, or WooCommerce consumer keys signed with OAuth 1.0a, which work over HTTP.',
    fixes: (ctx) => ordered([f.https(ctx.httpsUrl, true), f.oauth1()]),
  },
  {
    id: 'header-stripped',
    title: 'The server strips the Authorization header',
    explanation:
      'Some server setups (Apache with PHP as CGI/FastCGI/PHP-FPM, some nginx configurations, some hosts) do not pass the Authorization header on to PHP. ' +
      'WordPress and WooCommerce then never see the Basic credentials (or an OAuth header) and answer 401 woocommerce_rest_cannot_view as if none were sent. ' +
      'Credentials in the query string are not affected: OAuth 1.0a parameters in the query work at once (they prove the secret without sending it), and one line in the server configuration fixes it for good. ' +
      'The key pair as consumer_key/consumer_secret in the query string works too, but then the secret is written into the server\'s access logs.',
    fixes: (ctx) => {
      // Keys have ways around a stripped header (OAuth 1.0a in the query, or the query string); a password or a token has none.
      const keys = !['app-password', 'bearer', 'jwt', 'oauth2'].includes(ctx.authMethod ?? '');
      return ordered([
        keys && ctx.authMethod !== 'wc-oauth1' ? f.oauth1(true) : undefined,
        f.htaccess(!keys || ctx.authMethod === 'wc-oauth1'),
        f.nginx(),
        keys && ctx.authMethod !== 'wc-query' ? f.query() : undefined,
      ]);
    },
  },
  {
    id: 'https-terminated-at-proxy',
    title: 'HTTPS ends at a proxy: WordPress thinks the request is HTTP',
    explanation:
      'The site is reached over https://, but a proxy, CDN or load balancer in front of it decrypts the request and talks plain HTTP to WordPress, so WordPress\'s is_ssl() is false. ' +
      'WooCommerce then treats the request as plain HTTP: it ignores keys sent with Basic auth or in the query string, WordPress ignores application passwords, and an OAuth signature made for https:// does not match the http:// base string the server builds. ' +
      'The server needs to be told about the HTTPS: the proxy sends X-Forwarded-Proto: https, and a few lines in wp-config.php turn it into is_ssl(). Both halves are needed; when the proxy does not send the header, the wp-config.php lines change nothing. ' +
      'Until then OAuth 1.0a signed for the http:// Home URL works.',
    fixes: (ctx) => ordered(ctx.forwardedProtoMissing
      ? [f.proxyHeader(true), f.proxy(), f.oauth1(), ctx.homeUrl ? f.signHome(ctx.homeUrl) : undefined]
      : [f.proxy(true), f.proxyHeader(), f.oauth1(), ctx.homeUrl ? f.signHome(ctx.homeUrl) : undefined]),
  },
  {
    id: 'unknown-consumer-key',
    title: 'The store does not know this consumer key',
    explanation:
      'WooCommerce looks the consumer key up in its table of API keys and did not find it: the key was revoked or regenerated, belongs to another store (staging vs production), its user was deleted, or it was mistyped. ' +
      'With Basic auth or query-string keys WooCommerce says nothing about the key (a plain 401 woocommerce_rest_cannot_view); only OAuth 1.0a answers "Consumer key is invalid.". ' +
      'Compare the last 7 characters of your key with the "Consumer key ending in" column of the store\'s REST API keys page.',
    fixes: (ctx) => ordered([f.keys(true), admin(ctx) && f.keysPage(admin(ctx)!)]),
  },
  {
    id: 'wrong-consumer-secret',
    title: 'The consumer secret does not match the key',
    explanation:
      'The consumer key exists, but the secret sent with it is not the one WooCommerce stored. ' +
      'Usual reasons: a space or line break pasted with the secret, the key and secret swapped (the key starts with ck_, the secret with cs_), or a secret of another key. ' +
      'WooCommerce shows a secret only once, when the key is created: if it is lost, generate a new key.',
    fixes: (ctx) => ordered([f.keys(true), admin(ctx) && f.keysPage(admin(ctx)!)]),
  },
  {
    id: 'read-only-key',
    title: 'The key is read-only',
    explanation:
      'The key authenticated, but its permission is "Read", and WooCommerce refuses every POST, PUT, PATCH and DELETE with it (401 "The API key provided does not have write permissions."; batch endpoints are POST too). ' +
      'A key\'s permission can be changed on the store\'s REST API keys page (or a new key generated with "Read/Write").',
    fixes: (ctx) => ordered([admin(ctx) && f.keysPage(admin(ctx)!, true), f.keys()]),
  },
  {
    id: 'write-only-key',
    title: 'The key is write-only',
    explanation:
      'The key authenticated, but its permission is "Write", and WooCommerce refuses GET and HEAD with it (401 "The API key provided does not have read permissions."). ' +
      'Change the key to "Read/Write" on the store\'s REST API keys page, or generate a new one.',
    fixes: (ctx) => ordered([admin(ctx) && f.keysPage(admin(ctx)!, true), f.keys()]),
  },
  {
    id: 'user-lacks-capability',
    title: 'The user behind the credentials lacks permission',
    explanation:
      'Authentication worked (a 403, not a 401, means WordPress knows who you are), but the WordPress user behind the key or application password does not have the capability this endpoint needs. ' +
      'A key acts as the user who created it, with that user\'s role: a Customer or Subscriber cannot list or edit products or orders. ' +
      'Use a key or application password of an Administrator or Shop Manager. A token acts as the user who signed in for it, with the same rules.',
    // A key's user is changed on the keys page; an application password's user, on the users page.
    fixes: (ctx) => ctx.authMethod === 'app-password'
      ? ordered([admin(ctx) && f.users(admin(ctx)!, true), f.appPassword()])
      : ctx.authMethod === 'jwt' || ctx.authMethod === 'oauth2' || ctx.authMethod === 'bearer'
        // A token acts as the user who signed in: another role, or signing in as another user.
        ? ordered([admin(ctx) && f.users(admin(ctx)!, true), { id: 'sign-in-again', title: 'Sign in again as another user' }])
        : ordered([admin(ctx) && f.keysPage(admin(ctx)!, true), admin(ctx) && f.users(admin(ctx)!), f.keys()]),
  },
  {
    id: 'wrong-app-password',
    title: 'The application password or user name was not accepted',
    explanation:
      'WordPress could not match the Basic credentials to a user and one of their application passwords: the user name is wrong, the password was revoked, or it is the user\'s login password (which the REST API never accepts). ' +
      'On a WooCommerce route the failure is silent (401 woocommerce_rest_cannot_view); on WordPress routes such as /wp-json/wp/v2/users/me it is named (invalid_username, incorrect_password). ' +
      'Application passwords are created under Users > Profile > Application Passwords; spaces in them do not matter.',
    fixes: (ctx) => ordered([f.appPassword(true), admin(ctx) && f.users(admin(ctx)!)]),
  },
  {
    id: 'oauth-signature-mismatch',
    title: "The OAuth signature does not match the server's",
    explanation:
      'WooCommerce recomputed the OAuth 1.0a signature and got another one. It does not sign the URL you sent: it signs its own Home URL (scheme from whether it thinks the request is HTTPS, host and port from the Home URL setting) plus the path, and every query parameter. ' +
      'So a request to 127.0.0.1 or example.com for a site whose Home URL is www.example.com, https:// signed where the server sees http:// (a proxy), a redirect after signing, signed form fields on PUT, or "+" vs "%20" in the query all break it. ' +
      'A wrong consumer secret gives the very same answer.',
    fixes: (ctx) => ordered([ctx.homeUrl ? f.signHome(ctx.homeUrl, true) : undefined, ctx.suggestedUrl ? f.home(ctx.suggestedUrl, ctx.homeUrl) : undefined, f.keys(), ctx.httpsAvailable ? f.query() : undefined]),
  },
  {
    id: 'oauth-timestamp-skew',
    title: 'The OAuth timestamp is outside the 15-minute window',
    explanation:
      'WooCommerce refuses an OAuth 1.0a request whose oauth_timestamp is more than 15 minutes away from the server\'s clock ("Invalid timestamp."). ' +
      'Either this machine\'s clock or the server\'s is wrong (compare with the Date header the server sends), or a signed request was saved and sent again later. ' +
      'The timestamp is checked only after the signature, so this error also proves the signature was right.',
    fixes: (ctx) => ordered([f.resync(ctx.clockOffsetSeconds, true)]),
  },
  {
    id: 'oauth-nonce-reused',
    title: 'The OAuth nonce was already used',
    explanation:
      'WooCommerce remembers every oauth_nonce of a key for 15 minutes and refuses a second request with the same one ("Invalid nonce - nonce has already been used."). ' +
      'This happens when a signed request is replayed as it was (copied from a log, re-sent from history) or when a client reuses nonces. Sign every request afresh.',
    fixes: (ctx) => ordered([f.resync(ctx.clockOffsetSeconds, true)]),
  },
  {
    id: 'oauth-unsupported-method',
    title: 'The OAuth signature method is not supported',
    explanation:
      'WooCommerce accepts only HMAC-SHA1 and HMAC-SHA256 signatures. PLAINTEXT, RSA-SHA1 and HMAC-SHA512 are refused with "Invalid signature - signature method is invalid.".',
    fixes: () => ordered([f.sha256(true)]),
  },
  {
    id: 'oauth-missing-parameters',
    title: 'OAuth parameters are missing',
    explanation:
      'Some but not all of the five OAuth 1.0a parameters arrived (oauth_consumer_key, oauth_timestamp, oauth_nonce, oauth_signature, oauth_signature_method; an empty value counts as missing). ' +
      'A hand-written request, a client bug, or a proxy or cache that drops query parameters can cause it. Let the store sign the request instead.',
    fixes: () => ordered([f.oauth1(true), f.resync(undefined)]),
  },
  {
    id: 'keys-on-rest-route',
    title: 'Consumer keys do not work on ?rest_route= URLs',
    explanation:
      'WooCommerce 8.2 and older only authenticate keys when the request path contains "wp-json/wc/", so on a "?rest_route=/wc/v3/…" URL the key (Basic, query string or OAuth) is never checked and the answer is 401 (woocommerce_rest_cannot_view, or invalid_username when Basic credentials go on to WordPress). ' +
      'Newer WooCommerce versions read rest_route too. Use the /wp-json/ form of the URL; on a site with plain permalinks, where only ?rest_route= reaches the API, use an application password or switch the site to pretty permalinks.',
    fixes: (ctx) => ordered([
      !ctx.plainPermalinks && ctx.suggestedUrl ? f.wpJson(ctx.suggestedUrl, true) : undefined,
      ctx.plainPermalinks && admin(ctx) ? f.permalinks(admin(ctx)!, true) : undefined,
      // WordPress ignores application passwords over plain HTTP.
      ctx.requestUrl?.startsWith('https:') ? f.useAppPassword() : undefined,
    ]),
  },
  {
    id: 'keys-on-wp-route',
    title: 'Consumer keys only work on WooCommerce routes',
    explanation:
      'WooCommerce authenticates its keys only on its own routes (/wp-json/wc/…). On WordPress routes such as /wp-json/wp/v2/… the key is handed to WordPress as a user name and refused (invalid_username), and newer WooCommerce versions refuse it explicitly ("The provided API key cannot be used to access this endpoint."). ' +
      'Use a WordPress application password for wp/v2 routes.',
    fixes: () => ordered([f.useAppPassword(true)]),
  },
  {
    id: 'plain-permalinks',
    title: 'The site uses plain permalinks: /wp-json/ is not the API',
    explanation:
      'With WordPress\'s "Plain" permalink setting, /wp-json/… is an ordinary page address: WordPress redirects it to add a trailing slash (301) and then serves the HTML front page with status 200. ' +
      'On such a site only "?rest_route=/wc/v3/…" reaches the API, and WooCommerce 8.2 and older do not accept keys there. ' +
      'Switch Settings > Permalinks to any other setting (WooCommerce requires it), or use an application password with ?rest_route= URLs.',
    fixes: (ctx) => ordered([admin(ctx) && f.permalinks(admin(ctx)!, true), f.useAppPassword()]),
  },
  {
    id: 'wrong-api-path',
    title: 'No API route at this URL',
    explanation:
      'The request reached the WordPress REST API, but no route matches the path and method (404 rest_no_route), or it did not reach the REST API at all. ' +
      'Check the namespace and version (/wp-json/wc/v3/ for WooCommerce), the REST prefix (some sites change "wp-json"), a sub-directory install (https://example.com/shop/wp-json/…), and that the method is one the route accepts.',
    fixes: (ctx) => ordered([ctx.suggestedUrl ? f.apiPath(ctx.suggestedUrl, true) : undefined]),
  },
  {
    id: 'legacy-api',
    title: 'The legacy /wc-api/ API is gone',
    explanation:
      'URLs like /wc-api/v3/… belong to WooCommerce\'s legacy REST API, removed from WooCommerce 9.0 into a separate plugin ("The WooCommerce API is disabled on this site"). Its errors are shaped {"errors":[…]}. ' +
      'The current API lives at /wp-json/wc/v3/… and takes the same keys.',
    fixes: (ctx) => ordered([ctx.suggestedUrl ? f.apiPath(ctx.suggestedUrl, true) : undefined]),
  },
  {
    id: 'security-plugin',
    title: 'A security plugin or firewall answered',
    explanation:
      'The answer does not come from WooCommerce: a security plugin that restricts the REST API (rest_cannot_access "Only authenticated users can access the REST API.", rest_not_authorized, rest_forbidden and the like), a web application firewall, a CDN, or a caching layer that strips query strings. ' +
      'Such a plugin lets a request through once WordPress knows who sent it, and answers in WooCommerce\'s place otherwise, so WooCommerce\'s own reason ("Consumer secret is invalid.", a stripped header…) is hidden. ' +
      'Either send the credentials a way that authenticates (the doctor tries Basic and OAuth 1.0a and says which passes), or allow /wp-json/wc/ in the plugin: in Disable REST API, tick the wc/v3 routes; in Solid Security, REST API "Default Access"; in All In One WP Security, turn off "Disallow unauthorized REST requests"; in Wordfence, allowlist the URL.',
    // With nothing passing, the plugin may be hiding "wrong key" too: re-entering the keys stays on the list.
    fixes: (ctx) => ordered([
      ctx.switchTo && ctx.switchTo !== ctx.authMethod ? f.transport(ctx.switchTo, true) : undefined,
      f.pluginSteps(),
      !ctx.switchTo && (ctx.authMethod === 'wc-basic' || ctx.authMethod === 'wc-query' || ctx.authMethod === 'wc-oauth1') ? f.keys() : undefined,
      f.doctor(),
    ]),
  },
  {
    id: 'firewall',
    title: 'A firewall in front of WordPress refused the request',
    explanation:
      'An HTML error page came back where WordPress would answer JSON: a web application firewall (ModSecurity on the host, Cloudflare, Sucuri, a hosting provider\'s rules) refused the request before WordPress ran. ' +
      'Common triggers: consumer_secret in the query string (rightly: it puts the secret in logs), a missing or unusual User-Agent, the request rate, or words in the body that look like an attack. ' +
      'Send the key another way (Basic auth over HTTPS, or OAuth 1.0a; the doctor tries them and says which passes), or allow /wp-json/wc/ in the firewall: in ModSecurity, turn the matching rule off for that path; in Cloudflare, a WAF "Skip" rule for URI paths starting with /wp-json/wc/; in Sucuri, allowlist the URL path.',
    fixes: (ctx) => ordered([ctx.switchTo && ctx.switchTo !== ctx.authMethod ? f.transport(ctx.switchTo, true) : undefined, f.firewallSteps(), f.doctor()]),
  },
  {
    id: 'http-to-https-port',
    title: 'Plain HTTP was sent to a port that speaks HTTPS',
    explanation:
      'The URL says http://, but the server on that port expects TLS: Apache answers 400 "You\'re speaking plain HTTP to an SSL-enabled server port", nginx "The plain HTTP request was sent to HTTPS port", and other TLS servers just close the connection. ' +
      'Nothing of the request reached WordPress. Use https:// with the same host and port.',
    // Without a known HTTPS base the editor switches the scheme in place: same host, same port.
    fixes: (ctx) => ordered([f.https(ctx.httpsUrl, true)]),
  },
  {
    id: 'redirect-dropped-credentials',
    title: 'A redirect dropped or invalidated the credentials',
    explanation:
      'The server answered the request with a redirect (http to https, example.com to www.example.com, a trailing slash). ' +
      'Clients, this one included, do not send the Authorization header or credentials in the query to another origin, and an OAuth signature covers the original URL only, so the redirected request arrives without valid credentials. A POST redirected with 301 or 302 also becomes a GET. ' +
      'Send the request to the final URL directly.',
    fixes: (ctx) => ordered([ctx.suggestedUrl ? f.home(ctx.suggestedUrl, ctx.homeUrl, true) : undefined, ctx.homeUrl && ctx.authMethod === 'wc-oauth1' ? f.signHome(ctx.homeUrl) : undefined]),
  },
  {
    id: 'stale-cookies',
    title: 'Stale WordPress login cookies',
    explanation:
      'The request carried WordPress login cookies. WordPress then insists on a valid X-WP-Nonce header and answers 403 rest_cookie_invalid_nonce ("Cookie nonce is invalid" / "Cookie check failed") when it is missing or stale, before your keys are even considered. ' +
      'API clients should not send browser login cookies: clear them.',
    fixes: () => ordered([f.cookies(true)]),
  },
  {
    id: 'bearer-expired',
    title: 'The bearer token expired or was rejected',
    explanation:
      'WooCommerce itself knows no bearer tokens; a JWT or OAuth 2.0 plugin on the store checks them, and it refused this one (expired, revoked, or signed with another secret). Get a new token from the plugin\'s token endpoint.',
    fixes: () => ordered([{ id: 're-enter-keys', title: 'Enter a new bearer token', preferred: true }]),
  },
  {
    id: 'bearer-not-supported',
    title: 'WooCommerce does not accept bearer tokens',
    explanation:
      'WooCommerce authenticates consumer keys (Basic over HTTPS, query string, OAuth 1.0a) and WordPress authenticates application passwords; an "Authorization: Bearer" header means nothing to either unless a JWT or OAuth 2.0 plugin is installed, so the request is anonymous and gets 401 woocommerce_rest_cannot_view.',
    fixes: (ctx) => ordered([ctx.httpsAvailable === false ? f.oauth1(true) : { id: 're-enter-keys', title: 'Use a consumer key and secret instead', preferred: true }, f.useAppPassword()]),
  },
  {
    id: 'html-instead-of-json',
    title: 'An HTML page came back instead of JSON',
    explanation:
      'The API call was answered with an HTML page. WooCommerce\'s API always answers JSON, so something else answered: the theme\'s front page or a 404 page (wrong URL, REST API not reachable at this path), a login or maintenance page, a caching or security plugin. ' +
      'A 200 status here is not a success: nothing was read or written.',
    fixes: (ctx) => ordered([ctx.suggestedUrl ? f.apiPath(ctx.suggestedUrl, true) : undefined, f.doctor()]),
  },
  {
    id: 'redirect-on-api-path',
    title: 'The API URL redirects',
    explanation:
      'The API URL answered with a redirect instead of the API. Each request then costs an extra round trip, credentials are dropped when the redirect goes to another origin, OAuth signatures break, and a POST redirected with 301 or 302 turns into a GET (a create silently becomes a list). ' +
      'Use the URL the server redirects to.',
    fixes: (ctx) => ordered([ctx.suggestedUrl ? f.apiPath(ctx.suggestedUrl, true) : undefined]),
  },
];

entries.push(...tokenCauses({ ordered, htaccess: f.htaccess, nginx: f.nginx, apiPath: f.apiPath, https: f.https, users: f.users, adminBase: admin }));

export const CAUSES: Readonly<Record<CauseId, Cause>> = Object.fromEntries(entries.map((c) => [c.id, c])) as Record<CauseId, Cause>;

export const CAUSE_IDS: readonly CauseId[] = entries.map((c) => c.id);

export function cause(id: CauseId): Cause {
  return CAUSES[id];
}

/** The run-doctor fix, for findings that cannot be told apart from one exchange. */
export function doctorFix(): Fix {
  return f.doctor();
}

export function removeOwnAuthorizationFix(): Fix {
  return f.removeOwnAuthorization(true);
}
