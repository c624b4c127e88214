// The causes of a refused token, a refused sign-in or a refused renewal, for stores with a JWT or
// OAuth 2.0 plugin, and their fixes. Part of the cause catalogue (causes.ts merges them in); the
// facts behind each sentence are in docs/tokens.md (what the three plugins answered, recorded).
//
// Pure: no `vscode`, no I/O.

import type { Cause, Fix, FixContext } from './causes';
import { trimTrailingSlashes } from '../url-text';

export type TokenCauseId =
  | 'token-expired'
  | 'token-wrong-site'
  | 'token-obsolete'
  | 'token-invalid'
  | 'token-revoked'
  | 'bearer-lowercase'
  | 'token-sent-twice'
  | 'token-not-in-header'
  | 'token-login-failed'
  | 'refresh-token-expired'
  | 'refresh-token-revoked'
  | 'refresh-token-mismatch'
  | 'refresh-token-missing'
  | 'grant-not-allowed'
  | 'pkce-verifier-wrong'
  | 'authorization-code-expired'
  | 'authorization-code-used'
  | 'oauth-client-invalid'
  | 'oauth-redirect-mismatch'
  | 'oauth-request-malformed'
  | 'oauth-trailing-slash'
  | 'rest-not-authorized';

export interface TokenFixPayloads {
  /** Renew the store's access token now (refresh token or cookie, or the plugin's sign-in) and send again. */
  'renew-token': Record<never, never>;
  /** Sign in to the store again (user name and password, or the browser for OAuth), replacing every token. */
  'sign-in-again': Record<never, never>;
  /** Send to the address the token was issued for (its `iss`): `url` is the request moved there. */
  'use-token-site-url': { url: string; siteUrl: string };
  /** Send the token in the Authorization header only, with the scheme word "Bearer" exactly. */
  'use-bearer-header': Record<never, never>;
  /** Open WP OAuth Server's client list on the store (grant types, redirect URI, secret). */
  'open-oauth-clients': { url: string };
}

export const TOKEN_FIX_IDS: readonly (keyof TokenFixPayloads)[] = ['renew-token', 'sign-in-again', 'use-token-site-url', 'use-bearer-header', 'open-oauth-clients'];

/** The catalogue's helpers this part uses (passed in, so that this file needs nothing of causes.ts at run time). */
export interface CauseHelpers {
  ordered(fixes: (Fix | undefined | false | '')[]): Fix[];
  htaccess(preferred?: boolean): Fix;
  nginx(): Fix;
  apiPath(url: string, preferred?: boolean): Fix;
  https(url: string | undefined, preferred?: boolean): Fix;
  users(base: string): Fix;
  adminBase(ctx: FixContext): string | undefined;
}

const renew = (preferred?: boolean): Fix => ({ id: 'renew-token', title: 'Renew the token now', preferred });
const signIn = (preferred?: boolean): Fix => ({ id: 'sign-in-again', title: 'Sign in again', preferred });
const bearerHeader = (preferred?: boolean): Fix => ({ id: 'use-bearer-header', title: 'Send the token as "Authorization: Bearer …" only', preferred });
const clientsPage = (base: string | undefined): Fix | undefined => (base ? { id: 'open-oauth-clients', title: "Open the store's OAuth clients (WP OAuth Server)", url: `${trimTrailingSlashes(base)}/wp-admin/admin.php?page=wo_manage_clients` } : undefined);

