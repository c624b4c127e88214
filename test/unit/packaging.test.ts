// What a user downloads: the VSIX `vsce package` makes and the tarball `npm pack` makes, built from
// dist/ (run `node esbuild.mjs` first) and taken apart as a user's machine would.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const VSCE = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, encoding: 'utf8', timeout: 180_000 });
  assert.strictEqual(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The bundled packages, from the built bundles' metafile sizes written by esbuild.mjs. */
function bundledPackages(): string[] {
  const notices = fs.readFileSync(path.join(ROOT, 'ThirdPartyNotices.txt'), 'utf8');
  return [...notices.matchAll(/^-{72}\n(\S+) \S+\n-{72}$/gm)].map((m) => m[1]);
}

describe('Packaging: the VSIX and the npm tarball', function () {
  this.timeout(240_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-pack-'));
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'extension.js')), 'dist/ is built (node esbuild.mjs)');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('vsce package succeeds without a single warning; the VSIX holds no source map, has its notices, icon and README images', () => {
    const vsix = path.join(tmp, 'woo.vsix');
    // The same flags as `npm run package` (there is no public repository to point at yet).
    const r = run(process.execPath, [VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix]);
    const output = `${r.stdout}\n${r.stderr}`;
    assert.doesNotMatch(output, /WARNING|\bwarn/i, `vsce warned:\n${output}`);
    const listing = run('unzip', ['-Z1', vsix]).stdout.split('\n').filter(Boolean);
    assert.deepStrictEqual(listing.filter((f) => f.endsWith('.map')), [], 'no source map is shipped');
    assert.ok(listing.includes('extension/dist/extension.js'));
    // Read at every activation: at most 500 KB (issue 18); the rarely used parts are bundles of their own.
    const activationBytes = fs.statSync(path.join(ROOT, 'dist', 'extension.js')).size;
    assert.ok(activationBytes <= 500_000, `dist/extension.js is ${activationBytes} bytes, over 500 KB: load a rarely used part on first use (src/core/lazy.ts)`);
    assert.ok(listing.includes('extension/ThirdPartyNotices.txt'));
    assert.ok(!listing.includes('extension/dist/cli.js'), 'the CLI is not part of the extension');
    // What the bundle reads beside itself at run time: the bundles loaded on first use (and those
    // they load in turn: the store dialogs read the explainer's), llhttp's wasm.
    const requiredBy = (file: string) => [...fs.readFileSync(path.join(ROOT, 'dist', file), 'utf8').matchAll(/require\("\.\/([\w.-]+\.js)"\)/g)].map((m) => m[1]);
    const beside = requiredBy('extension.js');
    for (let i = 0; i < beside.length; i++) for (const f of requiredBy(beside[i])) if (!beside.includes(f)) beside.push(f);
    assert.ok(beside.length >= 4 && beside.includes('store-dialogs.js') && beside.includes('token-sign-in.js'), beside.join(', '));
    for (const file of [...beside, 'llhttp_simd.wasm', 'llhttp.wasm']) assert.ok(listing.includes(`extension/dist/${file}`), `dist/${file} is in the VSIX`);
    // The access-log worker thread is started by path from dist/access-log.js, not required.
    assert.ok(fs.readFileSync(path.join(ROOT, 'dist', 'access-log.js'), 'utf8').includes('access-log-worker.js'));
    assert.ok(listing.includes('extension/dist/access-log-worker.js'), 'dist/access-log-worker.js is in the VSIX');

    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { icon: string; galleryBanner?: { color: string } };
    assert.ok(listing.includes(`extension/${manifest.icon}`), 'the icon is packaged');
    const png = fs.readFileSync(path.join(ROOT, manifest.icon));
    assert.strictEqual(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.deepStrictEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'the icon is 128×128');
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);

    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((src) => !/^https?:/.test(src));
    assert.ok(images.length > 0, 'the README shows screenshots');
    for (const src of images) assert.ok(listing.includes(`extension/${src}`), `README image ${src} is in the VSIX`);

    // Every bundled package's licence, word for word.
    const notices = fs.readFileSync(path.join(ROOT, 'ThirdPartyNotices.txt'), 'utf8');
    const packages = bundledPackages();
    assert.ok(packages.includes('undici') && packages.includes('jsonc-parser'), packages.join(', '));
    // The codicon font is copied, not bundled: its licence (CC BY 4.0, which asks for attribution) is there all the same.
    assert.ok(packages.includes('@vscode/codicons'), packages.join(', '));
    for (const name of packages) {
      const dir = path.join(ROOT, 'node_modules', name);
      const licence = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
      assert.ok(licence, name);
      assert.ok(notices.includes(fs.readFileSync(path.join(dir, licence), 'utf8').trim()), `${name}'s licence text is in ThirdPartyNotices.txt`);
    }
  });

  it('the npm tarball installs offline into an empty prefix and woo-api runs from PATH', () => {
    const packed = run('npm', ['pack', '--json', '--pack-destination', tmp, '--ignore-scripts']);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info.files.map((f) => f.path).sort();
    assert.ok(files.includes('dist/cli.js') && files.includes('dist/llhttp_simd.wasm') && files.includes('dist/access-log-worker.js'), files.join(', '));
    assert.deepStrictEqual(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f === 'dist/extension.js'), [], 'only the command, no sources or maps');
    const prefix = path.join(tmp, 'prefix');
    // No dependencies to fetch: everything woo-api runs is in dist/cli.js.
    run('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, path.join(tmp, info.filename)]);
    const bin = path.join(prefix, 'bin');
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const version = run('woo-api', ['--version'], { env, cwd: tmp });
    const { version: expected } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.strictEqual(version.stdout.trim(), expected);
    const parsed = spawnSync('woo-api', ['parse', path.join(ROOT, 'samples', '01-products.http')], { env, cwd: tmp, encoding: 'utf8' });
    assert.match(parsed.stdout, /GET\s+\{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\?per_page=5/, parsed.stderr);
  });
});
