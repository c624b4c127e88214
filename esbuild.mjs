// Bundles the programs the product ships:
//   dist/extension.js  the VS Code extension host side (node, `vscode` external)
//   dist/cli.js        `woo-api`, the same core from a terminal or CI
//   dist/media/*.js    the webview front ends (browser)
// Minified with source maps (for local debugging: .vscodeignore keeps them out of the VSIX);
// `--watch` rebuilds on change. Each build's metafile lists the third-party files it bundled:
// ThirdPartyNotices.txt is written from them (package, version, licence text), and
// out/bundle-sizes.json keeps the sizes for `npm run bench`.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// `module` first: jsonc-parser's `main` is a UMD build whose dynamic require()s a bundle cannot follow.
const common = { bundle: true, minify: true, sourcemap: true, logLevel: 'info', legalComments: 'none', mainFields: ['module', 'main'], metafile: true };

/**
 * undici as far as the product uses it (see build/undici-lean.cjs): its index also loads fetch,
 * WebSocket, the cache and the mocks. The FormData path of undici's HTTP/1 and HTTP/2 writers is
 * never taken (our bodies are strings or bytes), so fetch's body module is left out; nor is
 * undici's HTTP/2 client, which it uses only when `allowH2` offers h2 in TLS (we never do). llhttp, the
 * HTTP/1 parser, comes as WebAssembly in base64 JavaScript strings (a SIMD build and a fallback):
 * they are written beside the bundles as binary .wasm files (a third smaller) and read when undici
 * makes its first HTTP/1 connection, as undici itself compiles them then.
 */
const leanUndici = {
  name: 'lean-undici',
  setup(build) {
    const shim = fileURLToPath(new URL('./build/undici-lean.cjs', import.meta.url));
    build.onResolve({ filter: /^undici$/ }, () => ({ path: shim }));
    build.onResolve({ filter: /\/web\/fetch\/body\.js$/ }, (a) => (a.importer.includes('/undici/lib/dispatcher/') ? { path: 'fetch-body', namespace: 'lean-undici' } : undefined));
    build.onResolve({ filter: /^\.\/client-h2\.js$/ }, (a) => (a.importer.includes('/undici/lib/dispatcher/') ? { path: 'client-h2', namespace: 'lean-undici' } : undefined));
    build.onLoad({ filter: /^fetch-body$/, namespace: 'lean-undici' }, () => ({ contents: "module.exports = { extractBody() { throw new Error('FormData request bodies are not part of this bundle') } }" }));
    build.onLoad({ filter: /^client-h2$/, namespace: 'lean-undici' }, () => ({ contents: "module.exports = function connectH2() { throw new Error('HTTP/2 is not part of this bundle (allowH2 is never set)') }" }));
    build.onResolve({ filter: /\/llhttp\/llhttp(_simd)?-wasm\.js$/ }, (a) => ({ path: a.path.includes('_simd') ? 'llhttp_simd.wasm' : 'llhttp.wasm', namespace: 'llhttp' }));
    build.onLoad({ filter: /.*/, namespace: 'llhttp' }, (a) => ({ contents: `module.exports = require('node:fs').readFileSync(require('node:path').join(__dirname, ${JSON.stringify(a.path)}))` }));
  },
};

/**
 * The modules loaded on first use (src/core/lazy.ts): a `require()` of one of them from the
 * extension becomes a require of its own bundle beside dist/extension.js. Static imports of the same
 * module still bundle it in; the CLI bundles everything in one file.
 */
const LAZY_BUNDLES = {
  'src/sandbox/index.ts': 'sandbox',
  'src/core/access-log/index.ts': 'access-log',
  'src/core/import/index.ts': 'import',
  'src/core/explain/probes.ts': 'doctor',
  'src/core/explain/explain.ts': 'explain',
  'src/core/woo-routes.ts': 'routes',
  'src/core/tests/handler-sandbox.ts': 'handlers',
  'src/core/http/xpath.ts': 'xpath',
  'src/runner-html.ts': 'runner-page',
  'src/store-dialogs.ts': 'store-dialogs',
  'src/token-sign-in.ts': 'token-sign-in',
  'src/access-log-report-panel.ts': 'access-log-report',
  'src/sandbox-picks.ts': 'sandbox-picks',
};
/**
 * Modules whose state the whole extension shares: one copy, in dist/extension.js. A lazy bundle that
 * carried its own copy would send past Restricted Mode's outbound gate and the connection pool
 * (core/send.ts), answer modals the tests cannot reach (dialogs.ts), or keep stores and token managers
 * of its own. Lazy modules get these objects from their caller instead; the build fails if one slips in.
 */
