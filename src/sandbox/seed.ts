// Sandbox credentials: reading a seed file (with errors a person can act on) and generating fresh
// credentials in the shapes the real thing uses.
import * as crypto from 'node:crypto';
import { TOKEN_SEED_FIELDS, validateTokenSeed } from './tokens/seed';
import type { KeyPermissions, SandboxRole, SandboxSeed, SandboxSeedKey, SandboxSeedUser } from './types';
import { ROLES } from './users';

const PERMISSIONS: readonly KeyPermissions[] = ['read', 'write', 'read_write'];
const USER_FIELDS = ['id', 'login', 'role', 'email', 'password', 'application_passwords'];
const KEY_FIELDS = ['consumer_key', 'consumer_secret', 'permissions', 'user_id', 'description'];

/** Keys are 'ck_'/'cs_' + wc_rand_hash() = 40 hex characters (REFERENCE C.6 step 10, FACTS "Key format"). */
export const CONSUMER_KEY_PATTERN = /^ck_[0-9a-f]{40}$/;
export const CONSUMER_SECRET_PATTERN = /^cs_[0-9a-f]{40}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/** Parses and checks a seed (JSON text). Throws an Error whose message is one readable sentence. */
export function parseSandboxSeed(json: string): SandboxSeed {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`The seed is not valid JSON (${(err as Error).message}).`);
  }
  return validateSandboxSeed(raw);
}

/** Checks an already-parsed seed object; same errors as parseSandboxSeed. */
export function validateSandboxSeed(raw: unknown): SandboxSeed {
  if (!isObject(raw)) throw new Error('The seed must be a JSON object with "users" and "keys" arrays.');
  for (const field of Object.keys(raw)) {
    if (field !== 'users' && field !== 'keys' && !TOKEN_SEED_FIELDS.includes(field)) throw new Error(`The seed has an unknown field "${field}"; only "users", "keys", "oauth_clients" and "jwt_secret" are allowed.`);
  }
  if (!Array.isArray(raw.users) || raw.users.length === 0) throw new Error('The seed needs a non-empty "users" array.');
  if (!Array.isArray(raw.keys)) throw new Error('The seed needs a "keys" array (it may be empty).');

  const users: SandboxSeedUser[] = raw.users.map((u, i) => validateUser(u, i));
  const ids = new Set<number>();
  const logins = new Set<string>();
  for (const u of users) {
    if (ids.has(u.id)) throw new Error(`Two users in the seed have the id ${u.id}; ids must be unique.`);
    ids.add(u.id);
    // WordPress looks logins up case-insensitively (MySQL collation), so "Admin" and "admin" clash.
    const folded = u.login.toLowerCase();
    if (logins.has(folded)) throw new Error(`Two users in the seed have the login "${u.login}"; logins must be unique (case does not count).`);
    logins.add(folded);
  }

  const keys: SandboxSeedKey[] = raw.keys.map((k, i) => validateKey(k, i, ids));
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.consumer_key)) throw new Error(`The consumer key ending in ${k.consumer_key.slice(-7)} appears twice in the seed; consumer keys must be unique.`);
    seen.add(k.consumer_key);
  }
  return { users, keys, ...validateTokenSeed(raw, ids) };
}

function validateUser(u: unknown, index: number): SandboxSeedUser {
  const where = `users[${index}]`;
  if (!isObject(u)) throw new Error(`The seed's ${where} must be an object.`);
  for (const field of Object.keys(u)) {
    if (!USER_FIELDS.includes(field)) throw new Error(`The seed's ${where} has an unknown field "${field}"; allowed fields are ${list(USER_FIELDS)}.`);
  }
  if (typeof u.id !== 'number' || !Number.isInteger(u.id) || u.id < 1) throw new Error(`The seed's ${where}.id must be a positive whole number.`);
  if (typeof u.login !== 'string' || u.login.trim() === '') throw new Error(`The seed's ${where}.login must be a non-empty string.`);
  if (u.login !== u.login.trim()) throw new Error(`The seed's ${where}.login "${u.login}" has leading or trailing spaces, which WordPress would strip.`);
  if (typeof u.role !== 'string' || !ROLES.includes(u.role as SandboxRole)) throw new Error(`The seed's ${where}.role must be one of ${list(ROLES)}.`);
  const user: SandboxSeedUser = { id: u.id, login: u.login, role: u.role as SandboxRole };
  if (u.email !== undefined) {
    if (typeof u.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(u.email)) throw new Error(`The seed's ${where}.email must be an email address.`);
    user.email = u.email;
  }
  if (u.password !== undefined) {
    if (typeof u.password !== 'string' || u.password === '') throw new Error(`The seed's ${where}.password must be a non-empty string.`);
    user.password = u.password;
  }
  if (u.application_passwords !== undefined) {
    if (!Array.isArray(u.application_passwords)) throw new Error(`The seed's ${where}.application_passwords must be an array of strings.`);
    user.application_passwords = u.application_passwords.map((p, j) => {
      // WordPress compares only the letters and digits (spaces are for readability), so a password
      // with none would match an empty one.
      if (typeof p !== 'string' || p.replace(/[^a-z\d]/gi, '').length === 0) {
        throw new Error(`The seed's ${where}.application_passwords[${j}] must be a string with letters or digits (WordPress makes 24 of them).`);
      }
      return p;
    });
  }
  return user;
}

