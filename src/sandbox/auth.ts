// Who is the current user? WordPress's `determine_current_user` as it ran on the recorded
// WooCommerce 8.2.2 store (REFERENCE C.1, C.4, C.8; FACTS wins where they differ):
//
//   @15 WooCommerce (WC_REST_Authentication::authenticate), only when REQUEST_URI contains
//       "wp-json/wc/" or "wp-json/wc-" (8.2.2 looks at the URI only, so `?rest_route=` URLs never
//       get key auth: cases 39-41, 61-65; and so it also runs on the plain-permalinks front end,
//       where a valid key logs the user in and adds no-cache headers: cases 59-60):
//         - over HTTPS, Basic auth: $_GET consumer_key/consumer_secret first, else PHP_AUTH_USER/PW.
//           Unknown key: nothing, silently. Known key, wrong secret: "Consumer secret is invalid."
//         - if no user yet, OAuth 1.0a (HTTP and HTTPS) from $_GET ∪ $_POST ∪ the OAuth header.
//   @20 WordPress application passwords: only over HTTPS (production environment), only on REST
//       requests, only with Basic credentials PHP saw, only once any application password exists.
//
// How application-password failures surface was derived from the recordings, not from the source:
//   - on /wp-json/wc/… (WooCommerce's auth ran) a failure is silent: unknown user (cases 7, 10, 49),
//     wrong application password (47), the login password (48) all end as 401 cannot_view, while a
//     valid one works (43, 44; 403 for a customer, 45-46);
//   - where WooCommerce's auth did not run (wp/v2 routes, `?rest_route=` URLs) the error is the
//     answer: invalid_username (39, 58, 62, 65), incorrect_password (57).
import type { WpError } from './errors';
import { MESSAGES, wcAuthError, wpError } from './errors';
import { checkOAuthSignature, getOAuthParameters, NonceStore } from './oauth-verify';
import type { PhpArray } from './php-query';
import { phpBytesToText } from './php-query';
import type { SiteUrls } from './site';
import type { KeyPermissions, SandboxSeedKey } from './types';
import { findUserByEmail, findUserByLogin, isEmail, stripApplicationPassword, type UserRecord } from './users';

/** A row of wp_woocommerce_api_keys, as WC_REST_Authentication keeps it in $this->user. */
export interface KeyRecord {
  keyId: string;
  consumerKey: string;
  consumerSecret: string;
  permissions: KeyPermissions;
  userId: number;
  description: string;
}

/** What PHP put in $_SERVER / $_GET / $_POST for this request. */
export interface AuthRequest {
  isSsl: boolean;
  /** REST_REQUEST: application passwords only apply to API requests. */
  isRestRequest: boolean;
  /** $_SERVER['REQUEST_METHOD'] (the real one, not an _method override). */
  requestMethod: string;
  /** $_SERVER['REQUEST_URI'], raw bytes. */
  requestUri: string;
  get: PhpArray;
  post: PhpArray;
  /** PHP_AUTH_USER / PHP_AUTH_PW, from an `Authorization: Basic` header PHP could decode. */
  phpAuth?: { user: string; password: string };
  /** The Authorization header as PHP sees it (absent when the server strips it). */
  authorizationHeader?: string;
  site: SiteUrls;
  /** Server clock, seconds. */
  now: number;
}

export interface AuthResult {
  /** 0 when nobody is logged in. */
  userId: number;
  /** The key that authenticated the request (WooCommerce's $this->user), for the read/write check. */
  key?: KeyRecord;
  /** What `rest_authentication_errors` returns for a REST request. */
  error?: WpError;
}

/** sanitize_text_field() as WooCommerce applies it to a consumer key before the lookup. */
function sanitizeTextField(value: string): string {
  let s = value;
  if (s.includes('<')) s = s.replace(/<[^>]*>?/g, '');
  s = s.replace(/[\r\n\t ]+/g, ' ').trim();
  let found = false;
  while (/%[a-f0-9]{2}/i.test(s)) {
    s = s.replace(/%[a-f0-9]{2}/i, '');
    found = true;
  }
  if (found) s = s.replace(/ +/g, ' ').trim();
  return s;
}

/** PHP's `! $x` / empty() for a request value. */
const phpEmpty = (v: string | PhpArray | undefined): boolean => v === undefined || (typeof v === 'string' ? v === '' || v === '0' : v.size === 0);

/** True when 8.2.2's is_request_to_rest_api() says yes: a plain substring test on REQUEST_URI. */
export function isRequestToWooCommerceApi(requestUri: string): boolean {
  return requestUri.includes('wp-json/wc/') || requestUri.includes('wp-json/wc-');
}

export class Authenticator {
  private readonly keysByConsumerKey = new Map<string, KeyRecord>();
  private readonly nonces = new NonceStore();

  constructor(
    keys: SandboxSeedKey[],
    private readonly users: () => Iterable<UserRecord>,
  ) {
    keys.forEach((k, i) => {
      this.keysByConsumerKey.set(k.consumer_key, {
        keyId: String(i + 1),
        consumerKey: k.consumer_key,
        consumerSecret: k.consumer_secret,
        permissions: k.permissions,
        userId: k.user_id,
        description: k.description ?? '',
      });
    });
  }

