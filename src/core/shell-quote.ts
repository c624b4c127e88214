// Words for a POSIX shell (sh, dash, bash, zsh, ksh), for every command or line the product hands a
// user to paste into a terminal: Copy as cURL, the `export …` lines `woo-api sandbox` prints.
//
// Every piece of literal text goes between single quotes, inside which a POSIX shell gives no
// character a meaning ($, `, \, ", !, newlines included); a single quote itself is written '\''
// (close, an escaped quote, reopen). Environment variables the user is meant to set (credential
// placeholders) stay outside the literal, as "$NAME", so the shell expands them and nothing else.
// Double quotes around literal text are never used: inside them $(…), `…` and \ still act.
//
// Pure: no `vscode`, no I/O.

/** Literal text, or an environment variable the shell should expand (`{ env: 'WOO_TOKEN' }`). */
export type ShellPart = string | { env: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `s` as one single-quoted shell word that the shell reads back byte for byte. */
export function shellQuote(s: string): string {
  return `'${s.split("'").join(`'\\''`)}'`;
}

/**
 * One shell word made of literal text and environment variables, e.g.
 * `'https://shop/?consumer_key='"$WOO_CONSUMER_KEY"` for `['https://shop/?consumer_key=', { env: 'WOO_CONSUMER_KEY' }]`.
 */
export function shellWord(parts: readonly ShellPart[]): string {
  let out = '';
  let literal = '';
  let any = false;
  const flush = () => {
    if (literal !== '') out += shellQuote(literal);
    literal = '';
  };
  for (const part of parts) {
    if (typeof part === 'string') {
      literal += part;
      continue;
    }
    if (!ENV_NAME.test(part.env)) throw new Error(`"${part.env}" is not an environment variable name.`);
    flush();
    out += `"$${part.env}"`;
    any = true;
  }
  flush();
  return out === '' && !any ? "''" : out;
}

/**
 * Splits `text` at every occurrence of the `replacements`' keys, which become the named
 * environment variables; the longest key wins where two start at the same place.
 */
export function withEnvPlaceholders(text: string, replacements: ReadonlyMap<string, string>): ShellPart[] {
  const keys = [...replacements.keys()].filter((k) => k !== '').sort((a, b) => b.length - a.length);
  const parts: ShellPart[] = [];
  let from = 0;
  for (;;) {
    let at = -1;
    let key = '';
    for (const k of keys) {
      const i = text.indexOf(k, from);
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
        key = k;
      }
    }
    if (at < 0) break;
    if (at > from) parts.push(text.slice(from, at));
    parts.push({ env: replacements.get(key)! });
    from = at + key.length;
  }
  if (from < text.length || parts.length === 0) parts.push(text.slice(from));
  return parts;
}
