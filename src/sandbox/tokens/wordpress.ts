// The WordPress pieces the token plugins call: wp_authenticate() (user name or email + password,
// with application passwords taking over on API requests), PHP's $_COOKIE and setcookie(), and
// the login messages, word for word as WordPress 6.4.1 + WooCommerce 8.2.2 answered them
// (observed-token-plugins.json cases tm.token.*, ut.token.*).
import type { WpError } from '../errors';
import { wpError } from '../errors';
import { phpUrldecode } from '../php-query';
import { findUserByEmail, findUserByLogin, isEmail, stripApplicationPassword, type UserRecord } from '../users';

export interface LoginContext {
  /** Application passwords exist on the site (WP_Application_Passwords::is_in_use()). */
  applicationPasswordsInUse: boolean;
  /** REST_REQUEST: application passwords only take part in API requests. */
  isApiRequest: boolean;
  /** is_ssl(): application passwords are only available over HTTPS. */
  isSsl: boolean;
  /** wp_lostpassword_url(), which WooCommerce points at My Account. */
  lostPasswordUrl: string;
}

const ERROR = '<strong>Error:</strong>';
export const LOGIN_MESSAGES = {
  emptyUsername: `${ERROR} The username field is empty.`,
  emptyPassword: `${ERROR} The password field is empty.`,
  unknownUsername: `${ERROR} Unknown username. Check again or try your email address.`,
  unknownEmail: `${ERROR} Unknown email address. Check again or try your username.`,
  notAvailable: 'Application passwords are not available.',
  invalidApplicationPassword: 'The provided password is an invalid application password.',
  failed: `${ERROR} Invalid username, email address or incorrect password.`,
};

/** PHP's empty() for a request value. */
const empty = (v: unknown): boolean => v === undefined || v === null || v === '' || v === '0' || v === false || v === 0;

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * wp_authenticate( $username, $password ): the user, or the WP_Error of the first filter that
 * refused (errors carry one code; an empty user name and password carry two, the first wins).
 */
export function wpAuthenticate(users: Iterable<UserRecord>, rawUsername: unknown, rawPassword: unknown, ctx: LoginContext): UserRecord | WpError {
  const list = [...users];
  const username = text(rawUsername).replace(/<[^>]*>/g, '').trim();
  const password = text(rawPassword).trim();

  // wp_authenticate_username_password @20
  let result: UserRecord | WpError | undefined = usernamePassword(list, username, password, ctx);
  // wp_authenticate_email_password @20: only when the first found no user and the name is an email.
  if (!(result && 'login' in result) && !empty(username) && !empty(password) && isEmail(username) && (result === undefined || result.code === 'invalid_username')) {
    const user = findUserByEmail(list, username);
    if (!user) result = wpError('invalid_email', LOGIN_MESSAGES.unknownEmail);
    else if (user.loginPassword !== undefined && user.loginPassword === password) result = user;
    else result = wpError('incorrect_password', `${ERROR} The password you entered for the email address <strong>${username}</strong> is incorrect. <a href="${ctx.lostPasswordUrl}">Lost your password?</a>`);
  }
  // wp_authenticate_application_password @20: on API requests once the site uses them, it has the last word.
  if (!(result && 'login' in result) && ctx.applicationPasswordsInUse && ctx.isApiRequest) {
    result = applicationPassword(list, username, password, ctx) ?? result;
  }
  return result ?? wpError('authentication_failed', LOGIN_MESSAGES.failed);
}

function usernamePassword(users: UserRecord[], username: string, password: string, ctx: LoginContext): UserRecord | WpError {
  if (empty(username) || empty(password)) {
    return empty(username) ? wpError('empty_username', LOGIN_MESSAGES.emptyUsername) : wpError('empty_password', LOGIN_MESSAGES.emptyPassword);
  }
  const user = findUserByLogin(users, username);
  if (!user) {
    return wpError('invalid_username', `${ERROR} The username <strong>${username}</strong> is not registered on this site. If you are unsure of your username, try your email address instead.`);
  }
  if (user.loginPassword !== undefined && user.loginPassword === password) return user;
  return wpError('incorrect_password', `${ERROR} The password you entered for the username <strong>${username}</strong> is incorrect. <a href="${ctx.lostPasswordUrl}">Lost your password?</a>`);
}

/** wp_authenticate_application_password(): its own error replaces the login errors before it. */
function applicationPassword(users: UserRecord[], username: string, password: string, ctx: LoginContext): UserRecord | WpError {
  let user = findUserByLogin(users, username);
  if (!user && isEmail(username)) user = findUserByEmail(users, username);
  if (!user) return isEmail(username) ? wpError('invalid_email', LOGIN_MESSAGES.unknownEmail) : wpError('invalid_username', LOGIN_MESSAGES.unknownUsername);
  if (!ctx.isSsl) return wpError('application_passwords_disabled', LOGIN_MESSAGES.notAvailable);
  const given = stripApplicationPassword(password);
  if (given && user.applicationPasswords.includes(given)) return user;
  return wpError('incorrect_password', LOGIN_MESSAGES.invalidApplicationPassword);
}

/** WP_Error::get_error_message() of a login error, with wp_strip_all_tags() for the plugins that strip. */
export function stripTags(message: string): string {
  return message.replace(/<[^>]*>/g, '').trim();
}

// ---------------------------------------------------------------------------------------------
// Cookies

/** $_COOKIE: `a=1; b=2`, values urldecode()d; the first of two same-named cookies wins (PHP keeps the first). */
export function phpCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (!name || out.has(name)) continue;
    out.set(name, phpUrldecode(part.slice(eq + 1).trim()));
  }
  return out;
}

/** setcookie( $name, $value, $expires, $path, '', $secure, $httponly ) as PHP 8 writes the header (the value rawurlencode()d). */
export function setCookie(name: string, value: string, o: { expires?: number; now: number; path?: string; secure?: boolean; httpOnly?: boolean }): string {
  const parts = [`${name}=${value === '' ? ' ' : phpRawurlencode(value)}`];
  if (o.expires !== undefined) {
    parts.push(`expires=${new Date(o.expires * 1000).toUTCString()}`);
    parts.push(`Max-Age=${Math.max(0, o.expires - o.now)}`);
  }
  parts.push(`path=${o.path ?? '/'}`);
  if (o.secure) parts.push('secure');
  if (o.httpOnly) parts.push('HttpOnly');
  return parts.join('; ');
}

/** PHP urlencode() of a text (UTF-8), for URLs WordPress builds (redirect_to, …): a space is "+". */
export function phpUrlencode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

/** rawurlencode(): letters, digits and -_.~ stay, a space is %20. */
export function phpRawurlencode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** sanitize_text_field(): tags out, whitespace runs to one space, trimmed, %XX octets out. */
export function sanitizeTextField(value: string): string {
  let s = value.replace(/<[^>]*>?/g, '').replace(/[\r\n\t ]+/g, ' ').trim();
  if (/%[a-f0-9]{2}/i.test(s)) s = s.replace(/%[a-f0-9]{2}/gi, '').replace(/ +/g, ' ').trim();
  return s;
}

/**
 * `[ $token ] = sscanf( $auth, 'Bearer %s' )`: the literal word "Bearer" (case matters), any
 * whitespace, then the first run of non-space characters; null when there is none.
 */
export function sscanfBearer(header: string): string | null {
  if (!header.startsWith('Bearer')) return null;
  const m = /^\s*(\S+)/.exec(header.slice('Bearer'.length));
  return m ? m[1]! : null;
}
