// Told apart before the explainer is loaded (front.ts), and by the explainer itself.
import type { Exchange } from '../send';

/** A 2xx without redirects whose body is not an HTML page: nothing went wrong to explain. */
export function plainSuccess(exchange: Exchange): boolean {
  const r = exchange.response;
  if (!r || r.status < 200 || r.status >= 300 || exchange.redirects.length > 0) return false;
  const type = (r.contentType ?? r.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '').toLowerCase();
  return !/html/.test(type) && !/^\s*</.test(Buffer.from(r.body.subarray(0, 512)).toString('utf8'));
}
