// The sandbox store: a local WooCommerce-faithful HTTP + HTTPS server. It answers authentication
// exactly as the recorded WooCommerce 8.2.2 store did (docs/woocommerce-auth-facts.md, replayed by
// test/unit/sandbox-replay.test.ts) and serves a small in-memory shop.
//
// It is the other side of the wire (DESIGN.md): nothing here imports from src/core/. Its OAuth
// verifier, Basic parsing and routing are written from WooCommerce's and WordPress's PHP.
import { checkHomeUrl, parseSandboxArgs } from './args';
import { createSelfSignedCertificate } from './certificate';
import { generateSandboxSeed, parseSandboxSeed, validateSandboxSeed } from './seed';
import { listen, SandboxApp } from './server';
import { checkTokenOptions } from './tokens/args';
import { addGeneratedTokenCredentials } from './tokens/seed';
import type { RunningSandbox, SandboxOptions, SandboxSeed } from './types';

export type { KeyPermissions, OAuthGrantType, RunningSandbox, SandboxOptions, SandboxRole, SandboxSeed, SandboxSeedKey, SandboxSeedOAuthClient, SandboxSeedUser, SandboxTokenPlugin } from './types';
export { addGeneratedTokenCredentials, generateSandboxSeed, parseSandboxArgs, parseSandboxSeed };

function checkOptions(options: SandboxOptions): void {
  for (const [name, port] of [['httpPort', options.httpPort], ['httpsPort', options.httpsPort]] as const) {
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`The sandbox's ${name} must be a whole number from 0 to 65535.`);
  }
  if (options.homeUrl !== undefined) checkHomeUrl(options.homeUrl);
  if (options.clockOffsetSeconds !== undefined && !Number.isFinite(options.clockOffsetSeconds)) throw new Error("The sandbox's clockOffsetSeconds must be a number of seconds.");
  if (options.httpsProxy && options.httpsProxyNoForwardedProto) throw new Error("The sandbox's httpsProxy and httpsProxyNoForwardedProto describe two different proxies; pick one.");
  checkTokenOptions(options);
}

/**
 * Starts the HTTP and HTTPS listeners (free ports by default) with the given seed, or with freshly
 * generated credentials (then `generated` is true and `seed` holds them, for the CLI to print).
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  checkOptions(options);
  const generated = options.seed === undefined;
  // A seed handed over in-process gets the same checks as one read from a file.
  const seed: SandboxSeed = generated ? generateSandboxSeed() : validateSandboxSeed(JSON.parse(JSON.stringify(options.seed)));
  if (generated && options.tokenPlugin) addGeneratedTokenCredentials(seed, 'vscode://woo-api-studio.woo-api-studio/oauth');
  const certificate = createSelfSignedCertificate();
  const app = new SandboxApp(seed, options);
  const listeners = await listen(app, options, { key: certificate.privateKeyPem, cert: certificate.certificatePem });
  let stopped: Promise<void> | undefined;
  return {
    httpUrl: listeners.httpUrl,
    httpsUrl: listeners.httpsUrl,
    certificatePem: certificate.certificatePem,
    seed,
    generated,
    requestLog: () => [...app.requestLines],
    advanceClock: (seconds) => app.advanceClock(seconds),
    stop: () => (stopped ??= listeners.close()),
  };
}
