// The sandbox store in a process of its own, for the send benchmark: on a 2-core machine the server
// then has a core and the client under test the other, and the server's work never lands on the
// client's event loop (or its clock).
//
//   node out/bench/sandbox-process.js SEED.json
// Reports { httpUrl, httpsUrl, certificatePem } to the parent over IPC; stops on the message
// 'stop' or when the parent goes away.

import { readFileSync } from 'node:fs';
import { parseSandboxSeed, startSandbox } from '../src/sandbox';

async function main(): Promise<void> {
  const seedFile = process.argv[2];
  if (!seedFile) throw new Error('usage: sandbox-process.js SEED.json');
  const seed = parseSandboxSeed(readFileSync(seedFile, 'utf8'));
  const sandbox = await startSandbox({ seed, httpPort: 0, httpsPort: 0 });
  const stop = () => void sandbox.stop().finally(() => process.exit(0));
  process.on('message', (message) => {
    if (message === 'stop') stop();
  });
  process.on('disconnect', stop);
  process.send?.({ httpUrl: sandbox.httpUrl, httpsUrl: sandbox.httpsUrl, certificatePem: sandbox.certificatePem });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
