// The probe that tells apart the silent refusals of a token: the store's token plugin is asked about
// the very token that was refused, at its own endpoint, which changes nothing: Tmeister's and Useful
// Team's POST …/jwt-auth/v1/token/validate name the problem (expired, obsolete, forged, header not
// found); OAuth introspection says "active" or "Invalid token", and asked a second time with the
// token in a form body (which no server strips) it tells a stripped header from a dead token.
//
// Pure of `vscode`: the caller passes the transport (core/send.ts).

import { checkToken, type TokenTransport } from '../auth/token-client';
import { jwtEndpoints } from '../auth/token-detect';
import type { Store, TokenPlugin } from '../store';
import { explainExchange, type ExplainInput, type Finding } from './explain';
import type { TokenProbeFacts } from './token-evidence';
import { trimTrailingSlashes, withoutQueryOrFragment } from '../url-text';

/** Where a plugin checks tokens: its validate endpoint, or OAuth introspection. */
export function validateUrlOf(store: Store, plugin: TokenPlugin | undefined): string {
  if (store.token?.validateUrl) return store.token.validateUrl;
  if (plugin === 'tmeister' || plugin === 'useful-team' || (plugin === undefined && store.authMethod === 'jwt')) return jwtEndpoints(store).validateUrl;
  return `${trimTrailingSlashes(withoutQueryOrFragment(store.baseUrl))}/oauth/introspection/`;
}

export async function probeToken(t: TokenTransport, o: { store: Store; plugin?: TokenPlugin; token: string }): Promise<TokenProbeFacts> {
  const url = validateUrlOf(o.store, o.plugin);
  const first = await checkToken(t, { url, token: o.token });
  const facts: TokenProbeFacts = { endpoint: url, status: first.status, code: first.code, message: first.message, active: first.active };
  const oauth = !/\/jwt-auth\//.test(url);
  if (oauth && first.active !== true) {
    const body = await checkToken(t, { url, token: o.token, inBody: true });
    facts.viaBody = { status: body.status, code: body.code, message: body.message, active: body.active };
  }
  return facts;
}

/**
 * explainExchange, and when a token was refused without a certain cause, the same with what the
 * plugin's own check says about that token (`probe` sends it, with the token the caller holds).
 */
export async function explainWithTokenProbe(input: ExplainInput, probe: (() => Promise<TokenProbeFacts | undefined>) | undefined): Promise<Finding[]> {
  const first = explainExchange(input);
  if (!probe || !input.token?.sent || first[0]?.confidence === 'certain') return first;
  const facts = await probe().catch(() => undefined);
  if (!facts) return first;
  return explainExchange({ ...input, token: { ...input.token, probe: facts } });
}
