// The `encodeurl` package's rule, which REST Client applies to every URL (SPEC §2.2) and to
// form bodies in `automatic` mode (§2.7, P21): characters that may not appear in a URL are
// percent-encoded, valid `%XX` escapes and reserved characters are left alone, and lone
// surrogates become U+FFFD. Encoding an already-encoded URL changes nothing.

const ENCODE_CHARS = /(?:[^\x21\x23-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E]|%(?:[^0-9A-Fa-f]|[0-9A-Fa-f][^0-9A-Fa-f]|$))+/g;
const UNMATCHED_SURROGATE = /(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uD800-\uDBFF]([^\uDC00-\uDFFF]|$)/g;

export function encodeUrl(url: string): string {
  return url.replace(UNMATCHED_SURROGATE, '$1\uFFFD$2').replace(ENCODE_CHARS, (m) => encodeURI(m));
}

/** encodeURIComponent that cannot throw: lone surrogates become U+FFFD first. */
export function encodeComponent(text: string): string {
  return encodeURIComponent(text.replace(UNMATCHED_SURROGATE, '$1\uFFFD$2'));
}
