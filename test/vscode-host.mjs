// A real VS Code here without internet: code-server's bundled VS Code server + its web workbench,
// shown in Debian chromium driven by playwright-core (the mechanism VS Code's own web test runner uses).
// Used by the integration runner, the e2e screenshots and `npm start`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { HOST_DIR, chromiumPath } from '../scripts/ensure.mjs';

const require = createRequire(path.join(HOST_DIR, 'package.json'));
const SERVER_MAIN = path.join(HOST_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * A private profile: its own HOME, XDG dirs and TMPDIR (VS Code and chromium write there), and
 * user settings that keep the welcome page from stealing focus.
 */
export function makeProfile(prefix, extraSettings = {}) {
  const base = process.env.WOO_HOST_TMP || path.join(os.tmpdir());
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, prefix));
  const env = {
    ...process.env,
    HOME: path.join(dir, 'home'),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    TMPDIR: path.join(dir, 't'),
  };
  for (const d of [env.HOME, env.TMPDIR, path.join(dir, 'user', 'User'), path.join(dir, 'ext')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(dir, 'user', 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    ...extraSettings,
  }, null, 1));
  return { dir, env };
}

/**
 * Starts the VS Code server. `smokeTestDriver` is needed for test payloads (extensionTestsPath);
 * the process is detached and its whole group is killed by stop(), because it keeps extension
 * hosts alive otherwise.
 */
export async function startServer(profile, { port, host = '127.0.0.1', smokeTestDriver = true, extensionsDir, workspaceTrust = false } = {}) {
  port = port || await freePort();
  const args = [SERVER_MAIN, '--host', host, '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--disable-telemetry', ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--server-data-dir', path.join(profile.dir, 'server'), '--user-data-dir', path.join(profile.dir, 'user'),
    '--extensions-dir', extensionsDir || path.join(profile.dir, 'ext')];
  if (smokeTestDriver) args.push('--enable-smoke-test-driver');
  const logFile = path.join(profile.dir, 'server.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { env: profile.env, detached: true, stdio: ['ignore', out, out] });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  process.on('exit', stop);
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://${host}:${port}/version`)).ok) break; } catch { /* not up yet */ }
    if (exited !== null || i > 600) {
      stop();
      throw new Error(`The VS Code server did not start (log: ${logFile}):\n${fs.readFileSync(logFile, 'utf8').slice(-800)}`);
    }
    await sleep(100);
  }
  return { port, url: `http://${host}:${port}`, logFile, stop, remote: (p) => `vscode-remote://${host}:${port}${p}` };
}

export async function launchBrowser(profile) {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    env: profile.env,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** The workbench URL for a folder, with an optional payload (extension development, tests, a file to open). */
export function workbenchUrl(server, folder, payload) {
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload && payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}
