// Environments: REST Client's `rest-client.environmentVariables` setting (SPEC §3.3) and JetBrains'
// `http-client.env.json` + `http-client.private.env.json` (SPEC §4.4), each flattened into the plain
// `Record<string, string>` that variable resolution reads. Also `.env` parsing for `{{$dotenv}}`.
// Reading the files is the caller's job; everything here is pure and never throws.

import { parse as parseDotenvText } from 'dotenv';
import * as path from 'node:path';

export type EnvironmentSet = Record<string, Record<string, string>>;

/** The REST Client name of "no environment": only `$shared` applies (P31). */
export const SHARED = '$shared';

/** Keeps string, number and boolean values (as strings); objects (SSLConfiguration, Security, ...) are dropped. */
export function normalizeEnvironments(value: unknown): EnvironmentSet {
  const out: EnvironmentSet = {};
  if (!isRecord(value)) return out;
  for (const [env, vars] of Object.entries(value)) {
    if (!isRecord(vars)) continue;
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(vars)) {
      if (typeof v === 'string') flat[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') flat[k] = String(v);
    }
    out[env] = flat;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Environment names a user can pick (everything but `$shared`), in the order written. */
export function environmentNames(...sets: unknown[]): string[] {
  const names: string[] = [];
  for (const set of sets) {
    for (const name of Object.keys(normalizeEnvironments(set))) if (name !== SHARED && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * REST Client: `{...$shared, ...current}`, then `{{$shared key}}` and `{{$<env> key}}` inside values
 * are replaced by that environment's value (master behaviour: only the matched text is replaced).
 * No other expansion happens: a value holding `{{x}}` is inserted as written (P15).
 */
export function restClientEnvironment(settings: unknown, environmentName?: string): Record<string, string> {
  const envs = normalizeEnvironments(settings);
  const shared = envs[SHARED] ?? {};
  const current = environmentName && environmentName !== SHARED ? (envs[environmentName] ?? {}) : {};
  const merged: Record<string, string> = { ...shared, ...current };
  for (const [k, v] of Object.entries(merged)) {
    if (v.indexOf('{{') === -1) continue;
    merged[k] = v.replace(/\{\{\s*\$([^\s{}]+)\s+([^\s{}]+)\s*\}\}/g, (m, env: string, key: string) => {
      const source = env === 'shared' ? shared : envs[env];
      const value = source?.[key];
      return value === undefined ? m : value;
    });
  }
  return merged;
}

/**
 * JetBrains: the public and private files have the same shape; private values override public
 * ones (SPEC §4.4 and §9: what Rider and httpYac do, although JetBrains' docs say the reverse).
 * `$shared` (Visual Studio's extension of the format) applies underneath both.
 */
export function jetbrainsEnvironment(publicFile: unknown, privateFile: unknown, environmentName?: string): Record<string, string> {
  const pub = normalizeEnvironments(publicFile);
  const priv = normalizeEnvironments(privateFile);
  const pick = (set: EnvironmentSet, name: string | undefined) => (name !== undefined ? (set[name] ?? {}) : {});
  return {
    ...pick(pub, SHARED),
    ...pick(priv, SHARED),
    ...(environmentName !== SHARED ? pick(pub, environmentName) : {}),
    ...(environmentName !== SHARED ? pick(priv, environmentName) : {}),
  };
}

/**
 * The names whose value comes from `http-client.private.env.json` (for the environment, or its
 * `$shared`): that file is where secrets go, so their values are masked like $dotenv values.
 */
export function privateEnvironmentNames(privateFile: unknown, environmentName?: string): Set<string> {
  const priv = normalizeEnvironments(privateFile);
  return new Set([...Object.keys(priv[SHARED] ?? {}), ...(environmentName !== undefined && environmentName !== SHARED ? Object.keys(priv[environmentName] ?? {}) : [])]);
}

/** Later layers win. */
export function mergeEnvironments(...layers: (Record<string, string> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const layer of layers) if (layer) Object.assign(out, layer);
  return out;
}

export interface EnvironmentFileResult {
  environments: EnvironmentSet;
  /** A sentence when the text is not a JSON object (never contains values from the file). */
  error?: string;
}

/** Parses the text of an `http-client(.private).env.json` file. */
export function parseEnvironmentFile(text: string): EnvironmentFileResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const where = e instanceof SyntaxError ? e.message.replace(/^.*?(at position \d+.*)$/, '$1') : '';
    return { environments: {}, error: `The environment file is not valid JSON${where && where !== (e as Error).message ? ` (${where})` : ''}.` };
  }
  if (!isRecord(value)) return { environments: {}, error: 'The environment file must hold a JSON object: { "env": { "name": "value" } }.' };
  return { environments: normalizeEnvironments(value) };
}

/**
 * A `.env` file, read by the `dotenv` package's own parser (what REST Client and httpYac users
 * expect): `KEY=value`, optional `export `, `#` comments, single/double/backtick quotes (double quotes
 * expand \n and \r), multi-line quoted values, inline ` #` comments after unquoted values.
 */
export function parseDotenv(text: string): Record<string, string> {
  return parseDotenvText(text);
}

/**
 * Where `{{$dotenv}}` looks, nearest first: `.env.<environment>` then `.env` in the request file's
 * folder and each parent up to `stopAt` (inclusive) or the filesystem root (SPEC §3.6, P32).
 */
export function dotenvCandidates(httpFileDir: string, environmentName?: string, stopAt?: string): string[] {
  const out: string[] = [];
  let dir = path.resolve(httpFileDir);
  const stop = stopAt !== undefined ? path.resolve(stopAt) : undefined;
  for (;;) {
    if (environmentName && environmentName !== SHARED) out.push(path.join(dir, `.env.${environmentName}`));
    out.push(path.join(dir, '.env'));
    if (stop !== undefined && dir === stop) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}
