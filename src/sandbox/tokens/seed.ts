// The seed's token part: `oauth_clients` (WP OAuth Server's clients) and `jwt_secret`, checked
// with errors a person can act on; and the credentials generated when no seed is given.
import * as crypto from 'node:crypto';
import type { OAuthGrantType, SandboxSeed, SandboxSeedOAuthClient } from '../types';

const GRANTS: readonly OAuthGrantType[] = ['authorization_code', 'client_credentials', 'password', 'refresh_token', 'implicit'];
const CLIENT_FIELDS = ['client_id', 'client_secret', 'redirect_uri', 'grant_types', 'user_id'];
export const TOKEN_SEED_FIELDS = ['oauth_clients', 'jwt_secret'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/** Checks the token fields of a raw seed; returns them to merge into the checked seed. */
export function validateTokenSeed(raw: Record<string, unknown>, userIds: Set<number>): Pick<SandboxSeed, 'oauth_clients' | 'jwt_secret'> {
  const out: Pick<SandboxSeed, 'oauth_clients' | 'jwt_secret'> = {};
  if (raw.jwt_secret !== undefined) {
    if (typeof raw.jwt_secret !== 'string' || raw.jwt_secret.length < 8) throw new Error('The seed\'s "jwt_secret" must be a string of at least 8 characters (the JWT plugins\' JWT_AUTH_SECRET_KEY).');
    out.jwt_secret = raw.jwt_secret;
  }
  if (raw.oauth_clients === undefined) return out;
  if (!Array.isArray(raw.oauth_clients)) throw new Error('The seed\'s "oauth_clients" must be an array of clients.');
  const ids = new Set<string>();
  out.oauth_clients = raw.oauth_clients.map((c, i) => {
    const where = `oauth_clients[${i}]`;
    if (!isObject(c)) throw new Error(`The seed's ${where} must be an object.`);
    for (const field of Object.keys(c)) if (!CLIENT_FIELDS.includes(field)) throw new Error(`The seed's ${where} has an unknown field "${field}"; allowed fields are ${list(CLIENT_FIELDS)}.`);
    if (typeof c.client_id !== 'string' || !/^[\x21-\x7e]+$/.test(c.client_id)) throw new Error(`The seed's ${where}.client_id must be a non-empty string without spaces.`);
    if (ids.has(c.client_id)) throw new Error(`The client id "${c.client_id}" appears twice in the seed's oauth_clients.`);
    ids.add(c.client_id);
    if (typeof c.client_secret !== 'string') throw new Error(`The seed's ${where}.client_secret must be a string ("" for a public client).`);
    if (typeof c.redirect_uri !== 'string' || !URL.canParse(c.redirect_uri)) throw new Error(`The seed's ${where}.redirect_uri must be an absolute URL, such as vscode://woo-api-studio.woo-api-studio/oauth or http://127.0.0.1:8999/callback.`);
    if (!Array.isArray(c.grant_types) || c.grant_types.length === 0 || c.grant_types.some((g) => !GRANTS.includes(g as OAuthGrantType))) {
      throw new Error(`The seed's ${where}.grant_types must be a non-empty array of ${list(GRANTS)}.`);
    }
    const client: SandboxSeedOAuthClient = { client_id: c.client_id, client_secret: c.client_secret, redirect_uri: c.redirect_uri, grant_types: [...new Set(c.grant_types as OAuthGrantType[])] };
    if (c.user_id !== undefined) {
      if (typeof c.user_id !== 'number' || (c.user_id !== 0 && !userIds.has(c.user_id))) throw new Error(`The seed's ${where}.user_id must be 0 or the id of one of the seed's users.`);
      client.user_id = c.user_id;
    }
    return client;
  });
  return out;
}

/** A client id as WP OAuth Server makes them: 40 letters and digits. */
function clientId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < 40) {
    const byte = crypto.randomBytes(1)[0]!;
    if (byte < 248) out += alphabet[byte % 62];
  }
  return out;
}

/**
 * Fresh token credentials for a generated seed: a WordPress password for each user, and two
 * clients, one as the CE admin form makes them (authorization code only) and one allowed every
 * grant (client credentials acting as the first user).
 */
export function addGeneratedTokenCredentials(seed: SandboxSeed, redirectUri: string): void {
  for (const u of seed.users) u.password ??= crypto.randomBytes(12).toString('base64url');
  seed.oauth_clients ??= [
    { client_id: clientId(), client_secret: clientId(), redirect_uri: redirectUri, grant_types: ['authorization_code'] },
    { client_id: clientId(), client_secret: clientId(), redirect_uri: redirectUri, grant_types: ['authorization_code', 'client_credentials', 'password', 'refresh_token'], user_id: seed.users[0]?.id ?? 0 },
  ];
}
