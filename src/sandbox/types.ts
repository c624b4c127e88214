// The sandbox's public types (re-exported by index.ts). Kept in their own file so the
// implementation modules can share them without importing index.ts.

/** WordPress's and WooCommerce's own roles, with the capabilities they get on install (users.ts). */
export type SandboxRole = 'administrator' | 'shop_manager' | 'editor' | 'author' | 'contributor' | 'subscriber' | 'customer';
export type KeyPermissions = 'read' | 'write' | 'read_write';

export interface SandboxSeedUser {
  id: number;
  login: string;
  role: SandboxRole;
  email?: string;
  /** The WordPress login password (never accepted by the REST API, see FACTS: "admin login password" → cannot_view). */
  password?: string;
  /** Application passwords, as WordPress shows them (spaces optional). */
  application_passwords?: string[];
}

export interface SandboxSeedKey {
  consumer_key: string;
  consumer_secret: string;
  permissions: KeyPermissions;
  user_id: number;
  description?: string;
}

export type OAuthGrantType = 'authorization_code' | 'client_credentials' | 'password' | 'refresh_token' | 'implicit';

/** A client registered in WP OAuth Server (its "Clients" admin page). */
export interface SandboxSeedOAuthClient {
  client_id: string;
  client_secret: string;
  redirect_uri: string;
  /** The CE admin form makes clients with authorization_code only. */
  grant_types: OAuthGrantType[];
  /** The user that client-credentials tokens act as (0 or absent: none). */
  user_id?: number;
}

export interface SandboxSeed {
  users: SandboxSeedUser[];
  keys: SandboxSeedKey[];
  /** WP OAuth Server's clients (--token-plugin wp-oauth-server). */
  oauth_clients?: SandboxSeedOAuthClient[];
  /** JWT_AUTH_SECRET_KEY of the JWT plugins (random when absent). */
  jwt_secret?: string;
}

/** The token plugin active on the sandbox's WordPress. */
export type SandboxTokenPlugin = 'tmeister' | 'useful-team' | 'wp-oauth-server';

export interface SandboxOptions {
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Plain-HTTP port; 0 (the default) picks a free port. */
  httpPort?: number;
  /** HTTPS port; 0 (the default) picks a free port. */
  httpsPort?: number;
  /** Users and keys; without one, fresh credentials are generated (see RunningSandbox.generated). */
  seed?: SandboxSeed;
  /** The server never sees the Authorization header (Apache + PHP-FPM without CGIPassAuth). */
  stripAuthorization?: boolean;
  /** WordPress on plain permalinks: /wp-json/… is not the API, only ?rest_route= is. */
  plainPermalinks?: boolean;
  /**
   * WordPress's Home URL (used in OAuth base strings, the index's home/url, Link and Location
   * headers). Its host, port and path are used; the scheme always follows the connection
   * (get_home_url(null, path, is_ssl() ? 'https' : 'http')). Default: the request's Host header,
   * so the sandbox answers as the store at whatever address it was reached on, on either port.
   */
  homeUrl?: string;
  /** Server clock = real clock + this many seconds (OAuth timestamps, Date header). */
  clockOffsetSeconds?: number;
  /**
   * HTTPS ends at a proxy in front of WordPress: the proxy sends X-Forwarded-Proto: https, but
   * WordPress does not read it (no wp-config.php lines), so is_ssl() is false on the HTTPS port.
   */
  httpsProxy?: boolean;
  /**
   * HTTPS ends at a proxy that does not send X-Forwarded-Proto (it passes on whatever the client
   * sent); WordPress has the wp-config.php lines that trust the header. is_ssl() is false unless
   * the request itself carries X-Forwarded-Proto: https.
   */
  httpsProxyNoForwardedProto?: boolean;
  /** A security plugin refuses REST requests of anyone not logged in (401 rest_cannot_access), hiding WooCommerce's own errors. */
  securityPlugin?: boolean;
  /** A firewall rule in front of WordPress answers an HTML 403 to any request with consumer_secret in its query string. */
  firewallQuerySecret?: boolean;
  /** A JWT or OAuth 2.0 plugin, answering its endpoints as recorded (src/sandbox/tokens/). */
  tokenPlugin?: SandboxTokenPlugin;
  /** The access-token lifetime the plugin's filter sets (default: the plugin's, 7 days / 10 min / 1 h). */
  accessTokenLifetimeSeconds?: number;
  /** The refresh-token lifetime (Useful Team's cookie, 30 days; WP OAuth Server's, 1 day). */
  refreshTokenLifetimeSeconds?: number;
  /** WP OAuth Server's "Block unauthenticated requests to the REST API" setting. */
  blockUnauthenticatedRest?: boolean;
  /** WP OAuth Server's "JWT bearer" setting: access tokens are RS256 JWTs. */
  oauthJwtAccessTokens?: boolean;
  /** WP OAuth Server's authorize page approves without a login, as the client's user (or the first administrator). */
  oauthAutoApprove?: boolean;
}

export interface RunningSandbox {
  httpUrl: string;
  httpsUrl: string;
  /** The self-signed certificate (PEM) to give clients as their CA. */
  certificatePem: string;
  /** The credentials in force (the given seed, or the generated one). */
  seed: SandboxSeed;
  /** True when no seed was given and fresh credentials were made. */
  generated: boolean;
  /**
   * The request lines the sandbox received, oldest first, as an access log has them
   * (`https "GET /wp-json/wc/v3/products?per_page=1 HTTP/1.1"`): what a real server writes to its
   * logs, query strings and all. The most recent 10,000 are kept.
   */
  requestLog(): readonly string[];
  /** Moves the server's clock forward (tests of token and code expiry, without waiting). */
  advanceClock(seconds: number): void;
  stop(): Promise<void>;
}
