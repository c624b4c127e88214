// woo-api: the extension's core from a terminal or CI.
//   woo-api sandbox --http-port N --https-port N [--seed FILE] [--strip-authorization]
//                   [--plain-permalinks] [--home-url URL] [--clock-offset S]
import * as fs from 'node:fs';
import { parseSandboxArgs, parseSandboxSeed, startSandbox } from './sandbox';

const USAGE = `woo-api: WooCommerce API Studio from the command line

Usage:
  woo-api sandbox [--http-port N] [--https-port N] [--seed FILE] [--strip-authorization]
                  [--plain-permalinks] [--home-url URL] [--clock-offset SECONDS]
      Runs the local WooCommerce-faithful sandbox store until interrupted (Ctrl+C).
      Port 0 (the default) picks a free port. Without --seed it makes fresh credentials
      and prints them.
  woo-api --help | --version
`;

/** A user-facing failure: printed as a sentence, never as a stack trace. */
class UsageError extends Error {}

async function sandbox(argv: string[]): Promise<void> {
  let options;
  try {
    options = parseSandboxArgs(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (options.seedFile) {
    let text: string;
    try {
      text = fs.readFileSync(options.seedFile, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read the seed file ${options.seedFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
    }
    try {
      options.seed = parseSandboxSeed(text);
    } catch (err) {
      throw new UsageError(`The seed file ${options.seedFile} is not usable: ${(err as Error).message}`);
    }
  }
  const running = await startSandbox(options).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new UsageError(`A port is already in use (${err.message.replace(/^.*EADDRINUSE:?\s*/, '')}). Pick another with --http-port / --https-port, or 0 for a free one.`);
    if (err.code === 'EACCES') throw new UsageError('Permission denied opening a port; ports below 1024 need privileges. Pick a port above 1024, or 0.');
    throw err;
  });
  const out = process.stdout;
  out.write(`Sandbox store (WooCommerce 8.2.2 authentication) running:\n`);
  out.write(`  HTTPS  ${running.httpsUrl}   (self-signed certificate for 127.0.0.1 and localhost)\n`);
  out.write(`  HTTP   ${running.httpUrl}\n`);
  const modes = [
    options.stripAuthorization && 'strip-authorization',
    options.plainPermalinks && 'plain-permalinks',
    options.homeUrl && `home-url ${options.homeUrl}`,
    options.clockOffsetSeconds && `clock-offset ${options.clockOffsetSeconds}s`,
  ].filter(Boolean);
  if (modes.length) out.write(`  Modes  ${modes.join(', ')}\n`);
  if (running.generated) {
    // Only freshly generated, throw-away credentials are printed: the user asked for them and has no other way to learn them.
    out.write(`Generated credentials (valid until this process stops):\n`);
    for (const k of running.seed.keys) out.write(`  consumer key ${k.consumer_key}  secret ${k.consumer_secret}  (${k.permissions}, user ${k.user_id})\n`);
    for (const u of running.seed.users) for (const p of u.application_passwords ?? []) out.write(`  application password for ${u.login} (${u.role}): ${p}\n`);
  }
  out.write(`Press Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => { void running.stop().then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'sandbox':
        await sandbox(rest);
        return 0;
      case '--version':
      case '-v':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`woo-api: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`woo-api: unexpected failure: ${(err as Error).message}\nPlease report this with the command you ran.\n`);
    return 1;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
