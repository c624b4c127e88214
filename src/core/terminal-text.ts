// Text from others (response bodies, headers, log lines) on its way to a terminal: a terminal acts
// on control characters, so a body could clear the screen (ESC [2J), retitle the window, write the
// clipboard (OSC 52), ring the bell or move the cursor over what was printed before. They are shown
// instead: C0 controls and DEL as their Unicode Control Pictures (ESC → ␛), C1 controls as \u0080…
// Newlines and tabs are kept, and a carriage return only as part of CRLF.
//
// Pure: no `vscode`, no I/O.

// C0 but \t and \n; DEL and C1; \r when no \n follows it.
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const UNSAFE = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;

/** `text` with every control character a terminal acts on made visible. */
export function terminalSafe(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// JSON.stringify escapes C0 controls; DEL and C1 it leaves as they are (valid JSON, but a terminal may act on them).
const JSON_UNESCAPED = /[\u007f-\u009f\u2028\u2029]/g;

/** JSON text with DEL, C1 controls and the two Unicode line separators written as \u escapes (the same JSON value). */
export function jsonSafe(json: string): string {
  JSON_UNESCAPED.lastIndex = 0;
  if (!JSON_UNESCAPED.test(json)) return json;
  JSON_UNESCAPED.lastIndex = 0;
  return json.replace(JSON_UNESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
