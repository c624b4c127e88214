// wp-login.php and WordPress's login cookies, as far as WP OAuth Server's authorize page needs
// them: a person (or a test) logs in with the user's WordPress password, WordPress sets its auth
// and logged_in cookies (case wo.wp-login) and sends the browser back to redirect_to, and the
// authorize page then knows who is approving. /oauth/destroy/ clears the same cookies.
import * as crypto from 'node:crypto';
import type { UserRecord } from '../users';
import type { PluginContext } from './context';
import type { PageAnswer, TokenRequest } from './plugin';
import { setCookie, stripTags, wpAuthenticate } from './wordpress';

const TWO_DAYS = 2 * 24 * 3600;
const YEAR = 365 * 24 * 3600;

/** The auth cookies of one site: issued at login, checked by their HMAC. */
export class LoginSessions {
  private readonly key = crypto.randomBytes(32);

  constructor(private readonly ctx: PluginContext) {}

  users(): UserRecord[] {
    return this.ctx.users();
  }

  now(): number {
    return this.ctx.now();
  }

  /** COOKIEHASH: md5 of the site URL. */
  hash(req: TokenRequest): string {
    return crypto.createHash('md5').update(req.site.homeUrl('', false)).digest('hex');
  }

  /** The user of a valid wordpress_logged_in_ cookie (is_user_logged_in() on a page). */
  user(req: TokenRequest): UserRecord | undefined {
    const value = req.cookies.get(`wordpress_logged_in_${this.hash(req)}`);
    const [login, expiration, token, mac] = (value ?? '').split('|');
    if (!login || !expiration || !token || !mac || Number(expiration) < this.ctx.now()) return undefined;
    if (mac !== this.mac(`${login}|${expiration}|${token}`)) return undefined;
    return this.ctx.users().find((u) => u.login === login);
  }

  private mac(data: string): string {
    return crypto.createHmac('sha256', this.key).update(data).digest('hex');
  }

  /** wp_set_auth_cookie(): the auth cookie for plugins and wp-admin, the logged_in cookie for the site. */
  loginCookies(req: TokenRequest, user: UserRecord): string[] {
    const expiration = this.ctx.now() + TWO_DAYS;
    const token = crypto.randomBytes(21).toString('base64url');
    const value = `${user.login}|${expiration}|${token}|${this.mac(`${user.login}|${expiration}|${token}`)}`;
    const secure = req.isSsl;
    const auth = `${secure ? 'wordpress_sec_' : 'wordpress_'}${this.hash(req)}`;
    const now = this.ctx.now();
    return [
      setCookie('wordpress_test_cookie', 'WP Cookie check', { now, path: '/', secure }),
      setCookie(auth, value, { now, path: '/wp-content/plugins', secure, httpOnly: true }),
      setCookie(auth, value, { now, path: '/wp-admin', secure, httpOnly: true }),
      setCookie(`wordpress_logged_in_${this.hash(req)}`, value, { now, path: '/', secure, httpOnly: true }),
    ];
  }

  /** wp_clear_auth_cookie() and friends (wp_logout()), in WordPress's order. */
  logoutCookies(req: TokenRequest, userId: number): string[] {
    const h = this.hash(req);
    const now = this.ctx.now();
    const gone = (name: string, path: string) => setCookie(name, '', { expires: now - YEAR, now, path });
    return [
      gone(`wordpress_${h}`, '/wp-admin'), gone(`wordpress_sec_${h}`, '/wp-admin'),
      gone(`wordpress_${h}`, '/wp-content/plugins'), gone(`wordpress_sec_${h}`, '/wp-content/plugins'),
      gone(`wordpress_logged_in_${h}`, '/'), gone(`wordpress_logged_in_${h}`, '/'),
      gone(`wp-settings-${userId}`, '/'), gone(`wp-settings-time-${userId}`, '/'),
      gone(`wordpress_${h}`, '/'), gone(`wordpress_${h}`, '/'), gone(`wordpress_sec_${h}`, '/'), gone(`wordpress_sec_${h}`, '/'),
      gone(`wordpressuser_${h}`, '/'), gone(`wordpresspass_${h}`, '/'), gone(`wordpressuser_${h}`, '/'), gone(`wordpresspass_${h}`, '/'),
      gone(`wp-postpass_${h}`, '/'),
    ];
  }
}

/** GET shows the login form; POST log/pwd logs in and redirects to redirect_to. */
export function loginPage(req: TokenRequest, sessions: LoginSessions): PageAnswer {
  const html = 'text/html; charset=UTF-8';
  const redirectTo = text(req.post.get('redirect_to')) || text(req.get.get('redirect_to')) || req.site.home('wp-admin/');
  if (req.requestMethod === 'POST') {
    const result = wpAuthenticate(sessions.users(), text(req.post.get('log')), text(req.post.get('pwd')), {
      applicationPasswordsInUse: false, // not an API request: application passwords play no part
      isApiRequest: false,
      isSsl: req.isSsl,
      lostPasswordUrl: req.site.home('my-account/lost-password/'),
    });
    if (!('code' in result)) {
      return {
        status: 302,
        headers: { 'Cache-Control': 'no-cache, must-revalidate, max-age=0', 'Set-Cookie': sessions.loginCookies(req, result), 'X-Redirect-By': 'WordPress', Location: redirectTo, 'Content-Type': html },
        body: '',
      };
    }
    return { status: 200, headers: { 'Cache-Control': 'no-cache, must-revalidate, max-age=0', 'Content-Type': html }, body: formHtml(redirectTo, stripTags(result.message)) };
  }
  return { status: 200, headers: { 'Cache-Control': 'no-cache, must-revalidate, max-age=0', 'Set-Cookie': [setCookie('wordpress_test_cookie', 'WP Cookie check', { now: sessions.now(), path: '/', secure: req.isSsl })], 'Content-Type': html }, body: formHtml(redirectTo) };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formHtml(redirectTo: string, error?: string): string {
  return `<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>Log In &lsaquo; WooCommerce API Studio Sandbox &#8212; WordPress</title></head>
<body class="login">
<div id="login">
<h1>WooCommerce API Studio Sandbox</h1>
${error ? `<div id="login_error">${escape(error)}</div>\n` : ''}<form name="loginform" id="loginform" action="wp-login.php" method="post">
<p><label for="user_login">Username or Email Address</label><input type="text" name="log" id="user_login" autocomplete="username"></p>
<p><label for="user_pass">Password</label><input type="password" name="pwd" id="user_pass" autocomplete="current-password"></p>
<p class="submit"><input type="submit" name="wp-submit" id="wp-submit" value="Log In"><input type="hidden" name="redirect_to" value="${escape(redirectTo)}"><input type="hidden" name="testcookie" value="1"></p>
</form>
</div>
</body></html>
`;
}
