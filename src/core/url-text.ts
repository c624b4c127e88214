// Small cuts of URL text, done by walking the string once. The regular expressions they replace
// (`/\/+$/`, `/[?#].*$/`) backtrack: on a run of slashes that does not end the text, or on a
// store's Home URL made of question marks and a line break, every starting point rescans the rest,
// and 100,000 characters took over half a minute. The text is often someone else's (a store's
// /wp-json/ index, a response's Link header).
//
// Pure: no `vscode`, no I/O. (The sandbox keeps its own copy: it must not import the client.)

/** `s` without the slashes it ends with. */
export function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x2f) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without the slashes it starts or ends with. */
export function trimSlashes(s: string): string {
  let start = 0;
  while (start < s.length && s.charCodeAt(start) === 0x2f) start++;
  return trimTrailingSlashes(s.slice(start));
}

/** `s` up to its first `?` or `#` (the query and the fragment cut off). */
export function withoutQueryOrFragment(s: string): string {
  const q = s.indexOf('?');
  const h = s.indexOf('#');
  const cut = q < 0 ? h : h < 0 ? q : Math.min(q, h);
  return cut < 0 ? s : s.slice(0, cut);
}

/**
 * The https:// addresses an http:// address might move to, the first the default: no port (HTTPS's
 * own 443), then 8443, then the same port. An http:// address without a port moves to https:// with
 * none, and there is nothing to ask: `ask` is false. The path, query and fragment are kept.
 */
export function httpsCandidates(url: string): { ask: boolean; port?: string; candidates: { url: string; port?: string }[] } {
  const u = new URL(url);
  const port = u.port;
  const at = (p: string | undefined) => {
    const v = new URL(url);
    v.protocol = 'https:';
    v.port = p ?? '';
    return { url: v.href.replace(/\/$/, url.endsWith('/') ? '/' : ''), port: p };
  };
  if (u.protocol !== 'http:' || port === '') return { ask: false, candidates: [at(undefined)] };
  const ports = [undefined, '8443', port].filter((p, i, all) => all.indexOf(p) === i && p !== '443');
  return { ask: true, port, candidates: ports.map(at) };
}

/** `url` on https:// with `port` (undefined or '': no port). */
export function withHttpsPort(url: string, port: string | undefined): string {
  const v = new URL(url);
  v.protocol = 'https:';
  v.port = port ?? '';
  return v.href.replace(/\/$/, url.endsWith('/') ? '/' : '');
}
