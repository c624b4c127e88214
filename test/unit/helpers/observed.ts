// The 68 responses recorded from a real WooCommerce 8.2.2 store, kept in the repository at
// test/fixtures/observed-wc-8.2.2.json (what they show is written up in
// docs/woocommerce-auth-facts.md).
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

export function observedCases(): RecordedCase[] {
  const file = path.join(repoRoot(), 'test', 'fixtures', 'observed-wc-8.2.2.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedCase[];
}
