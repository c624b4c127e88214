// Response bodies with the request's known secrets masked, searched as bytes: a body can be 50 MB
// of anything, and decoding it to text to mask it would double it in memory (and change bytes that
// are not UTF-8). The forms searched for are redact.ts's.
//
// Pure: no `vscode`, no I/O. (Apart from redact.ts so that the webview, which shares some of the
// core, needs no Buffer.)

import { knownSecretForms, type SecretLabels } from './redact';

/** UTF-8 of the forms and masks, kept for the few secrets in use. */
const encoded = new Map<string, Buffer>();

function bytesOf(text: string): Buffer {
  let b = encoded.get(text);
  if (!b) {
    if (encoded.size > 1024) encoded.clear();
    b = Buffer.from(text, 'utf8');
    encoded.set(text, b);
  }
  return b;
}

/**
 * `body` with the known secrets masked (as redactKnownSecrets does for text): the same bytes when
 * none is there (no copy), else one new buffer. A server that echoes the request (httpbin, some
 * plugins) would otherwise show the credentials it was sent.
 */
export function redactBytes(body: Uint8Array, knownSecrets: readonly string[], labels?: SecretLabels): Uint8Array {
  if (body.byteLength === 0 || knownSecrets.length === 0) return body;
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const hits: { start: number; end: number; mask: Buffer }[] = [];
  for (const { forms, mask } of knownSecretForms(knownSecrets, labels)) {
    for (const text of forms) {
      const form = bytesOf(text);
      for (let i = buf.indexOf(form); i >= 0; i = buf.indexOf(form, i + form.length)) hits.push({ start: i, end: i + form.length, mask: bytesOf(mask) });
    }
  }
  if (hits.length === 0) return body;
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: Buffer[] = [];
  let at = 0;
  for (const h of hits) {
    // Overlapping forms: the union is masked, once.
    if (h.start < at) {
      at = Math.max(at, h.end);
      continue;
    }
    parts.push(buf.subarray(at, h.start), h.mask);
    at = h.end;
  }
  parts.push(buf.subarray(at));
  return Buffer.concat(parts);
}
