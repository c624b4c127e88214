// What every token plugin of the sandbox is given: the site's users, the server clock, the
// lifetimes set on the command line, and the options that only some plugins read.
import { respond, type RestServer } from '../rest-server';
import type { UserRecord } from '../users';
import type { TokenLifetimes } from './plugin';

export interface OAuthClientRecord {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  grantTypes: Set<string>;
  /** The user client-credentials tokens act as (0: none). */
  userId: number;
}

export interface PluginContext {
  rest: RestServer;
  users(): UserRecord[];
  /** Server clock, seconds. */
  now(): number;
  lifetimes: TokenLifetimes;
  /** JWT_AUTH_SECRET_KEY of the JWT plugins. */
  jwtSecret: string;
  /** WP OAuth Server: its registered clients. */
  clients: OAuthClientRecord[];
  /** WP OAuth Server's "Block unauthenticated requests to the REST API" setting. */
  blockUnauthenticatedRest: boolean;
  /** WP OAuth Server's "JWT bearer" setting: access tokens are RS256 JWTs. */
  jwtAccessTokens: boolean;
  /** The authorize page approves without a login, as the client's user (or the first administrator). */
  autoApprove: boolean;
}

export function userById(ctx: PluginContext, id: unknown): UserRecord | undefined {
  const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : NaN;
  return ctx.users().find((u) => u.id === n);
}

/** WP_Application_Passwords::is_in_use(). */
export function applicationPasswordsInUse(ctx: PluginContext): boolean {
  return ctx.users().some((u) => u.applicationPasswords.length > 0);
}

/** The namespace's own index (GET /wp-json/NAMESPACE), which WordPress adds for every namespace. */
export function registerNamespaceIndex(rest: RestServer, namespace: string): void {
  rest.register({
    path: `/${namespace}`,
    namespace,
    endpoints: [{
      methods: ['GET'],
      args: {},
      permission: () => true,
      callback: (req) => respond({
        namespace,
        routes: Object.fromEntries(rest.allRoutes().filter((r) => r.namespace === namespace).map((r) => [r.path, rest.routeData(r, req.site)])),
        _links: { up: [{ href: req.site.rest('/') }] },
      }),
    }],
  });
}
