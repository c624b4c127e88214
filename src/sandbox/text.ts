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

const LINE_END = /[\n\r\u2028\u2029]/;

/**
 * What /&.+?;/g removes: from an `&` to the first `;` at least two characters on, on the same line
 * (`.` stops at line ends). The next `;` and line end are found once per position, from the end.
 */
export function withoutEntities(s: string): string {
  if (!s.includes('&')) return s;
  const nextSemi = new Int32Array(s.length + 1).fill(-1);
  const nextLineEnd = new Int32Array(s.length + 1).fill(s.length);
  for (let i = s.length - 1; i >= 0; i--) {
    nextSemi[i] = s[i] === ';' ? i : nextSemi[i + 1];
    nextLineEnd[i] = LINE_END.test(s[i]) ? i : nextLineEnd[i + 1];
  }
  let out = '';
  let from = 0;
  for (let i = s.indexOf('&'); i >= 0 && i < s.length; i = s.indexOf('&', Math.max(i + 1, from))) {
    if (i < from) continue;
    const semi = i + 2 <= s.length ? nextSemi[i + 2] : -1;
    if (semi < 0 || nextLineEnd[i + 1] < semi) continue;
    out += s.slice(from, i);
    from = semi + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}
