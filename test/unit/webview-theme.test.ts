// The runner panel and the Explain/Doctor report follow light, dark and high-contrast themes because
// every colour in their stylesheets comes from VS Code's theme variables (--vscode-*): no hex, rgb()
// or hsl() value and no named colour, not even as a fallback (a fallback grey is wrong in some theme).
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MEDIA = path.join(__dirname, '..', '..', '..', 'media');
const COLOUR_PROPS = /^(color|background(-color)?|border(-(top|right|bottom|left))?(-color)?|outline(-color)?|fill|stroke|box-shadow|text-decoration(-color)?|caret-color|accent-color|--[\w-]+)$/;
const NAMED = /\b(white|black|red|green|blue|orange|yellow|gray|grey|silver|purple|pink|brown|cyan|magenta|navy|teal|maroon|olive|lime|aqua|fuchsia)\b/i;

/** Each declaration of a colour property whose value names a colour other than through a variable. */
function hardCodedColours(css: string): string[] {
  const bad: string[] = [];
  const body = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of body.matchAll(/([\w-]+)\s*:\s*([^;{}]+)/g)) {
    const [, prop, value] = m as unknown as [string, string, string];
    if (!COLOUR_PROPS.test(prop)) continue;
    const literal = /#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|hwb|lab|lch|color)\(/i.test(value) || NAMED.test(value.replace(/var\([^)]*\)/g, ''));
    const foreignVar = [...value.matchAll(/var\(\s*(--[\w-]+)/g)].some(([, v]) => !v!.startsWith('--vscode-') && !new RegExp(`${v}\\s*:`).test(body));
    if (literal || foreignVar) bad.push(`${prop}: ${value.trim()}`);
  }
  return bad;
}

describe('webview themes', () => {
  for (const sheet of ['report.css', 'runner.css', 'request-log.css', 'access-log-report.css']) {
    it(`${sheet} takes every colour from VS Code's theme variables`, () => {
      const css = fs.readFileSync(path.join(MEDIA, sheet), 'utf8');
      assert.ok(/var\(--vscode-/.test(css), `${sheet} uses no theme variable at all`);
      assert.deepStrictEqual(hardCodedColours(css), []);
    });
  }

  it('the check itself finds a hard-coded colour, even as a fallback', () => {
    assert.deepStrictEqual(hardCodedColours('a { color: #fff; } b { border: 1px solid var(--vscode-x, rgba(0,0,0,.3)); } c { background: white; } d { color: var(--vscode-foreground); }'),
      ['color: #fff', 'border: 1px solid var(--vscode-x, rgba(0,0,0,.3))', 'background: white']);
  });
});
