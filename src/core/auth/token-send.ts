// Sending with a token store's manager, shared by the two paths that send (runRequest for .http
// files and the CLI, runRunnerRequest for the runner panel): a fresh token applied before sending,
// and after an answer that refuses it the way an expired token is refused, one renewal and one
// more send, both attempts kept.
//
// Pure of `vscode`.

import type { Exchange } from '../send';
import { applyStoreAuth, AuthNotApplied, type AppliedAuth, type ApplyOptions, type PlainRequest } from './apply';
import type { TokenManager, TokenRenewal } from './token-manager';
import { TokenRenewalError } from './token-manager';

/** The store's credentials applied with a token that is fresh (renewed first when needed). Throws TokenRenewalError or AuthNotApplied. */
export async function applyFreshToken(plain: PlainRequest, manager: TokenManager, renewals: TokenRenewal[], options?: ApplyOptions): Promise<AppliedAuth> {
  const fresh = await manager.fresh();
  if (fresh.renewal) renewals.push(fresh.renewal);
  return applyStoreAuth(plain, manager.current, fresh.secrets, options);
}

/**
 * After the first answer: when it refuses the token as expired (and the token was not just obtained
 * for this request), renews once and sends once more with `resend`.
 */
export async function resendAfterExpiredToken(
  first: { exchange: Exchange; applied: AppliedAuth },
  o: { plain: PlainRequest; manager: TokenManager; renewals: TokenRenewal[]; options?: ApplyOptions; signal?: AbortSignal; resend: (applied: AppliedAuth) => Promise<Exchange> },
): Promise<{ exchange: Exchange; applied: AppliedAuth; firstAttempt?: Exchange }> {
  if (o.renewals.length > 0 || o.signal?.aborted || !o.manager.isExpiredTokenAnswer(first.exchange)) return first;
  const auth = first.applied.request.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1];
  const used = auth ? /^Bearer\s+(\S+)/i.exec(auth)?.[1] : undefined;
  try {
    const again = await o.manager.afterRejection(used);
    if (again.renewal) o.renewals.push(again.renewal);
    const applied = applyStoreAuth(o.plain, o.manager.current, again.secrets, o.options);
    return { exchange: await o.resend(applied), applied, firstAttempt: first.exchange };
  } catch (err) {
    if (err instanceof TokenRenewalError) {
      o.renewals.push(err.renewal);
      return first;
    }
    if (err instanceof AuthNotApplied) return first;
    throw err;
  }
}
