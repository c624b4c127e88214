// What a token plugin adds to the sandbox's WordPress: a determine_current_user filter (priority
// 10, before WooCommerce's 15, which then steps aside), errors surfaced at rest_pre_dispatch or
// rest_authentication_errors, its own REST routes, and (WP OAuth Server) pages outside the REST
// API. server.ts calls these hooks; each plugin lives in its own file.
import type { WpError } from '../errors';
import type { PhpArray } from '../php-query';
import type { SiteUrls } from '../site';
import type { UserRecord } from '../users';

export type TokenPluginName = 'tmeister' | 'useful-team' | 'wp-oauth-server';

export const TOKEN_PLUGINS: readonly TokenPluginName[] = ['tmeister', 'useful-team', 'wp-oauth-server'];

/** What PHP put in $_SERVER / $_GET / $_POST, as the plugins read it. */
export interface TokenRequest {
  isSsl: boolean;
  /** A request for the REST API (pretty /wp-json/… or ?rest_route=). */
  isRestRequest: boolean;
  requestMethod: string;
  /** $_SERVER['REQUEST_URI'], raw. */
  requestUri: string;
  /** The path below the Home URL, without surrounding slashes ("oauth/token"). */
  relativePath: string;
  /** The request path ends with "/" (WordPress redirects page URLs that do not). */
  trailingSlash: boolean;
  /** HTTP_AUTHORIZATION as PHP sees it (absent when the server strips it). */
  authorization?: string;
  /** PHP_AUTH_USER / PHP_AUTH_PW from a Basic header PHP could decode. */
  phpAuth?: { user: string; password: string };
  get: PhpArray;
  post: PhpArray;
  /** A JSON request body, parsed (OAuth2\Request reads one for application/json). */
  json?: Record<string, unknown>;
  contentType: string;
  cookies: Map<string, string>;
  headers: Record<string, string | undefined>;
  site: SiteUrls;
  /** Server clock, seconds. */
  now: number;
}

export interface TokenAuthResult {
  /** The user the token names (0 or absent: nobody). */
  userId?: number;
  /** An error the plugin returns from rest_pre_dispatch (Tmeister surfaces token errors there). */
  preDispatchError?: WpError;
}

/** A whole HTTP answer for a page outside the REST API. */
export interface PageAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export interface TokenPluginServer {
  readonly name: TokenPluginName;
  /** determine_current_user at priority 10. */
  authenticate(req: TokenRequest): TokenAuthResult;
  /** rest_authentication_errors the plugin adds (WP OAuth Server's "block unauthenticated REST"). */
  authenticationError?(req: TokenRequest, userId: number): WpError | undefined;
  /** A request outside the REST API the plugin answers (/oauth/…, /.well-known/…, /wp-login.php). */
  page?(req: TokenRequest): PageAnswer | undefined;
  /** A user's password changed (wp/v2/users/{id}): what the plugin does about its tokens. */
  passwordChanged?(user: UserRecord): void;
}

/** Lifetimes set on the command line (the plugins' own filters: jwt_auth_expire, …). */
export interface TokenLifetimes {
  accessSeconds?: number;
  refreshSeconds?: number;
}
