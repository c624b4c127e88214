// The 68 responses recorded from a real WooCommerce 8.2.2 store (../shared/woo-auth/).
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './sandbox-http';

export interface RecordedCase {
  case: string;
  request_summary: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** WOO_AUTH_OBSERVED overrides where the recording is read from. */
export function observedCases(): RecordedCase[] {
  const file = process.env.WOO_AUTH_OBSERVED ?? path.resolve(repoRoot(), '..', 'shared', 'woo-auth', 'observed-wc-8.2.2.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedCase[];
}
