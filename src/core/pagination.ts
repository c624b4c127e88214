// WooCommerce's pagination, read from a collection response: `X-WP-Total`, `X-WP-TotalPages` and
// the `Link` header (rel="next" / "prev"), and the page URLs built from them. "Fetch all pages"
// concatenates the pages' arrays into one.
//
// Pure: no `vscode`.

export interface Pagination {
  /** The page this response is (from the request's `page`, default 1). */
  page: number;
  totalPages?: number;
  total?: number;
  /** From the Link header, credentials removed (the caller re-applies auth). */
  next?: string;
  prev?: string;
}

function header(headers: readonly [string, string][], name: string): string | undefined {
  const n = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

/** The links of a `Link` header, by rel. */
export function parseLinkHeader(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const { url, params } of linkValues(value)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(params)?.[1];
    if (rel) for (const r of rel.trim().split(/\s+/)) out[r.toLowerCase()] = url;
  }
  return out;
}

/**
 * `<url>; a=b; rel="next", <url>; …` as (url, parameters) pairs, by walking the text once. (The
 * pattern /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g it replaces looked for a `>` from every `<`: a header of
 * `<` characters took seconds.) The parameters are each `;` and what follows it up to the next `;`
 * or `,`, for as long as there is something there.
 */
function linkValues(value: string): { url: string; params: string }[] {
  const out: { url: string; params: string }[] = [];
  for (let open = value.indexOf('<'); open >= 0; ) {
    const close = value.indexOf('>', open + 1);
    if (close < 0) break; // no later < has a > either
    let at = close + 1;
    while (at < value.length && /\s/.test(value[at])) at++;
    const paramsStart = at;
    let paramsEnd = at;
    while (value[at] === ';') {
      let next = at + 1;
      while (next < value.length && value[next] !== ';' && value[next] !== ',') next++;
      if (next === at + 1) break; // `;;`, `;,` or a `;` at the end: the parameters end before it
      at = paramsEnd = next;
    }
    out.push({ url: value.slice(open + 1, close), params: value.slice(paramsStart, paramsEnd) });
    open = value.indexOf('<', paramsEnd);
  }
  return out;
}

/** Pagination of a response, or undefined when it is not a paginated collection. */
export function paginationOf(requestUrl: string, headers: readonly [string, string][]): Pagination | undefined {
  const totalPages = Number(header(headers, 'x-wp-totalpages'));
  const total = Number(header(headers, 'x-wp-total'));
  const links = parseLinkHeader(header(headers, 'link'));
  const hasTotals = header(headers, 'x-wp-totalpages') !== undefined && Number.isFinite(totalPages);
  if (!hasTotals && !links.next && !links.prev) return undefined;
  let page = 1;
  try {
    const p = Number(new URL(requestUrl).searchParams.get('page'));
    if (Number.isInteger(p) && p > 0) page = p;
  } catch { /* keep 1 */ }
  return {
    page,
    totalPages: hasTotals ? totalPages : undefined,
    total: header(headers, 'x-wp-total') !== undefined && Number.isFinite(total) ? total : undefined,
    next: links.next,
    prev: links.prev,
  };
}

/** The query table with `page` set to n (added when absent). */
export function withPage<Q extends { name: string; value: string; enabled: boolean }>(query: readonly Q[], page: number): Q[] {
  let found = false;
  const out = query.map((q) => {
    if (q.name.trim() !== 'page') return q;
    found = true;
    return { ...q, value: String(page), enabled: true };
  });
  if (!found) out.push({ name: 'page', value: String(page), enabled: true } as Q);
  return out;
}

/** Pages' JSON arrays as one array; a page that is not an array is a sentence. */
export function concatPages(bodies: readonly string[]): { items: unknown[] } | { problem: string } {
  const items: unknown[] = [];
  for (const [i, text] of bodies.entries()) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { problem: `Page ${i + 1} is not JSON, so the pages cannot be joined.` };
    }
    if (!Array.isArray(value)) return { problem: `Page ${i + 1} is not a JSON array, so the pages cannot be joined.` };
    for (const item of value) items.push(item);
  }
  return { items };
}
