// Secrets written in clear text in a file (.http, .rest, .env): WooCommerce consumer keys and
// secrets, and WordPress application passwords in the form WordPress shows them.
//
// Pure: no `vscode`.

export type SecretKind = 'consumer-key' | 'consumer-secret' | 'application-password';

export interface PlaintextSecret {
  kind: SecretKind;
  value: string;
  line: number;
  start: number;
  end: number;
  /** How it is used on that line, when recognisable: the edit that removes it can then remove the construct. */
  context: 'query-param' | 'basic-header' | 'variable' | 'dotenv' | 'other';
  /** For query-param: the span of the whole `name=value` pair including its leading `?`/`&` separator. */
  pairStart?: number;
  pairEnd?: number;
}

const PATTERNS: [SecretKind, RegExp][] = [
  ['consumer-key', /\bck_[0-9a-f]{40}\b/g],
  ['consumer-secret', /\bcs_[0-9a-f]{40}\b/g],
  // WordPress shows application passwords as six groups of four letters and digits.
  ['application-password', /(?<![A-Za-z0-9])[A-Za-z0-9]{4}(?: [A-Za-z0-9]{4}){5}(?![A-Za-z0-9])/g],
];

export function findPlaintextSecrets(text: string, fileKind: 'http' | 'dotenv'): PlaintextSecret[] {
  const out: PlaintextSecret[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, line) => {
    if (!/ck_|cs_|[A-Za-z0-9]{4} [A-Za-z0-9]{4}/.test(lineText)) return; // cheap pre-check: most lines hold none
    for (const [kind, re] of PATTERNS) {
      re.lastIndex = 0;
      for (let m = re.exec(lineText); m; m = re.exec(lineText)) {
        if (kind === 'application-password' && !/\d/.test(m[0])) continue; // six words of prose are not a password
        const found: PlaintextSecret = { kind, value: m[0], line, start: m.index, end: m.index + m[0].length, context: 'other' };
        classify(found, lineText, fileKind);
        out.push(found);
      }
    }
  });
  return out;
}

function classify(s: PlaintextSecret, lineText: string, fileKind: 'http' | 'dotenv'): void {
  if (fileKind === 'dotenv') { s.context = 'dotenv'; return; }
  const before = lineText.slice(0, s.start);
  const param = /([?&])(consumer_key|consumer_secret|oauth_consumer_key)=$/.exec(before);
  if (param) {
    s.context = 'query-param';
    s.pairStart = s.start - param[0].length;
    s.pairEnd = s.end;
    return;
  }
  if (/^\s*authorization\s*:\s*basic\s/i.test(lineText)) { s.context = 'basic-header'; return; }
  if (/^\s*@[\w.-]+\s*=/.test(lineText)) { s.context = 'variable'; return; }
}
