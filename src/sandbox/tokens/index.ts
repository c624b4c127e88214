// The sandbox's token plugins: one of "JWT Authentication for WP REST API" (Tmeister), "JWT Auth"
// (Useful Team) or "WP OAuth Server – CE", active on the sandbox's WordPress when it is started
// with --token-plugin. server.ts calls the plugin's hooks (plugin.ts); this file picks the plugin
// and adds the WordPress route token tests need: changing a user's password.
import { wpError } from '../errors';
import type { PhpArray } from '../php-query';
import { authorizationRequiredCode, respond, type RestServer } from '../rest-server';
import type { SiteUrls } from '../site';
import type { SandboxOptions, SandboxSeed } from '../types';
import { userCan, type UserRecord } from '../users';
import type { PluginContext } from './context';
import { randomSecret } from './jwt';
import type { TokenPluginName, TokenPluginServer, TokenRequest } from './plugin';
import { TmeisterJwtAuth } from './tmeister';
import { UsefulTeamJwtAuth } from './useful-team';
import { WpOAuthServer } from './wp-oauth-server';

export type { OAuthClientRecord, PluginContext } from './context';
export type { PageAnswer, TokenAuthResult, TokenPluginName, TokenPluginServer, TokenRequest } from './plugin';
export { TOKEN_PLUGINS } from './plugin';
import { phpCookies } from './wordpress';

export function createTokenPlugin(name: TokenPluginName, seed: SandboxSeed, options: SandboxOptions, rest: RestServer, users: () => UserRecord[], now: () => number): TokenPluginServer {
  const ctx: PluginContext = {
    rest,
    users,
    now,
    lifetimes: { accessSeconds: options.accessTokenLifetimeSeconds, refreshSeconds: options.refreshTokenLifetimeSeconds },
    jwtSecret: seed.jwt_secret ?? randomSecret(),
    clients: (seed.oauth_clients ?? []).map((c) => ({ clientId: c.client_id, clientSecret: c.client_secret, redirectUri: c.redirect_uri, grantTypes: new Set(c.grant_types), userId: c.user_id ?? 0 })),
    blockUnauthenticatedRest: options.blockUnauthenticatedRest === true,
    jwtAccessTokens: options.oauthJwtAccessTokens === true,
    autoApprove: options.oauthAutoApprove === true,
  };
  const plugin = name === 'tmeister' ? new TmeisterJwtAuth(ctx) : name === 'useful-team' ? new UsefulTeamJwtAuth(ctx) : new WpOAuthServer(ctx);
  registerUserPassword(rest, ctx, plugin);
  registerPosts(rest);
  return plugin;
}

/**
 * GET /wp-json/wp/v2/posts: WordPress's public posts (the "Hello world!" post), the public route
 * the recordings probe with a bad token (Tmeister refuses even there; Useful Team lets it through).
 */
function registerPosts(rest: RestServer): void {
  rest.register({
    path: '/wp/v2/posts',
    namespace: 'wp/v2',
    endpoints: [{
      methods: ['GET'],
      args: { page: { type: 'integer', default: 1, minimum: 1 }, per_page: { type: 'integer', default: 10, minimum: 1, maximum: 100 } },
      permission: () => true,
      callback: (req) => respond(
        Number(req.params.page ?? 1) > 1 ? [] : [{ id: 1, date: '2026-11-02T13:41:36', slug: 'hello-world', status: 'publish', type: 'post', link: req.site.home('2026/11/02/hello-world/'), title: { rendered: 'Hello world!' } }],
        200,
        { 'X-WP-Total': '1', 'X-WP-TotalPages': '1' },
      ),
    }],
  });
}

