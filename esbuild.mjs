// Bundles the three programs the product ships:
//   dist/extension.js  the VS Code extension host side (node, `vscode` external)
//   dist/cli.js        `woo-api`, the same core from a terminal or CI
//   dist/media/*.js    the webview front ends (browser)
// Minified with source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// `module` first: jsonc-parser's `main` is a UMD build whose dynamic require()s a bundle cannot follow.
const common = { bundle: true, minify: true, sourcemap: true, logLevel: 'info', legalComments: 'none', mainFields: ['module', 'main'] };

const mediaEntries = existsSync('media')
  ? readdirSync('media').filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => `media/${f}`)
  : [];

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], define: { __VERSION__: JSON.stringify(version) } },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', platform: 'node', target: 'node20', format: 'cjs', banner: { js: '#!/usr/bin/env node' }, define: { __VERSION__: JSON.stringify(version) } },
];
if (mediaEntries.length > 0) {
  builds.push({ ...common, entryPoints: mediaEntries, outdir: 'dist/media', platform: 'browser', target: 'es2022', format: 'iife' });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
