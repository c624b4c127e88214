// "JWT Auth" (Useful Team) 3.0.2, as recorded (ut.* cases):
//   POST /wp-json/jwt-auth/v1/token {username, password, device?} → {success, statusCode,
//   code: jwt_auth_valid_credential, message, data: {token, id, email, …}} and, on a login with
//   user name and password, an HttpOnly `refresh_token=<userID>.<64 hex>` cookie (Secure over
//   HTTPS), 30 days (jwt_auth_refresh_expire), kept per user PER DEVICE.
//   When the cookie comes with the request, /token uses it (with the same `device`) and ignores
//   the user name and password: a new access token, the cookie unchanged.
//   POST /token/refresh with the cookie → "Token is valid", a NEW cookie and no access token;
//   the old cookie is obsolete from then on.
//   Access tokens: HS256, exp = iat + 10 minutes (jwt_auth_expire), claims data.user.{id,
//   device (from a form body only), pass}. The middleware swallows token errors (wc/v3 answers
//   the anonymous 401); only /token/validate says why (401). A password change makes existing
//   access tokens obsolete; refresh cookies keep working.
import type { WpError } from '../errors';
import { respond, type RestRequest, type RestResponse } from '../rest-server';
import type { UserRecord } from '../users';
import { applicationPasswordsInUse, registerNamespaceIndex, userById, type PluginContext } from './context';
import { JwtError, randomHex, signJwt, verifyHs256 } from './jwt';
import type { TokenAuthResult, TokenPluginServer, TokenRequest } from './plugin';
import { phpCookies, sanitizeTextField, setCookie, sscanfBearer, stripTags, wpAuthenticate } from './wordpress';

const NAMESPACE = 'jwt-auth/v1';
const TEN_MINUTES = 600;
const THIRTY_DAYS = 30 * 24 * 3600;

interface UserState {
  /** jwt_auth_refresh_tokens: device → token and expiry. */
  refreshTokens: Map<string, { token: string; expires: number }>;
  /** jwt_auth_device: devices that got a token; cleared by a password change. */
  devices: Set<string>;
  /** jwt_auth_pass: a random value renewed by a password change. */
  pass?: string;
}

/** A plugin answer: {success, statusCode, code, message[, data]} with that status. */
const answer = (status: number, code: string, message: string, withData = true): RestResponse =>
  respond({ success: status === 200, statusCode: status, code, message, ...(withData ? { data: [] } : {}) }, status);

export class UsefulTeamJwtAuth implements TokenPluginServer {
  readonly name = 'useful-team' as const;
  private readonly state = new Map<number, UserState>();

  constructor(private readonly ctx: PluginContext) {
    const post = { methods: ['POST'], args: {}, permission: () => true as const };
    registerNamespaceIndex(ctx.rest, NAMESPACE);
    ctx.rest.register({ path: `/${NAMESPACE}/token`, namespace: NAMESPACE, endpoints: [{ ...post, callback: (req) => this.getToken(req) }] });
    ctx.rest.register({ path: `/${NAMESPACE}/token/validate`, namespace: NAMESPACE, endpoints: [{ ...post, callback: (req) => this.validateRoute(req) }] });
    ctx.rest.register({ path: `/${NAMESPACE}/token/refresh`, namespace: NAMESPACE, endpoints: [{ ...post, callback: (req) => this.refreshRoute(req) }] });
  }

  private stateOf(userId: number): UserState {
    let s = this.state.get(userId);
    if (!s) this.state.set(userId, (s = { refreshTokens: new Map(), devices: new Set() }));
    return s;
  }

  authenticate(req: TokenRequest): TokenAuthResult {
    const slug = req.site.plainPermalinks ? '?rest_route=/' : 'wp-json';
    if (!(req.requestUri.indexOf(slug) > 0)) return {};
    if (req.requestUri.indexOf('token/validate') > 0) return {};
    const result = this.validate(req.authorization, req.site.home(''));
    // Any failure: "let the endpoint do its regular access checks" (the anonymous answer).
    if ('status' in result) return {};
    return { userId: result.id };
  }

  passwordChanged(user: UserRecord): void {
    // block_all_tokens(): the device list goes and the pass is renewed; refresh tokens stay.
    const s = this.stateOf(user.id);
    s.devices.clear();
    s.pass = randomHex(16);
  }

  private getToken(req: RestRequest): RestResponse | WpError {
    const cookies = phpCookies(req.headers['cookie']);
    const username = req.params.username;
    const password = req.params.password;
    let user: UserRecord | undefined;
    const cookie = cookies.get('refresh_token');
    if (cookie !== undefined) {
      const checked = this.validateRefreshToken(cookie, this.deviceParam(req));
      if ('status' in checked) return checked;
      user = checked;
    } else {
      const result = wpAuthenticate(this.ctx.users(), username, password, {
        applicationPasswordsInUse: applicationPasswordsInUse(this.ctx),
        isApiRequest: true,
        isSsl: req.site.isSsl,
        lostPasswordUrl: req.site.home('my-account/lost-password/'),
      });
      if ('code' in result) return answer(401, result.code, stripTags(result.message));
      user = result;
    }
    const token = this.generateToken(user, req);
    const response = answer(200, 'jwt_auth_valid_credential', 'Credential is valid');
    (response.data as Record<string, unknown>).data = { token, id: user.id, email: user.email, nicename: user.login.toLowerCase(), firstName: user.firstName, lastName: user.lastName, displayName: user.login };
    if (truthy(username) && truthy(password)) response.headers['Set-Cookie'] = this.sendRefreshToken(user, req);
    return response;
  }

