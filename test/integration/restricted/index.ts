// The Restricted Mode suite's extensionTestsPath: the same contract as ../index.ts, run by
// test/run-integration.mjs --suite restricted with Workspace Trust on and the folder untrusted.
import { runSuite } from '../index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
