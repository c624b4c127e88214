// "JWT Authentication for WP REST API" (Tmeister) 1.3.4, as recorded (tm.* cases):
//   POST /wp-json/jwt-auth/v1/token {username, password} → {token, user_email, user_nicename,
//   user_display_name}; failures 403 "[jwt_auth] <WordPress code>" with WordPress's message.
//   HS256, iss = the site URL as this request reaches it, exp = iat + 7 days (jwt_auth_expire).
//   determine_current_user @10 reads `Authorization: Bearer …` (the word exactly so: anything
//   else is left to others), and a token it cannot accept becomes the answer of EVERY REST route
//   (rest_pre_dispatch, 403), public ones included. No refresh, no revocation; a password change
//   leaves tokens valid.
//   POST /token/validate → 200 jwt_auth_valid_token, or the same 403 errors, or
//   jwt_auth_no_auth_header when the header never arrived.
import { wpError, type WpError } from '../errors';
import { respond, type RestRequest } from '../rest-server';
import { applicationPasswordsInUse, registerNamespaceIndex, userById, type PluginContext } from './context';
import { JwtError, signJwt, verifyHs256 } from './jwt';
import type { TokenAuthResult, TokenPluginServer, TokenRequest } from './plugin';
import { sanitizeTextField, sscanfBearer, wpAuthenticate } from './wordpress';

const NAMESPACE = 'jwt-auth/v1';
const SEVEN_DAYS = 7 * 24 * 3600;

const err = (code: string, message: string): WpError => wpError(code, message, 403);

export class TmeisterJwtAuth implements TokenPluginServer {
  readonly name = 'tmeister' as const;
  /** JWT_AUTH_SECRET_KEY. */
  private readonly secret: string;

  constructor(private readonly ctx: PluginContext) {
    this.secret = ctx.jwtSecret;
    const post = { methods: ['POST'], args: {}, permission: () => true as const };
    registerNamespaceIndex(ctx.rest, NAMESPACE);
    ctx.rest.register({ path: `/${NAMESPACE}/token`, namespace: NAMESPACE, endpoints: [{ ...post, callback: (req) => this.generateToken(req) }] });
    ctx.rest.register({ path: `/${NAMESPACE}/token/validate`, namespace: NAMESPACE, endpoints: [{ ...post, callback: (req) => this.validateRoute(req) }] });
  }

  authenticate(req: TokenRequest): TokenAuthResult {
    if (!req.isRestRequest) return {};
    // The validate route checks the token itself ("avoids double calls").
    if (req.requestUri.indexOf('token/validate') > 0) return {};
    const header = req.authorization ? sanitizeTextField(req.authorization) : '';
    if (!header) return {};
    // Not "Bearer…" (Basic keys, a lowercase "bearer"): left to WooCommerce and WordPress.
    if (!header.startsWith('Bearer')) return {};
    const result = this.validate(header, req.site.home(''));
    if ('error' in result) return result.error.code === 'jwt_auth_no_auth_header' ? {} : { preDispatchError: result.error };
    const user = userById(this.ctx, (result.claims.data as { user?: { id?: unknown } } | undefined)?.user?.id);
    return { userId: user?.id };
  }

  private generateToken(req: RestRequest) {
    const user = wpAuthenticate(this.ctx.users(), req.params.username, req.params.password, {
      applicationPasswordsInUse: applicationPasswordsInUse(this.ctx),
      isApiRequest: true,
      isSsl: req.site.isSsl,
      lostPasswordUrl: req.site.home('my-account/lost-password/'),
    });
    if ('code' in user) return err(`[jwt_auth] ${user.code}`, user.message);
    const iat = this.ctx.now();
    const claims = {
      iss: req.site.home(''),
      iat,
      nbf: iat,
      exp: iat + (this.ctx.lifetimes.accessSeconds ?? SEVEN_DAYS),
      // $user->data->ID: a string, as MySQL returns it.
      data: { user: { id: String(user.id) } },
    };
    return respond({ token: signJwt(claims, { alg: 'HS256', secret: this.secret }), user_email: user.email, user_nicename: user.login.toLowerCase(), user_display_name: user.login });
  }

  private validateRoute(req: RestRequest) {
    const result = this.validate(req.headers['authorization'], req.site.home(''));
    return 'error' in result ? result.error : respond({ code: 'jwt_auth_valid_token', data: { status: 200 } });
  }

  /** validate_token(): the decoded claims, or the WP_Error the plugin makes. */
  private validate(header: string | undefined, iss: string): { claims: Record<string, unknown> } | { error: WpError } {
    const fail = (code: string, message: string) => ({ error: err(code, message) });
    if (!header) return fail('jwt_auth_no_auth_header', 'Authorization header not found.');
    const token = sscanfBearer(header);
    if (!token) return fail('jwt_auth_bad_auth_header', 'Authorization header malformed.');
    let claims: Record<string, unknown>;
    try {
      claims = verifyHs256(token, this.secret, this.ctx.now());
    } catch (e) {
      return fail('jwt_auth_invalid_token', e instanceof JwtError ? e.message : 'Syntax error, malformed JSON');
    }
    if (claims.iss !== iss) return fail('jwt_auth_bad_iss', 'The iss do not match with this server');
    const user = (claims.data as { user?: { id?: unknown } } | undefined)?.user;
    if (!user || typeof user !== 'object' || user.id === undefined || user.id === null) return fail('jwt_auth_bad_request', 'User ID not found in the token');
    return { claims };
  }
}