export function tokenCauses(h: CauseHelpers): Cause[] {
  return [
    {
      id: 'token-expired',
      title: 'The access token has expired',
      explanation:
        'Access tokens live for a set time (Tmeister\'s JWT plugin: 7 days by default; Useful Team\'s JWT Auth: 10 minutes; WP OAuth Server: 1 hour). ' +
        'Past it, Tmeister\'s plugin answers 403 jwt_auth_invalid_token "Expired token", while the two others say nothing: WooCommerce answers 401 woocommerce_rest_cannot_view as to a visitor. ' +
        'A new token comes from the refresh token or cookie, or from signing in again (Tmeister has no refresh).',
      fixes: () => h.ordered([renew(true), signIn()]),
    },
    {
      id: 'token-wrong-site',
      title: 'The token was issued for another address of the site',
      explanation:
        'JWT plugins write the site URL they were reached at into the token (iss) and accept the token only at that exact address: scheme, host and port. ' +
        'A token obtained over http:// is refused over https:// ("The iss do not match with this server"; Tmeister says so with 403 jwt_auth_bad_iss, Useful Team only on /token/validate), and so is one from another port or host name.',
      fixes: (ctx) => h.ordered([ctx.suggestedUrl && ctx.homeUrl ? { id: 'use-token-site-url', title: `Use the address the token was issued for: ${ctx.homeUrl}`, url: ctx.suggestedUrl, siteUrl: ctx.homeUrl, preferred: true } : undefined, signIn()]),
    },
    {
      id: 'token-obsolete',
      title: "The token is obsolete: the user's password changed",
      explanation:
        'Useful Team\'s JWT Auth records a value in each token that changes with the user\'s password; after a password change every access token issued before it is refused (/token/validate: 401 jwt_auth_obsolete_token "Token is obsolete"; on wc/v3 the silent 401). ' +
        'The refresh cookie keeps working, so renewing gets a valid token; with Tmeister\'s plugin and WP OAuth Server a password change leaves tokens valid.',
      fixes: () => h.ordered([renew(true), signIn()]),
    },
    {
      id: 'token-invalid',
      title: 'The token is forged or malformed',
      explanation:
        'The plugin could not read the token or did not sign it: "Wrong number of segments" or "Syntax error, malformed JSON" (not a JWT, cut or mangled when copied), "Signature verification failed" (signed with another site\'s secret, or the site\'s JWT_AUTH_SECRET_KEY changed), no user in it, or a user that no longer exists. ' +
        'Tmeister\'s plugin says so on every REST route (403 jwt_auth_invalid_token); Useful Team\'s only on /token/validate (wc/v3 answers the silent 401).',
      fixes: () => h.ordered([signIn(true), renew()]),
    },
    {
      id: 'token-revoked',
      title: 'The server no longer knows this access token',
      explanation:
        'OAuth 2.0 access tokens are looked up on the server: one that was revoked (/oauth/revoke/), destroyed (/oauth/destroy/), deleted with its client, issued by another server, or mistyped is simply unknown. ' +
        'WP OAuth Server never says so on the API: wc/v3 answers 401 woocommerce_rest_cannot_view, and /oauth/me/ or /oauth/introspection/ 400 "Invalid token" (the same words as for an expired one).',
      fixes: () => h.ordered([renew(true), signIn()]),
    },
    {
      id: 'bearer-lowercase',
      title: 'The scheme word is "bearer", not "Bearer"',
      explanation:
        'Both JWT plugins read the Authorization header with a case-sensitive "Bearer " (sscanf in PHP): "bearer …" is not theirs, so the request is anonymous (401 woocommerce_rest_cannot_view), and /token/validate answers "Authorization header malformed." ' +
        'RFC 6750 says the word is case-insensitive, and WP OAuth Server accepts any case, but these plugins do not.',
      fixes: () => h.ordered([bearerHeader(true)]),
    },
    {
      id: 'token-sent-twice',
      title: 'The token was sent two ways at once',
      explanation:
        'WP OAuth Server (like any OAuth 2.0 server following RFC 6750) takes the token from the Authorization header, the access_token query parameter or a form body, and refuses a request that uses more than one: "Only one method may be used to authenticate at a time". ' +
        'On wc/v3 the refusal is silent (401 woocommerce_rest_cannot_view).',
      fixes: () => h.ordered([bearerHeader(true)]),
    },
    {
      id: 'token-not-in-header',
      title: 'The token was sent where the plugin does not look',
      explanation:
        'The JWT plugins read the token from the Authorization: Bearer header only: a ?token= or access_token parameter is ignored, and the request is anonymous. ' +
        'WP OAuth Server reads the header, or a parameter named access_token (not "token"). The header is the place for it: a token in a URL also ends up in server logs and browser history.',
      fixes: () => h.ordered([bearerHeader(true)]),
    },
    {
      id: 'token-login-failed',
      title: 'Signing in for a token was refused',
      explanation:
        'The token endpoint checks the user name and password with WordPress\'s own login. Once the site has application passwords, the API checks them too, and the answer speaks of the application password ("The provided password is an invalid application password.") even when you typed the login password wrong. ' +
        'Over plain HTTP application passwords are not available at all ("Application passwords are not available."). ' +
        'Tmeister\'s plugin answers 403 "[jwt_auth] <reason>"; Useful Team\'s 401 with the reason; WP OAuth Server 401 invalid_grant "Invalid username and password combination".',
      fixes: (ctx) => h.ordered([signIn(true), ctx.httpsAvailable !== false && ctx.requestUrl?.startsWith('http:') ? h.https(ctx.httpsUrl) : undefined]),
    },
    {
      id: 'refresh-token-expired',
      title: 'The refresh token has expired',
      explanation:
        'Refresh tokens live longer than access tokens, but not for ever (Useful Team\'s refresh cookie: 30 days; WP OAuth Server: 1 day by default). ' +
        'Past that, only signing in again gives new tokens.',
      fixes: () => h.ordered([signIn(true)]),
    },
    {
      id: 'refresh-token-revoked',
      title: 'The refresh token is no longer valid (replaced or revoked)',
      explanation:
        'Useful Team keeps one refresh cookie per user and device: /token/refresh or a new sign-in on the same device replaces it, and the old one is then "obsolete" at once. ' +
        'WP OAuth Server forgets a refresh token that was revoked, and answers "Invalid refresh token" for it (and for one it never issued). Only signing in again gives new tokens.',
      fixes: () => h.ordered([signIn(true)]),
    },
    {
      id: 'refresh-token-mismatch',
      title: 'The refresh token belongs to another device or client',
      explanation:
        'Useful Team stores the refresh cookie per device: renewing with another `device` (or none, when it was issued with one) gets "Invalid refresh token", as a malformed cookie does. ' +
        'WP OAuth Server ties a refresh token to the client that obtained it: another client id gets "refresh_token doesn\'t exist or is invalid for the client".',
      fixes: () => h.ordered([signIn(true)]),
    },
    {
      id: 'refresh-token-missing',
      title: 'No refresh cookie was sent',
      explanation:
        'Useful Team\'s JWT Auth reads the refresh token from its HttpOnly refresh_token cookie only; one in the body or a header is ignored ("Refresh token cookie not found."). ' +
        'The cookie comes with the sign-in that used a user name and password, and must be sent back as a cookie.',
      fixes: () => h.ordered([signIn(true)]),
    },
    {
      id: 'grant-not-allowed',
      title: 'The OAuth client may not use this grant',
      explanation:
        'Each WP OAuth Server client lists the grant types it may use. A client made with the free (CE) admin form has the authorization code grant only: client credentials, password and refresh token then answer 400 unauthorized_client "The grant type is unauthorized for this client_id". ' +
        'The implicit flow is off by default (unsupported_response_type). Use the authorization code with PKCE, or a client allowed the grant.',
      fixes: (ctx) => h.ordered([signIn(true), clientsPage(h.adminBase(ctx))]),
    },
    {
      id: 'pkce-verifier-wrong',
      title: 'The PKCE code verifier does not match',
      explanation:
        'An authorization request that carried a code_challenge can only be exchanged with the code_verifier it was made from (S256: its SHA-256, base64url). ' +
        'WP OAuth Server answers a missing or wrong verifier with 400 invalid_grant "Authorization code doesn\'t exist or is invalid for the client", the words it also uses for a used code, and keeps the code for a second try.',
      fixes: () => h.ordered([signIn(true)]),
    },
    {
      id: 'authorization-code-expired',
      title: 'The authorization code expired before it was exchanged',
      explanation:
        'WP OAuth Server\'s authorization codes live 30 seconds: a code exchanged later gets 400 invalid_grant "The authorization code has expired". Sign in again and let the code be exchanged at once.',
      fixes: () => h.ordered([signIn(true)]),
    },
    {
      id: 'authorization-code-used',
      title: 'The authorization code was already used',
      explanation:
        'An authorization code can be exchanged once; a second exchange gets 400 invalid_grant "Authorization code doesn\'t exist or is invalid for the client" (the same words as a wrong PKCE verifier or a code of another client).',
      fixes: () => h.ordered([signIn(true)]),
    },
    {
      id: 'oauth-client-invalid',
      title: 'The OAuth client id or secret was refused',
      explanation:
        'The token endpoint authenticates the client first: with the secret in an Authorization: Basic header (client_secret_basic) or as client_id/client_secret in the body. ' +
        'None sent: "Client credentials were not found in the headers or body"; wrong id or secret: "The client credentials are invalid"; no secret for a client that has one: "This client is invalid or must authenticate using a client secret"; an unknown id on the authorize page: "The client id supplied is invalid".',
      fixes: (ctx) => h.ordered([signIn(true), clientsPage(h.adminBase(ctx))]),
    },
    {
      id: 'oauth-redirect-mismatch',
      title: 'The redirect URI does not match the client\'s',
      explanation:
        'The redirect URI of the authorize request must start with the one registered for the client, and the code exchange must repeat it exactly ("The redirect URI provided is missing or does not match" / "The redirect URI is missing or do not match").',
      fixes: (ctx) => h.ordered([clientsPage(h.adminBase(ctx)), signIn()]),
    },
    {
      id: 'oauth-request-malformed',
      title: 'The OAuth request is incomplete or uses the wrong method',
      explanation:
        'The OAuth endpoints want POST with a form body and the parameters of the grant: a GET ("The request method must be POST …"), no grant_type, or no token to revoke is refused with 400/405 invalid_request before anything is checked. ' +
        'Signing in through the store\'s settings makes these requests the way the server wants them.',
      fixes: () => h.ordered([signIn(true)]),
    },
    {
      id: 'oauth-trailing-slash',
      title: 'WP OAuth Server\'s addresses end with a slash',
      explanation:
        'WP OAuth Server answers at /oauth/token/, /oauth/authorize/, /oauth/me/, /.well-known/openid-configuration/ … with the trailing slash. WordPress redirects the address without it (301), and a client that follows turns a POST into a GET and drops its credentials.',
      fixes: (ctx) => h.ordered([ctx.suggestedUrl ? h.apiPath(ctx.suggestedUrl, true) : undefined]),
    },
    {
      id: 'rest-not-authorized',
      title: 'The store blocks unauthenticated REST requests',
      explanation:
        'WP OAuth Server\'s setting "Block unauthenticated requests to the REST API" answers every REST request that carries no accepted credentials with 401 rest_not_authorized "Authorization is required.", even the /wp-json/ index. ' +
        'A valid token (or consumer key) gets through; an expired or unknown token is no credential at all.',
      fixes: () => h.ordered([renew(true), signIn()]),
    },
  ];
}