function validateKey(k: unknown, index: number, userIds: Set<number>): SandboxSeedKey {
  const where = `keys[${index}]`;
  if (!isObject(k)) throw new Error(`The seed's ${where} must be an object.`);
  for (const field of Object.keys(k)) {
    if (!KEY_FIELDS.includes(field)) throw new Error(`The seed's ${where} has an unknown field "${field}"; allowed fields are ${list(KEY_FIELDS)}.`);
  }
  if (typeof k.consumer_key !== 'string' || !CONSUMER_KEY_PATTERN.test(k.consumer_key)) {
    throw new Error(`The seed's ${where}.consumer_key must be "ck_" followed by 40 lowercase hex characters, as WooCommerce makes them.`);
  }
  if (typeof k.consumer_secret !== 'string' || !CONSUMER_SECRET_PATTERN.test(k.consumer_secret)) {
    throw new Error(`The seed's ${where}.consumer_secret must be "cs_" followed by 40 lowercase hex characters, as WooCommerce makes them.`);
  }
  if (typeof k.permissions !== 'string' || !PERMISSIONS.includes(k.permissions as KeyPermissions)) {
    throw new Error(`The seed's ${where}.permissions must be one of ${list(PERMISSIONS)}.`);
  }
  if (typeof k.user_id !== 'number' || !userIds.has(k.user_id)) {
    throw new Error(`The seed's ${where}.user_id must be the id of one of the seed's users.`);
  }
  const key: SandboxSeedKey = { consumer_key: k.consumer_key, consumer_secret: k.consumer_secret, permissions: k.permissions as KeyPermissions, user_id: k.user_id };
  if (k.description !== undefined) {
    if (typeof k.description !== 'string') throw new Error(`The seed's ${where}.description must be a string.`);
    key.description = k.description;
  }
  return key;
}

const hex40 = (): string => crypto.randomBytes(20).toString('hex');

/** wp_generate_password( 24, false ): 24 characters from [a-zA-Z0-9]. */
export function generateApplicationPassword(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = '';
  while (out.length < 24) {
    const byte = crypto.randomBytes(1)[0]!;
    if (byte < 248) out += alphabet[byte % 62]; // 248 = 4 * 62: no modulo bias
  }
  return out;
}

/** Fresh credentials: an administrator with an application password and a read_write + a read key. */
export function generateSandboxSeed(): SandboxSeed {
  return {
    users: [
      { id: 1, login: 'admin', role: 'administrator', email: 'admin@sandbox.example', application_passwords: [generateApplicationPassword()] },
      { id: 2, login: 'shopmanager', role: 'shop_manager', email: 'manager@sandbox.example', application_passwords: [generateApplicationPassword()] },
      { id: 3, login: 'customer1', role: 'customer', email: 'customer1@sandbox.example', application_passwords: [generateApplicationPassword()] },
    ],
    keys: [
      { consumer_key: `ck_${hex40()}`, consumer_secret: `cs_${hex40()}`, permissions: 'read_write', user_id: 1, description: 'Sandbox (read_write)' },
      { consumer_key: `ck_${hex40()}`, consumer_secret: `cs_${hex40()}`, permissions: 'read', user_id: 1, description: 'Sandbox (read)' },
    ],
  };
}