  private validateRoute(req: RestRequest): RestResponse {
    const result = this.validate(req.headers['authorization'], req.site.home(''));
    return 'status' in result ? result : answer(200, 'jwt_auth_valid_token', 'Token is valid');
  }

  private refreshRoute(req: RestRequest): RestResponse {
    const cookie = phpCookies(req.headers['cookie']).get('refresh_token');
    if (cookie === undefined) return answer(401, 'jwt_auth_no_auth_cookie', 'Refresh token cookie not found.', false);
    const checked = this.validateRefreshToken(cookie, this.deviceParam(req));
    if ('status' in checked) return checked;
    const response = answer(200, 'jwt_auth_valid_token', 'Token is valid', false);
    response.headers['Set-Cookie'] = this.sendRefreshToken(checked, req);
    return response;
  }

  /** $request->get_param( 'device' ) ?: '' (JSON, form or query). */
  private deviceParam(req: RestRequest): string {
    const d = req.params.device;
    return truthy(d) ? String(d) : '';
  }

  /** generate_token() with class-devices' payload filter (device from $_POST only, the pass). */
  private generateToken(user: UserRecord, req: RestRequest): string {
    const s = this.stateOf(user.id);
    const posted = req.post.device;
    const device = typeof posted === 'string' ? deviceName(sanitizeTextField(posted)) : '';
    if (device) s.devices.add(device);
    s.pass ??= randomHex(16);
    const iat = this.ctx.now();
    const claims = {
      iss: req.site.home(''),
      iat,
      nbf: iat,
      exp: iat + (this.ctx.lifetimes.accessSeconds ?? TEN_MINUTES),
      data: { user: { id: user.id, device, pass: s.pass } },
    };
    return signJwt(claims, { alg: 'HS256', secret: this.ctx.jwtSecret });
  }

  /** send_refresh_token(): a new cookie for this device, replacing the device's previous one. */
  private sendRefreshToken(user: UserRecord, req: RestRequest): string {
    const token = randomHex(32);
    const now = this.ctx.now();
    const expires = now + (this.ctx.lifetimes.refreshSeconds ?? THIRTY_DAYS);
    this.stateOf(user.id).refreshTokens.set(this.deviceParam(req), { token, expires });
    return setCookie('refresh_token', `${user.id}.${token}`, { expires, now, path: '/', secure: req.site.isSsl, httpOnly: true });
  }

  /** validate_refresh_token(): the user, or the plugin's 401 (which has no `data`). */
  private validateRefreshToken(cookie: string, device: string): UserRecord | RestResponse {
    const parts = cookie.split('.');
    const userId = parseInt(parts[0] ?? '', 10);
    const invalid = answer(401, 'jwt_auth_invalid_refresh_token', 'Invalid refresh token', false);
    if (parts.length !== 2 || !userId || !parts[1]) return invalid;
    const stored = this.state.get(userId)?.refreshTokens.get(device);
    if (!stored) return invalid;
    if (stored.token !== parts[1]) return answer(401, 'jwt_auth_obsolete_refresh_token', 'Refresh token is obsolete', false);
    if (this.ctx.now() > stored.expires) return answer(401, 'jwt_auth_expired_refresh_token', 'Refresh token has expired', false);
    return userById(this.ctx, userId) ?? invalid;
  }

  /** validate_token( false ): the token's user, or the 401 the validate route answers. */
  private validate(rawHeader: string | undefined, iss: string): UserRecord | RestResponse {
    const header = rawHeader ? sanitizeTextField(rawHeader) : '';
    if (!header) return answer(401, 'jwt_auth_no_auth_header', 'Authorization header not found.');
    const token = sscanfBearer(header);
    if (!token) return answer(401, 'jwt_auth_bad_auth_header', 'Authorization header malformed.');
    let claims: Record<string, unknown>;
    try {
      claims = verifyHs256(token, this.ctx.jwtSecret, this.ctx.now());
    } catch (e) {
      return answer(401, 'jwt_auth_invalid_token', e instanceof JwtError ? e.message : 'Syntax error, malformed JSON');
    }
    // get_bloginfo( 'url' ) of this very request: it follows is_ssl() and the Host.
    if (claims.iss !== iss) return answer(401, 'jwt_auth_bad_iss', 'The iss do not match with this server.');
    const data = (claims.data as { user?: { id?: unknown; device?: unknown; pass?: unknown } } | undefined)?.user;
    if (!data || typeof data !== 'object' || data.id === undefined || data.id === null) return answer(401, 'jwt_auth_bad_request', 'User ID not found in the token.');
    const user = userById(this.ctx, data.id);
    if (!user) return answer(401, 'jwt_auth_user_not_found', "User doesn't exist");
    // check_device_and_pass(): a device the user no longer has, or a password changed since.
    const s = this.stateOf(user.id);
    if (truthy(data.device) && !s.devices.has(String(data.device))) return answer(401, 'jwt_auth_obsolete_token', 'Token is obsolete');
    if (data.pass !== (s.pass ?? '')) return answer(401, 'jwt_auth_obsolete_token', 'Token is obsolete');
    return user;
  }
}

/** PHP truthiness of a request value. */
function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && v !== '0' && v !== false && v !== 0;
}

/** sanitize_device_name(): accents folded, then only letters, digits and spaces. */
function deviceName(device: string): string {
  return device.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9 ]/gi, '');
}
