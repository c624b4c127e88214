// The server's clock, from the Date header of one request that needs no credentials: what an
// OAuth 1.0a timestamp must be within 15 minutes of. "Re-send timed by the server's clock" in the
// editor, `--server-clock` in the CLI: sign with this machine's time plus the measured skew.
//
// Pure of `vscode`: the caller passes send().
import type { Exchange, OutgoingRequest, SendOptions } from './send';
import { headerValue } from './headers';
import type { Store } from './store';
import { trimTrailingSlashes, withoutQueryOrFragment } from './url-text';

/**
 * Server clock minus this machine's, in whole seconds, or undefined when the store sent no usable
 * Date header (then the reason is in `error`).
 */
export async function measureClockSkew(
  store: Store,
  sendFn: (req: OutgoingRequest, options: SendOptions) => Promise<Exchange>,
  options: SendOptions = {},
): Promise<{ skewSeconds?: number; error?: string }> {
  const base = trimTrailingSlashes(withoutQueryOrFragment(store.baseUrl));
  const prefix = (store.options?.restPrefix ?? 'wp-json').replace(/^\/+|\/+$/g, '');
  const before = Date.now();
  // The index with one small field: no credentials, and a few bytes whatever the store.
  const ex = await sendFn({ method: 'GET', url: `${base}/${prefix}/?_fields=name`, headers: [['Accept', 'application/json']] }, { timeoutMs: 15_000, userAgent: store.options?.userAgent, ...options, followRedirects: false });
  const after = Date.now();
  if (!ex.response) return { error: ex.error?.message ?? 'The store did not answer.' };
  const date = headerValue(ex.response.headers, 'date');
  if (!date || Number.isNaN(Date.parse(date))) return { error: `${base} sent no Date header, so its clock cannot be read.` };
  // Date is cut to whole seconds: compare with the middle of the exchange, plus half a second.
  return { skewSeconds: Math.round((Date.parse(date) + 500 - (before + after) / 2) / 1000) };
}
