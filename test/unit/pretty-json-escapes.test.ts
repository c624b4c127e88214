// The runner's pretty JSON view shows strings as people read them: "M\u00fcller" is Müller and
// https:\/\/ is https://, while the escapes a line needs (\" \\ \n, controls) stay.
import * as assert from 'node:assert/strict';
import { PrettyJson, readableJsonLine, tokenize } from '../../src/core/pretty-json';

function prettyLines(source: string): string[] {
  const p = new PrettyJson(source);
  while (!p.advance(1 << 20)) { /* all of it */ }
  return Array.from({ length: p.lines.count }, (_, i) => readableJsonLine(p.text(i)));
}

describe('the pretty JSON view decodes string escapes', () => {
  it('shows WooCommerce\'s escaped names and URLs decoded (Raw keeps the bytes)', () => {
    // What PHP's json_encode sends: non-ASCII as \uXXXX, slashes as \/.
    const raw = '{"billing":{"last_name":"M\\u00fcller","city":"K\\u00f8benhavn"},"permalink":"https:\\/\\/shop.example\\/product\\/mug\\/","emoji":"\\ud83d\\ude00"}';
    const lines = prettyLines(raw);
    assert.deepEqual(lines, [
      '{',
      '  "billing": {',
      '    "last_name": "Müller",',
      '    "city": "København"',
      '  },',
      '  "permalink": "https://shop.example/product/mug/",',
      '  "emoji": "😀"',
      '}',
    ]);
    // Each line is still the same value: parsing the decoded text gives what parsing the raw text gives.
    assert.deepEqual(JSON.parse(lines.join('\n')), JSON.parse(raw));
  });

  it('keeps the escapes a line needs: quotes, backslashes, newlines, controls, lone surrogates; nothing outside strings', () => {
    assert.equal(readableJsonLine('"a\\"b\\\\u00fc\\n\\u0007\\ud800x"'), '"a\\"b\\\\u00fc\\n\\u0007\\ud800x"');
    assert.equal(readableJsonLine('  "k\\u00e9y": "\\u0022q\\u005c"'), '  "kéy": "\\u0022q\\u005c"');
    // The colouring still finds the key and the string.
    assert.deepEqual(tokenize(readableJsonLine('"n\\u00e4me": "J\\u00fcrgen",')).map(([k]) => k), ['key', 'punct', 'space', 'string', 'punct']);
  });

  it('reads a long line once (200,000 escapes in well under a second)', () => {
    const line = `"${'\\u00fc'.repeat(200000)}"`;
    const t = Date.now();
    assert.equal(readableJsonLine(line).length, 200002);
    assert.ok(Date.now() - t < 1000);
  });
});
