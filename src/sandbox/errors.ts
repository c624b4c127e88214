// WP_Error as the REST API serialises it: {code, message, data} with data.status as the HTTP
// status (rest_convert_error_to_response). Every message a client can see is spelled here once,
// word for word as WooCommerce 8.2.2 / WordPress 6.4.1 answered (FACTS.md wins over REFERENCE.md:
// "<strong>Error:</strong>" has the colon inside the tag, as recorded).

export interface WpError {
  code: string;
  message: string;
  /** Serialised as-is; null when WordPress attaches no data (e.g. rest_not_in_enum). */
  data: { status?: number; [key: string]: unknown } | null;
}

export function wpError(code: string, message: string, status?: number, extra: Record<string, unknown> = {}): WpError {
  return { code, message, data: status === undefined && Object.keys(extra).length === 0 ? null : { ...(status === undefined ? {} : { status }), ...extra } };
}

export function isWpError(value: unknown): value is WpError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && 'data' in value && !Array.isArray(value);
}

export function errorStatus(error: WpError): number {
  const status = error.data?.status;
  return typeof status === 'number' ? status : 500;
}

/** Messages, grouped by who raises them. */
export const MESSAGES = {
  // WC_REST_Authentication (REFERENCE C.2)
  consumerSecretInvalid: 'Consumer secret is invalid.',
  consumerKeyInvalid: 'Consumer key is invalid.',
  sortFailed: 'Invalid signature - failed to sort parameters.',
  signatureMethodInvalid: 'Invalid signature - signature method is invalid.',
  signatureMismatch: 'Invalid signature - provided signature does not match.',
  timestampInvalid: 'Invalid timestamp.',
  nonceUsed: 'Invalid nonce - nonce has already been used.',
  noReadPermission: 'The API key provided does not have read permissions.',
  noWritePermission: 'The API key provided does not have write permissions.',
  unknownMethod: 'Unknown request method.',
  // WordPress application passwords (C.4; wording as recorded in cases 39, 57, 58)
  invalidUsername: '<strong>Error:</strong> Unknown username. Check again or try your email address.',
  invalidEmail: '<strong>Error:</strong> Unknown email address. Check again or try your username.',
  incorrectPassword: 'The provided password is an invalid application password.',
  // WooCommerce controllers (C.3)
  cannotList: 'Sorry, you cannot list resources.',
  cannotView: 'Sorry, you cannot view this resource.',
  cannotCreate: 'Sorry, you are not allowed to create resources.',
  cannotEdit: 'Sorry, you are not allowed to edit this resource.',
  cannotDelete: 'Sorry, you are not allowed to delete this resource.',
  cannotBatch: 'Sorry, you are not allowed to batch manipulate this resource.',
  // WordPress REST server
  noRoute: 'No route was found matching the URL and request method.',
  invalidJson: 'Invalid JSON body passed.',
  notLoggedIn: 'You are not currently logged in.',
  forbidden: 'Sorry, you are not allowed to do that.',
} as const;

export function missingOAuthParameters(names: string[]): WpError {
  // _n( 'Missing OAuth parameter %s', 'Missing OAuth parameters %s', count ) with ', ' between.
  const message = `${names.length === 1 ? 'Missing OAuth parameter' : 'Missing OAuth parameters'} ${names.join(', ')}`;
  return wpError('woocommerce_rest_authentication_missing_parameter', message, 401);
}

export const wcAuthError = (message: string): WpError => wpError('woocommerce_rest_authentication_error', message, 401);
