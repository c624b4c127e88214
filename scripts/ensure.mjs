// "Installs what is missing": shared by `npm start`, `npm test` and .ci/run. Uses only Node's
// built-ins, because it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HOST_DIR = path.join(ROOT, 'test', 'host');

const say = (m) => process.stderr.write(`[setup] ${m}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
}

/** The extension's own dependencies (small: esbuild, typescript, mocha, undici...). */
export function ensureNodeModules() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && existsSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'))) return;
  say('installing the extension\'s dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const DEBIAN_PACKAGES = {
  // what                  Debian package   why
  '/usr/bin/chromium': 'chromium', //       the browser that shows the VS Code workbench (tests, screenshots)
  '/usr/bin/rg': 'ripgrep', //              VS Code's search; also seeds @vscode/ripgrep's download cache
  '/usr/bin/xmllint': 'libxml2-utils', //  the JUnit schema check of `woo-api test` (a unit test)
};
const BUILD_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasApt() {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

function dpkgInstalled(pkg) {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false;
}

/**
 * Debian packages the real VS Code host needs. With root and apt they are installed; otherwise the
 * message names each package and how to get it, and the caller stops.
 * @param {{ build?: boolean }} what build: also the headers code-server's native modules compile against
 */
export function ensureSystemPackages({ build = false } = {}) {
  const missing = Object.entries(DEBIAN_PACKAGES).filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg);
  if (build && hasApt()) missing.push(...BUILD_PACKAGES.filter((p) => !dpkgInstalled(p)));
  if (missing.length === 0) return;
  if (isRoot() && hasApt()) {
    say(`installing Debian packages: ${missing.join(' ')}…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
    return;
  }
  throw new Error(
    `These system packages are missing: ${missing.join(', ')}.\n` +
    (hasApt()
      ? `Install them with:  sudo apt-get install -y ${missing.join(' ')}\n`
      : `Install them with your system's package manager (Debian/Ubuntu names given).\n`) +
    `Or point CHROMIUM at another Chromium/Chrome binary.`,
  );
}

/** code-server + playwright-core in test/host (≈316 MB, so apart from the extension's own deps). */
export function ensureHost() {
  const cs = path.join(HOST_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  const pw = path.join(HOST_DIR, 'node_modules', 'playwright-core', 'package.json');
  if (existsSync(cs) && existsSync(pw)) return;
  ensureSystemPackages({ build: true });
  say('installing the VS Code test host (code-server 4.100.3 + playwright-core) into test/host… (about 1-2 minutes)');
  const tmp = path.join(HOST_DIR, '.tmp');
  // @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here: seed its cache
  // with Debian's rg under the name it looks for.
  const cache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(cache, { recursive: true });
  execFileSync('tar', ['czf', path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', '/usr/bin', 'rg']);
  run('npm', ['ci', '--no-audit', '--no-fund', '--unsafe-perm', '--dangerously-allow-all-scripts'], {
    cwd: HOST_DIR,
    // npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which would prompt without a TTY.
    env: { ...process.env, TMPDIR: tmp, npm_config_yes: 'true' },
  });
}

export function chromiumPath() {
  return process.env.CHROMIUM || '/usr/bin/chromium';
}

/** Runs fn and turns a setup failure into the message alone (no stack), exit code 2. */
export async function withSetupErrors(fn) {
  try {
    return await fn();
  } catch (err) {
    process.stderr.write(`\n${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}