  /** get_user_data_by_consumer_key(): lookup of wc_api_hash( sanitize_text_field( $ck ) ). */
  private keyFor(consumerKey: string | PhpArray): KeyRecord | undefined {
    if (typeof consumerKey !== 'string') return undefined; // sanitize_text_field( array ) is ''
    const key = this.keysByConsumerKey.get(sanitizeTextField(consumerKey));
    // A key whose user is gone does not authenticate (WC docs: keys stop working then).
    if (key && !this.userById(key.userId)) return undefined;
    return key;
  }

  userById(id: number): UserRecord | undefined {
    for (const u of this.users()) if (u.id === id) return u;
    return undefined;
  }

  private applicationPasswordsInUse(): boolean {
    // WP_Application_Passwords::is_in_use(): set once any application password was ever created.
    for (const u of this.users()) if (u.applicationPasswords.length > 0) return true;
    return false;
  }

  authenticate(req: AuthRequest): AuthResult {
    let userId = 0;
    let wcError: WpError | undefined;
    let wcKey: KeyRecord | undefined;
    const setError = (error: WpError): void => {
      wcError = error;
      wcKey = undefined; // set_error() resets $this->user
    };

    const wooCommerceRan = isRequestToWooCommerceApi(req.requestUri);
    if (wooCommerceRan) {
      // perform_basic_authentication(), HTTPS only.
      if (req.isSsl) {
        let consumerKey: string | PhpArray = '';
        let consumerSecret: string | PhpArray = '';
        if (!phpEmpty(req.get.get('consumer_key')) && !phpEmpty(req.get.get('consumer_secret'))) {
          consumerKey = req.get.get('consumer_key')!;
          consumerSecret = req.get.get('consumer_secret')!;
        }
        if (phpEmpty(consumerKey) && req.phpAuth && !phpEmpty(req.phpAuth.user) && !phpEmpty(req.phpAuth.password)) {
          consumerKey = req.phpAuth.user;
          consumerSecret = req.phpAuth.password;
        }
        if (!phpEmpty(consumerKey) && !phpEmpty(consumerSecret)) {
          const key = this.keyFor(consumerKey);
          wcKey = key;
          if (key) {
            if (typeof consumerSecret === 'string' && consumerSecret === key.consumerSecret) {
              userId = key.userId;
            } else {
              // hash_equals( $stored, array ) would be a TypeError; a wrong string is the message.
              setError(wcAuthError(MESSAGES.consumerSecretInvalid));
            }
          }
        }
      }
      // perform_oauth_authentication(), when Basic did not log anyone in.
      if (!userId) {
        const oauth = getOAuthParameters(req.get, req.post, req.authorizationHeader);
        if (oauth.kind === 'error') {
          setError(oauth.error);
        } else if (oauth.kind === 'params') {
          const key = this.keyFor(oauth.params.get('oauth_consumer_key')!);
          wcKey = key;
          if (!key) {
            setError(wcAuthError(MESSAGES.consumerKeyInvalid));
          } else {
            // The signature first; only a correctly signed request gets its timestamp and nonce
            // checked (and its nonce remembered): REFERENCE C.2 "checked after the signature".
            const error =
              checkOAuthSignature(key.consumerSecret, oauth.params, req.requestMethod, req.requestUri, req.isSsl, req.site) ??
              this.nonces.check(key.keyId, oauth.params.get('oauth_timestamp')!, oauth.params.get('oauth_nonce')!, req.now);
            if (error) setError(error);
            else userId = key.userId;
          }
        }
      }
    }

    // wp_validate_application_password() @20.
    let applicationPasswordError: WpError | undefined;
    if (!userId && req.isSsl && req.isRestRequest && req.phpAuth && this.applicationPasswordsInUse()) {
      const outcome = this.applicationPassword(req.phpAuth.user, req.phpAuth.password);
      if ('user' in outcome) userId = outcome.user.id;
      else applicationPasswordError = outcome.error;
    }

    // rest_authentication_errors: WooCommerce's stored error @15, then core's @90 (which, as
    // recorded, never shows on a route WooCommerce authenticated; see the header comment).
    const error = wcError ?? (wooCommerceRan ? undefined : applicationPasswordError);
    return { userId, key: wcError ? undefined : wcKey, error };
  }

  /** wp_authenticate_application_password(). */
  private applicationPassword(rawUser: string, rawPassword: string): { user: UserRecord } | { error: WpError } {
    const username = phpBytesToText(rawUser);
    let user = findUserByLogin(this.users(), username);
    if (!user && isEmail(username)) user = findUserByEmail(this.users(), username);
    if (!user) {
      return isEmail(username)
        ? { error: wpError('invalid_email', MESSAGES.invalidEmail, 401) }
        : { error: wpError('invalid_username', MESSAGES.invalidUsername, 401) };
    }
    const given = stripApplicationPassword(rawPassword);
    if (given && user.applicationPasswords.includes(given)) return { user };
    return { error: wpError('incorrect_password', MESSAGES.incorrectPassword, 401) };
  }
}