/** What server.ts knows of a request, as the token plugins read it. */
export function tokenRequest(r: {
  incoming: { isSsl: boolean; method: string; body: Buffer };
  headers: Record<string, string | undefined>;
  requestUri: string;
  path: string;
  relative: string;
  get: PhpArray;
  post: PhpArray;
  type: string;
  isRest: boolean;
  site: SiteUrls;
  now: number;
}): TokenRequest {
  let json: Record<string, unknown> | undefined;
  if (r.type === 'application/json' && r.incoming.body.length > 0) {
    try {
      const parsed = JSON.parse(r.incoming.body.toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
  }
  const authorization = r.headers['authorization'];
  return {
    isSsl: r.incoming.isSsl,
    isRestRequest: r.isRest,
    requestMethod: r.incoming.method,
    requestUri: r.requestUri,
    relativePath: r.relative,
    trailingSlash: r.path.endsWith('/'),
    authorization,
    phpAuth: phpBasicCredentials(authorization),
    get: r.get,
    post: r.post,
    json,
    contentType: r.type,
    cookies: phpCookies(r.headers['cookie']),
    headers: r.headers,
    site: r.site,
    now: r.now,
  };
}

/** PHP_AUTH_USER / PHP_AUTH_PW from `Authorization: Basic …` (PHP's lenient base64). */
function phpBasicCredentials(authorization: string | undefined): { user: string; password: string } | undefined {
  if (!authorization || authorization.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const decoded = Buffer.from(authorization.slice(6).replace(/[^A-Za-z0-9+/]/g, ''), 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * POST /wp-json/wp/v2/users/{id} {password}: WP_REST_Users_Controller::update_item for the one
 * field token tests need (cases tm/ut/wo.wp.change_manager1_password). The plugin hears of it.
 */
function registerUserPassword(rest: RestServer, ctx: PluginContext, plugin: TokenPluginServer): void {
  const target = (id: string | undefined): UserRecord | undefined => ctx.users().find((u) => String(u.id) === id);
  const mayEdit = (req: { user: UserRecord | undefined }, user: UserRecord): boolean => !!req.user && (req.user.id === user.id || userCan(req.user, 'user', 'edit', user));
  rest.register({
    path: '/wp/v2/users/(?P<id>[\\d]+)',
    namespace: 'wp/v2',
    endpoints: [{
      methods: ['GET'],
      args: {},
      permission: (req) => {
        const user = target(req.urlParams.id);
        if (!user) return wpError('rest_user_invalid_id', 'Invalid user ID.', 404);
        return !req.user || mayEdit(req, user) || userCan(req.user, 'user', 'read') ? true : wpError('rest_user_cannot_view', 'Sorry, you are not allowed to list users.', authorizationRequiredCode(req));
      },
      callback: (req) => {
        const user = target(req.urlParams.id)!;
        return respond({ id: user.id, name: user.login, slug: user.login.toLowerCase() });
      },
    }, {
      methods: ['POST', 'PUT', 'PATCH'],
      args: { password: { description: 'Password for the user (never included).', type: 'string' } },
      permission: (req) => {
        const user = target(req.urlParams.id);
        if (!user) return wpError('rest_user_invalid_id', 'Invalid user ID.', 404);
        // edit_user: themselves, or whom their role may edit.
        return mayEdit(req, user) ? true : wpError('rest_cannot_edit', 'Sorry, you are not allowed to edit this user.', authorizationRequiredCode(req));
      },
      callback: (req) => {
        const user = target(req.urlParams.id)!;
        const password = req.params.password;
        if (typeof password === 'string') {
          if (password.includes('\\')) return wpError('rest_user_invalid_password', 'Passwords cannot contain the "\\" character.', 400);
          if (password.trim() === '') return wpError('rest_user_invalid_password', 'Passwords cannot be empty.', 400);
          user.loginPassword = password;
          plugin.passwordChanged?.(user);
        }
        return respond({ id: user.id, username: user.login, name: user.login, email: user.email, roles: [user.role], slug: user.login.toLowerCase() });
      },
    }, {
      methods: ['DELETE'],
      args: { force: { type: 'boolean', default: false }, reassign: { type: 'integer' } },
      permission: (req) => (req.user && userCan(req.user, 'user', 'delete') ? true : wpError('rest_user_cannot_delete', 'Sorry, you are not allowed to delete this user.', authorizationRequiredCode(req))),
      callback: (req) => (req.params.force === true
        ? wpError('rest_cannot_delete', 'The sandbox does not delete users.', 400)
        : wpError('rest_trash_not_supported', "Users do not support trashing. Set 'force' to true to delete.", 501)),
    }],
  });
}
