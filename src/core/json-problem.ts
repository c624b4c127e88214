// "Does this JSON parse, and if not, where?" as a sentence with line and column. Shared by the
// runner panel's page (validation as you type) and the extension (a last check before sending).
//
// Pure: no `vscode`, no Node API (it runs in the webview too).

export function jsonProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
    if (!at) return `The JSON body does not parse: ${reason}.`;
    const before = text.slice(0, Number(at[1]));
    return `The JSON body does not parse at line ${before.split('\n').length}, column ${Number(at[1]) - before.lastIndexOf('\n')}: ${reason}.`;
  }
}
