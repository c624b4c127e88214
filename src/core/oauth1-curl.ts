// Copy as cURL for an OAuth 1.0a store. curl cannot sign OAuth 1.0a, and a copied signature is good
// for one request within 15 minutes (WooCommerce's nonce and timestamp checks). So the command
// signs when it runs: a short `node -e` script reads $WOO_CONSUMER_KEY and $WOO_CONSUMER_SECRET,
// builds WooCommerce's base string (method, the signed base URL, the sorted parameters), signs it
// and prints the URL that curl then fetches. Every literal is single-quoted (shell-quote.ts); the
// script holds no single quote. When the request is beyond the script (a query PHP would reshape,
// a signed form body), the one-shot command is copied and said to be one.
//
// Pure: no `vscode`, no I/O.
import { oauth1BaseUrl, simpleQueryPairs, type OAuthSignatureMethod } from './auth/oauth1';
import { shellQuote, shellWord } from './shell-quote';

/**
 * The script. argv: method, signed base URL, the URL to send (without oauth_ parameters), signature
 * method. Prints the signed URL. rawurlencode() is encodeURIComponent plus ! ' ( ) *.
 */
export const OAUTH1_SIGN_SCRIPT = [
  "const c=require('crypto'),[m,b,u,s]=process.argv.slice(1),k=process.env.WOO_CONSUMER_KEY,x=process.env.WOO_CONSUMER_SECRET;",
  "if(!k||!x){console.error('Set WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET first.');process.exit(1)}",
  "const e=v=>encodeURIComponent(v).replace(/[!()*\\x27]/g,h=>'%'+h.charCodeAt(0).toString(16).toUpperCase()),U=new URL(u);",
  "const o=[['oauth_consumer_key',k],['oauth_nonce',c.randomBytes(16).toString('hex')],['oauth_signature_method',s],['oauth_timestamp',String(Math.floor(Date.now()/1e3))]];",
  "const p=[...U.searchParams,...o].sort((a,z)=>a[0]<z[0]?-1:a[0]>z[0]?1:0);",
  "const t=m+'&'+e(b)+'&'+p.map(([n,v])=>e(n+'='+e(v))).join('%26');",
  "o.push(['oauth_signature',c.createHmac(s==='HMAC-SHA1'?'sha1':'sha256',x+'&').update(t).digest('base64')]);",
  'for(const[n,v]of o)U.searchParams.append(n,v);console.log(U.href)',
].join('');

export interface OAuth1CurlInput {
  method: string;
  /** The URL as it goes on the wire, oauth_ parameters included or not (they are dropped). */
  url: string;
  /** Headers besides the OAuth ones (an `Authorization: OAuth …` header is dropped). */
  headers: [string, string][];
  body?: string;
  /** A form body that would be signed (POST with form fields): beyond the script. */
  signedForm?: boolean;
  homeUrl?: string;
  signatureMethod?: OAuthSignatureMethod;
}

/** The URL without its oauth_ parameters; undefined when its query is not one the script signs as PHP would. */
export function unsignedUrl(url: string): string | undefined {
  const u = new URL(url);
  const kept = u.search.slice(1).split('&').filter((t) => t !== '' && !/^oauth_(consumer_key|nonce|signature|signature_method|timestamp|version)=/.test(t));
  if (!simpleQueryPairs(kept.join('&'))) return undefined;
  u.search = kept.join('&');
  u.hash = '';
  return u.href;
}

/**
 * `url=$(node -e '…' …) && curl -g -X 'GET' "$url" …`, or undefined when the request is beyond the
 * script (then copy the one-shot command and say so).
 */
export function oauth1SigningCommand(input: OAuth1CurlInput): string | undefined {
  if (input.signedForm) return undefined;
  const url = unsignedUrl(input.url);
  if (!url) return undefined;
  const method = input.method.trim().toUpperCase();
  const signatureMethod = input.signatureMethod ?? 'HMAC-SHA256';
  const base = oauth1BaseUrl(url, input.homeUrl);
  const sign = ['node', '-e', shellQuote(OAUTH1_SIGN_SCRIPT), shellQuote(method), shellQuote(base), shellQuote(url), shellQuote(signatureMethod)].join(' ');
  const args: string[] = ['-g', '-X', shellQuote(method), shellWord([{ env: 'url' }])];
  for (const [n, v] of input.headers) {
    if (n.toLowerCase() === 'authorization' && /^OAuth\s/i.test(v)) continue;
    args.push('-H', shellQuote(`${n}: ${v}`));
  }
  if (input.body !== undefined && input.body !== '') args.push('--data-raw', shellQuote(input.body));
  return `url=$(${sign}) && curl ${args.join(' ')}`;
}

/** What to say beside a copied one-shot OAuth 1.0a command. */
export const ONE_SHOT_OAUTH1_NOTE = 'Copied as cURL with a one-shot OAuth 1.0a signature: it works once, within 15 minutes (WooCommerce refuses a reused nonce and an old timestamp). The consumer secret is not in it; set WOO_CONSUMER_KEY before running it.';

