// What the explainer may know about the token behind a refused request, none of it secret: where
// the token travelled and how its header was written (scheme word, one place or two), its shape
// and claims, when the client expected it to expire and where it was obtained, what the plugin's
// own validate/introspection endpoint said about it (a probe), and, for an exchange with a token
// endpoint, the client's side of the OAuth flow (PKCE, the code's age, the device).
//
// Pure: no `vscode`, no I/O (the probe itself is in token-probe.ts).

import { tokenShape, type TokenShape } from '../auth/token-claims';
import type { PlainRequest } from '../auth/apply';
import type { TokenPlugin } from '../store';

export interface SentToken {
  /** Every place a token was found: the Authorization header, the query string, a form body. */
  places: ('header' | 'query' | 'body')[];
  /** The Authorization header's scheme word as written ("Bearer", "bearer"), when a token went there. */
  scheme?: string;
  /** The query or body parameter name (access_token, token). */
  parameter?: string;
  shape: TokenShape;
}

export interface TokenProbeFacts {
  /** The endpoint asked (validate or introspection). */
  endpoint: string;
  status: number;
  code?: string;
  message?: string;
  active?: boolean;
  /** The same token asked about as access_token in a form body (no server strips a body). */
  viaBody?: { status: number; code?: string; message?: string; active?: boolean };
}

export interface OAuthFlowFacts {
  grant: 'authorization_code' | 'refresh_token' | 'password' | 'client_credentials' | 'jwt-login' | 'refresh-cookie';
  /** Seconds between the code's arrival and its exchange. */
  codeAgeSeconds?: number;
  /** The authorize request carried a PKCE challenge with this method. */
  pkceMethod?: 'S256' | 'plain';
  verifierSent?: boolean;
  /** This code was exchanged before. */
  codeUsedBefore?: boolean;
  /** Useful Team: the device sent with the refresh cookie, and the one the cookie was issued to. */
  device?: string;
  cookieDevice?: string;
  /** The refresh credential was sent where the plugin does not read it (Useful Team: in the body, not as a cookie). */
  refreshInBody?: boolean;
  /** OAuth: the client that obtained the refresh token, and the one using it. */
  issuedToClient?: string;
  clientId?: string;
}

export interface TokenEvidence {
  plugin?: TokenPlugin;
  sent?: SentToken;
  /** When the client expected the store's token to expire (ISO). */
  expiresAt?: string;
  /** The address the token was obtained from (its site URL, which Tmeister's iss must match). */
  obtainedFrom?: string;
  probe?: TokenProbeFacts;
  flow?: OAuthFlowFacts;
}

const TOKEN_PARAMS = ['access_token', 'token'];

/** Where the request carries a token, read from the request as it goes on the wire (unmasked). */
export function sentTokenOf(req: Pick<PlainRequest, 'url' | 'headers' | 'body'>): SentToken | undefined {
  const places: SentToken['places'] = [];
  let scheme: string | undefined;
  let parameter: string | undefined;
  let token: string | undefined;
  const auth = req.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1]?.trim();
  const m = auth ? /^([A-Za-z][\w-]*)(?:\s+(\S*))?/.exec(auth) : null;
  if (m && m[1]!.toLowerCase() === 'bearer') {
    places.push('header');
    scheme = m[1];
    token = m[2] ?? '';
  }
  let url: URL | undefined;
  try {
    url = new URL(req.url);
  } catch {
    url = undefined;
  }
  const inQuery = TOKEN_PARAMS.find((p) => url?.searchParams.get(p));
  if (inQuery) {
    places.push('query');
    parameter = inQuery;
    token ??= url!.searchParams.get(inQuery)!;
  }
  const type = req.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  if (typeof req.body === 'string' && /x-www-form-urlencoded/i.test(type)) {
    const form = new URLSearchParams(req.body);
    const inBody = TOKEN_PARAMS.find((p) => form.get(p));
    if (inBody) {
      places.push('body');
      parameter ??= inBody;
      token ??= form.get(inBody)!;
    }
  }
  if (!places.length) return undefined;
  return { places, scheme, parameter, shape: tokenShape(token) };
}
