// The frame of every webview page the extension shows (request log, access-log report, runner
// panel): one place that writes the Content-Security-Policy. Nothing loads but the extension's own
// stylesheet and scripts carrying this page's nonce; images only from where `imgSrc` says.
//
// No `vscode` import: the runner panel's benchmark builds the same page outside VS Code.

export interface WebviewPageParts {
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  nonce: string;
  title: string;
  /** The stylesheet's URI as the page can load it. */
  style: string;
  /** More stylesheets (the codicon font's), loaded before `style`; fonts then load from `cspSource`. */
  extraStyles?: string[];
  /** `img-src` of the policy (none when absent). */
  imgSrc?: string;
  /** The body's markup, already escaped. */
  body: string;
  /** In order: a script file's URI, or the text of an inline script; each carries the nonce. */
  scripts: ({ src: string } | { inline: string })[];
}

export function webviewPage(p: WebviewPageParts): string {
  const fonts = p.extraStyles?.length ? ` font-src ${p.cspSource};` : '';
  const csp = `default-src 'none'; style-src ${p.cspSource};${fonts}${p.imgSrc ? ` img-src ${p.imgSrc};` : ''} script-src 'nonce-${p.nonce}';`;
  const scripts = p.scripts.map((s) => ('src' in s ? `<script nonce="${p.nonce}" src="${s.src}"></script>` : `<script nonce="${p.nonce}">${s.inline}</script>`)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${(p.extraStyles ?? []).map((href) => `<link rel="stylesheet" href="${href}">\n`).join('')}<link rel="stylesheet" href="${p.style}">
<title>${p.title}</title>
</head>
<body>
${p.body}
${scripts}
</body>
</html>`;
}
