// `npm start`: installs what is missing, builds, and opens the extension in a real VS Code
// (code-server's VS Code server, in your browser) on the sample workspace in samples/, where the
// sandbox store starts with the extension (setting wooApiStudio.sandbox.autoStart).
//   npm start -- --desktop        use desktop VS Code (`code` on PATH) instead
//   npm start -- --port N         the port of the VS Code server (default 8123, or a free one)
//   npm start -- --host ADDR      listen on ADDR (default 127.0.0.1: only this machine). The VS Code
//                                 server has no connection token, so an address other machines can
//                                 reach is refused unless --i-know is given too.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT, ensureHost, ensureNodeModules, withSetupErrors } from './ensure.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const SAMPLES = path.join(ROOT, 'samples');

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
function isLoopback(host) {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Why a non-loopback --host is refused (or, with --i-know, the warning printed). */
function exposureWarning(host) {
  return `--host ${host} makes this VS Code server reachable from other machines, and it runs without a ` +
    'connection token: anyone who can reach the port gets your VS Code, with its terminals, your files and ' +
    'the stores\' keys in SecretStorage.';
}

const portFree = (port, host) => new Promise((resolve) => {
  const s = net.createServer();
  s.once('error', () => resolve(false));
  s.listen(port, host, () => s.close(() => resolve(true)));
});

await withSetupErrors(async () => {
  const host = opt('--host', '127.0.0.1');
  if (!isLoopback(host)) {
    if (!args.includes('--i-know')) {
      throw new Error(`${exposureWarning(host)} Use the default (127.0.0.1) and an SSH tunnel, or add --i-know to do it anyway.`);
    }
    console.warn(`WARNING: ${exposureWarning(host)}`);
  }
  ensureNodeModules();
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('The build failed; see the errors above.');

  if (args.includes('--desktop')) {
    const which = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
    if (which.status !== 0) throw new Error('No `code` on PATH. Install desktop VS Code (and its shell command), or run `npm start` without --desktop.');
    spawn('code', ['--new-window', `--extensionDevelopmentPath=${ROOT}`, SAMPLES, path.join(SAMPLES, '01-products.http')], { stdio: 'inherit', detached: true }).unref();
    console.log('Desktop VS Code is opening the sample workspace with the extension loaded.');
    return;
  }

  ensureHost();
  const { makeProfile, startServer, workbenchUrl } = await import('../test/vscode-host.mjs');
  let port = Number(opt('--port', '8123'));
  if (!(await portFree(port, host))) port = 0;
  // The product as a user gets it: the sandbox starts from the (private) user settings, and no
  // smoke-test driver, which would refuse every modal dialog.
  const profile = makeProfile('woo-start-', { 'wooApiStudio.sandbox.autoStart': true });
  const server = await startServer(profile, { port, host, smokeTestDriver: false });
  const url = workbenchUrl(server, SAMPLES, [
    ['extensionDevelopmentPath', server.remote(ROOT)],
    ['openFile', server.remote(path.join(SAMPLES, '01-products.http'))],
  ]);
  console.log(`
WooCommerce API Studio is running in VS Code ${host === '127.0.0.1' ? 'on this machine' : `on ${host}`}.
Open this URL in a browser:

  ${url}

The sandbox store starts when the extension activates (the sample .http file opens it).
Try "WooCommerce: Reproduce a Misconfiguration in the Sandbox…" (F1) to see a real-world 401, or "WooCommerce: Start Sandbox with a Token Plugin…" for JWT and OAuth 2.0.
VS Code's log: ${server.logFile}
Press Ctrl+C to stop.`);
  await new Promise((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  server.stop();
});