const ONE_COPY = ['src/core/send.ts', 'src/dialogs.ts', 'src/stores.ts', 'src/tokens.ts', 'src/secrets.ts', 'src/workspace-trust.ts', 'src/store-commands.ts', 'src/request-log.ts'];
const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    const root = dirname(fileURLToPath(import.meta.url));
    build.onResolve({ filter: /^\./ }, (a) => {
      if (a.kind !== 'require-call') return undefined;
      const base = join(a.resolveDir, a.path);
      for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
        const name = LAZY_BUNDLES[candidate.slice(root.length + 1).split('\\').join('/')];
        if (name) return { path: `./${name}.js`, external: true };
      }
      return undefined;
    });
  },
};

const mediaEntries = existsSync('media')
  ? readdirSync('media').filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => `media/${f}`)
  : [];

const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', plugins: [leanUndici], define: { __VERSION__: JSON.stringify(version) } };
const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [leanUndici, lazyBundles] },
  // A lazy module that requires another lazily reads that one's bundle too.
  ...Object.entries(LAZY_BUNDLES).map(([entry, name]) => ({ ...node, entryPoints: [entry], outfile: `dist/${name}.js`, external: ['vscode'], plugins: [leanUndici, lazyBundles] })),
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The worker thread that reads part of a large access log (src/core/access-log/split.ts): started by
  // analyzeFile from the bundle beside it, for the extension (dist/access-log.js) and the CLI alike.
  { ...node, entryPoints: ['src/core/access-log/access-log-worker.ts'], outfile: 'dist/access-log-worker.js' },
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

/** Packages shipped as files rather than bundled (the webviews' codicon font): in the notices too. */
const COPIED_PACKAGES = ['node_modules/@vscode/codicons'];

/** ThirdPartyNotices.txt: every package any bundle contains or dist/ ships, with its licence text. */
function writeNotices(results) {
  const dirs = new Set(COPIED_PACKAGES);
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
  mkdirSync('out', { recursive: true });
  const sizes = {};
  for (const r of results) for (const [file, out] of Object.entries(r.metafile.outputs)) {
    if (!file.endsWith('.map')) sizes[file] = out.bytes;
  }
  // The whole metafiles too, for esbuild's analyser (https://esbuild.github.io/analyze/).
  for (const r of results) {
    const name = Object.keys(r.metafile.outputs).find((f) => f.endsWith('.js')).replace(/^dist\//, '').replace(/[/.]/g, '-');
    writeFileSync(`out/meta-${name}.json`, JSON.stringify(r.metafile));
  }
  writeFileSync('out/bundle-sizes.json', JSON.stringify(sizes, null, 1) + '\n');
}

/** The files a bundle reads at run time beside itself: llhttp's WebAssembly, decoded. */
function copyRuntimeFiles() {
  const require = createRequire(import.meta.url);
  mkdirSync('dist', { recursive: true });
  writeFileSync(join('dist', 'llhttp_simd.wasm'), require('undici/lib/llhttp/llhttp_simd-wasm.js'));
  writeFileSync(join('dist', 'llhttp.wasm'), require('undici/lib/llhttp/llhttp-wasm.js'));
}

// The codicon font and its stylesheet, for the webviews' icons (the font URL is relative: dist/media/codicon.ttf).
mkdirSync('dist/media', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/media/${f}`);

/** Fails the build when a lazy bundle carries a copy of a module in ONE_COPY. */
function checkOneCopy(results) {
  const lazyOutputs = new Set(Object.values(LAZY_BUNDLES).map((name) => `dist/${name}.js`));
  for (const r of results) for (const [file, out] of Object.entries(r.metafile.outputs)) {
    if (!lazyOutputs.has(file)) continue;
    const copies = Object.keys(out.inputs).filter((input) => ONE_COPY.includes(input));
    if (copies.length) throw new Error(`${file} carries its own copy of ${copies.join(', ')}: pass the main bundle's objects to the lazy module instead (see ONE_COPY in esbuild.mjs).`);
  }
}

if (watch) {
  copyRuntimeFiles();
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  checkOneCopy(results);
  copyRuntimeFiles();
  writeNotices(results);
  writeSizes(results);
}
