// Bundles the programs the product ships:
//   dist/extension.js  the VS Code extension host side (node, `vscode` external)
//   dist/cli.js        `woo-api`, the same core from a terminal or CI
//   dist/media/*.js    the webview front ends (browser)
// Minified with source maps (for local debugging: .vscodeignore keeps them out of the VSIX);
// `--watch` rebuilds on change. Each build's metafile lists the third-party files it bundled:
// ThirdPartyNotices.txt is written from them (package, version, licence text), and
// out/bundle-sizes.json keeps the sizes for `npm run bench`.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// `module` first: jsonc-parser's `main` is a UMD build whose dynamic require()s a bundle cannot follow.
const common = { bundle: true, minify: true, sourcemap: true, logLevel: 'info', legalComments: 'none', mainFields: ['module', 'main'], metafile: true };

/**
 * undici as far as the product uses it (see build/undici-lean.cjs): its index also loads fetch,
 * WebSocket, the cache and the mocks. The FormData path of undici's HTTP/1 and HTTP/2 writers is
 * never taken (our bodies are strings or bytes), so fetch's body module is left out; the non-SIMD
 * build of llhttp (only for CPUs without WebAssembly SIMD) stays a file beside the bundle, read
 * only when the SIMD one cannot compile.
 */
const leanUndici = {
  name: 'lean-undici',
  setup(build) {
    const shim = fileURLToPath(new URL('./build/undici-lean.cjs', import.meta.url));
    build.onResolve({ filter: /^undici$/ }, () => ({ path: shim }));
    build.onResolve({ filter: /\/web\/fetch\/body\.js$/ }, (a) => (a.importer.includes('/undici/lib/dispatcher/') ? { path: 'fetch-body', namespace: 'lean-undici' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lean-undici' }, () => ({ contents: "module.exports = { extractBody() { throw new Error('FormData request bodies are not part of this bundle') } }" }));
    build.onResolve({ filter: /\/llhttp\/llhttp-wasm\.js$/ }, () => ({ path: './llhttp-wasm.js', external: true }));
  },
};

const mediaEntries = existsSync('media')
  ? readdirSync('media').filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => `media/${f}`)
  : [];

const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', plugins: [leanUndici], define: { __VERSION__: JSON.stringify(version) } };
const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (mediaEntries.length > 0) {
  builds.push({ ...common, entryPoints: mediaEntries, outdir: 'dist/media', platform: 'browser', target: 'es2022', format: 'iife' });
}

/** The package a bundled file belongs to: the directory under its last node_modules. */
function packageDir(file) {
  const parts = file.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  return parts.slice(0, at + (parts[at + 1].startsWith('@') ? 3 : 2)).join('/');
}

function licenceText(dir) {
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  return file ? readFileSync(join(dir, file), 'utf8').trim() : undefined;
}

/** ThirdPartyNotices.txt: every package any bundle contains, with its licence text. */
function writeNotices(results) {
  const dirs = new Set();
  for (const r of results) for (const file of Object.keys(r.metafile.inputs)) {
    const dir = packageDir(file);
    if (dir) dirs.add(dir);
  }
  const entries = [...dirs].map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const text = licenceText(dir);
    if (!text) throw new Error(`${pkg.name} is bundled but has no licence file to copy into ThirdPartyNotices.txt`);
    return { name: pkg.name, version: pkg.version, license: pkg.license, text };
  }).sort((a, b) => a.name.localeCompare(b.name));
  const rule = '-'.repeat(72);
  const body = [
    'WooCommerce API Studio bundles the following third-party software. Their licences follow.',
    '',
    ...entries.map((e) => `${e.name} ${e.version} (${e.license})`),
    ...entries.flatMap((e) => ['', rule, `${e.name} ${e.version}`, rule, '', e.text]),
    '',
  ].join('\n');
  writeFileSync('ThirdPartyNotices.txt', body);
}

function writeSizes(results) {
  const sizes = {};
  for (const r of results) for (const [file, out] of Object.entries(r.metafile.outputs)) {
    if (!file.endsWith('.map')) sizes[file] = out.bytes;
  }
  mkdirSync('out', { recursive: true });
  writeFileSync('out/bundle-sizes.json', JSON.stringify(sizes, null, 1) + '\n');
}

/** The files a bundle reads at run time beside itself. */
function copyRuntimeFiles() {
  const from = dirname(fileURLToPath(import.meta.resolve('undici/package.json', import.meta.url)));
  mkdirSync('dist', { recursive: true });
  copyFileSync(join(from, 'lib', 'llhttp', 'llhttp-wasm.js'), join('dist', 'llhttp-wasm.js'));
}

if (watch) {
  copyRuntimeFiles();
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  copyRuntimeFiles();
  writeNotices(results);
  writeSizes(results);
}
