// Cuts the sandbox makes in text that arrives over the network (request paths, login names), by
// walking the text once. PHP's rtrim()/trim() with a character list, written as regular
// expressions (/\/+$/, /[/\\]+$/), were retried from every character of a long run; a request path
// of 16 KB of slashes took seconds. (The client has its own copies in src/core/url-text.ts: the
// sandbox never imports the client's code.)

/** PHP's rtrim($s, $chars). */
export function trimEnd(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** PHP's trim($s, $chars). */
export function trimBoth(s: string, chars: string): string {
  let start = 0;
  while (start < s.length && chars.includes(s[start])) start++;
  return trimEnd(s.slice(start), chars);
}

/** What /<[^>]*>/g removes: each `<` up to the next `>`; text after a `<` with no `>` stays. */
export function withoutTags(s: string): string {
  let out = '';
  let from = 0;
  for (let open = s.indexOf('<'); open >= 0; open = s.indexOf('<', from)) {
    const close = s.indexOf('>', open + 1);
    if (close < 0) break; // no later < has a > either
    out += s.slice(from, open);
    from = close + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * What /&.+?;/g removes: from an `&` to the first `;` at least two characters on, on the same line
 * (`.` stops at line ends). The next `;` and line end are found once per position, from the end.
 */
export function withoutEntities(s: string): string {
  const first = s.indexOf('&');
  if (first < 0) return s;
  const n = s.length;
  const nextSemi = new Int32Array(n + 1);
  const nextLineEnd = new Int32Array(n + 1);
  nextSemi[n] = -1;
  nextLineEnd[n] = n;
  for (let i = n - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    nextSemi[i] = c === 0x3b ? i : nextSemi[i + 1];
    nextLineEnd[i] = c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029 ? i : nextLineEnd[i + 1];
  }
  const kept: string[] = [];
  let from = 0;
  for (let i = first; i < n; i++) {
    if (s.charCodeAt(i) !== 0x26 /* & */) continue;
    const semi = i + 2 <= n ? nextSemi[i + 2] : -1;
    if (semi < 0 || nextLineEnd[i + 1] < semi) continue;
    kept.push(s.slice(from, i));
    from = semi + 1;
    i = semi;
  }
  return from === 0 ? s : kept.join('') + s.slice(from);
}
