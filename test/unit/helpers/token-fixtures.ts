// Shared by the token tests: the 168 exchanges recorded with the three token plugins
// (test/fixtures/observed-token-plugins.json), the token seed, and a tiny HS256 signer of the
// tests' own (neither the sandbox's nor the client's: forged tokens must come from a third party).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxSeed } from '../../../src/sandbox';
import { repoRoot } from './sandbox-http';

export interface RecordedTokenCase {
  plugin: string;
  case: string;
  request: { method: string; url: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string | string[]>; body: unknown };
  token_claims?: Record<string, { header: Record<string, unknown>; claims: Record<string, unknown> }>;
  notes?: string;
  token_age_s?: number;
  code_age_s?: number;
}

export function recordedTokenCases(): RecordedTokenCase[] {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'observed-token-plugins.json'), 'utf8')) as RecordedTokenCase[];
}

export function tokenSeed(): SandboxSeed {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'token-sandbox-seed.json'), 'utf8')) as SandboxSeed;
}

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

/** An HS256 JWT signed with `secret` (the site's, to make tokens the plugin would accept, or another). */
export function testJwt(claims: Record<string, unknown>, secret: string): string {
  const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(crypto.createHmac('sha256', secret).update(input).digest())}`;
}

/** The claims of a JWT, read without checking anything. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** S256 code challenge of a verifier. */
export function s256(verifier: string): string {
  return crypto.createHash('sha256').update(verifier).digest('base64url');
}
