// Replays the exchanges recorded with the three token plugins on WordPress 6.4.1 + WooCommerce
// 8.2.2 (test/fixtures/observed-token-plugins.json) against the sandbox in the matching
// --token-plugin mode, and requires the same answer: status; the error's code and message (or
// OAuth's error, error_description, error_uri); the shape of successful bodies (the same keys, a
// JWT where a JWT was, 40 characters where 40 were); the claims of issued tokens (iss, lifetime,
// the user id's type, device); and the headers that carry meaning (Content-Type, Cache-Control,
// Allow, Vary, X-Redirect-By, Location, each Set-Cookie's name and attributes).
//
// Every case builds its own request from scratch (its own tokens, codes and cookies), so each `it`
// stands alone. Lifetimes are set as in the recording (access 60 s for the JWT plugins, refresh
// 120 s for Useful Team); expiry is reached by moving the sandbox's clock, not by waiting.
import * as assert from 'node:assert/strict';
import type { Reply } from './helpers/sandbox-http';
import { NOT_REPRODUCED, rawCaller, startTokenSandboxes, tokenCaseRequests, type Sandboxes } from './helpers/token-cases';
import { claimsOf, recordedTokenCases, tokenSeed, type RecordedTokenCase } from './helpers/token-fixtures';

const seed = tokenSeed();
const [clientA, clientB] = seed.oauth_clients!;
const REQUESTS = tokenCaseRequests(rawCaller);

// ---------------------------------------------------------------------------------------------
// Comparing

const RECORDED_ORIGIN = /https?:(?:\\\/|\/){2}127\.0\.0\.1:(?:80|84)9\d/g;
const OUR_ORIGIN = /https?:(?:\\\/|\/){2}127\.0\.0\.1:\d+/g;
const norm = (s: string, recorded: boolean): string => s.replace(recorded ? RECORDED_ORIGIN : OUR_ORIGIN, (m) => (m.startsWith('https') ? 'HTTPS-ORIGIN' : 'HTTP-ORIGIN'));
/** The recording's client ids and the seed's. */
const CLIENT_IDS: Record<string, string> = { qOERy4XDSXj35Iqn0SmvzpXeEyqpUPWzucOJbDwF: clientA!.client_id, MxlufVSLWEfF7zAAOmEH8VOjqYdb3EjiU2kzIFHa: clientB!.client_id };

/** Values compared as they are; everything else by type and shape. */
const LITERAL = new Set(['code', 'message', 'success', 'statusCode', 'error', 'error_description', 'error_uri', 'active', 'scope', 'revoked', 'status', 'description', 'token_type', 'expires_in', 'iframe', 'state', 'client_id']);

function compareValue(recorded: unknown, ours: unknown, where: string): void {
  if (typeof recorded === 'string') {
    const masked = /^(.{6})\.\.\.\((\d+) chars(, JWT)?\)$/.exec(recorded);
    if (masked) {
      assert.equal(typeof ours, 'string', `${where}: a string`);
      if (masked[3]) assert.match(String(ours), /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/, `${where}: a JWT`);
      else if (Number(masked[2]) === 40) assert.equal(String(ours).length, 40, `${where}: 40 characters`);
      return;
    }
  }
  if (Array.isArray(recorded)) {
    assert.ok(Array.isArray(ours), `${where}: an array, got ${JSON.stringify(ours)?.slice(0, 200)}`);
    assert.equal((ours as unknown[]).length > 0, recorded.length > 0, `${where}: ${recorded.length ? 'not ' : ''}empty`);
    if (recorded.length && typeof recorded[0] === 'object') compareValue(recorded[0], (ours as unknown[])[0], `${where}[0]`);
    return;
  }
  if (recorded && typeof recorded === 'object') {
    assert.ok(ours && typeof ours === 'object' && !Array.isArray(ours), `${where}: an object, got ${JSON.stringify(ours)?.slice(0, 200)}`);
    const r = recorded as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    if ('_summary' in r) return; // trimmed by the recorder (capabilities)
    for (const k of Object.keys(r)) {
      assert.ok(k in o, `${where}.${k} is missing (ours: ${Object.keys(o).join(', ')})`);
      if (LITERAL.has(k) && (typeof r[k] !== 'object' || r[k] === null)) {
        const expected = typeof r[k] === 'string' ? norm(CLIENT_IDS[r[k] as string] ?? (r[k] as string), true) : r[k];
        assert.deepEqual(typeof o[k] === 'string' ? norm(o[k] as string, false) : o[k], expected, `${where}.${k}`);
      } else {
        compareValue(r[k], o[k], `${where}.${k}`);
      }
    }
    return;
  }
  if (typeof recorded === 'string' && /^https?:/.test(recorded)) assert.equal(norm(String(ours), false), norm(recorded, true), where);
  else if (recorded !== null) assert.equal(typeof ours, typeof recorded, `${where}: ${typeof recorded}`);
}

function cookieShape(c: string): string {
  const [pair, ...attrs] = c.split(';').map((x) => x.trim());
  const name = pair!.slice(0, pair!.indexOf('=')).replace(/_[0-9a-f]{32}$/, '_HASH');
  const kept = attrs.filter((a) => !/^expires=/i.test(a));
  return [name, ...kept].join('; ');
}

function compareLocation(recorded: string, ours: string | undefined): void {
  assert.ok(ours, 'Location');
  const r = new URL(recorded.replace(RECORDED_ORIGIN, 'https://recorded.test'));
  const o = new URL(ours.replace(OUR_ORIGIN, 'https://recorded.test'));
  assert.equal(`${o.protocol}${o.pathname}`, `${r.protocol}${r.pathname}`, `Location path (${ours})`);
  assert.deepEqual([...o.searchParams.keys()], [...r.searchParams.keys()], 'Location query names');
  for (const name of ['state', 'error', 'error_description', 'iframe']) {
    if (r.searchParams.has(name)) assert.equal(o.searchParams.get(name), r.searchParams.get(name), `Location ${name}`);
  }
  const back = r.searchParams.get('redirect_to');
  if (back) compareLocation(back, o.searchParams.get('redirect_to') ?? undefined);
}

function compareClaims(recorded: RecordedTokenCase, reply: Reply): void {
  const expected = recorded.token_claims?.response_token;
  if (!expected) return;
  const body = reply.json as Record<string, unknown>;
  const token = (body.token ?? (body.data as Record<string, unknown> | undefined)?.token ?? body.access_token) as string;
  const [h, c] = [JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>, claimsOf(token)];
  assert.deepEqual(Object.keys(h).sort(), Object.keys(expected.header).sort(), 'JWT header fields');
  assert.equal(h.alg, expected.header.alg, 'alg');
  assert.deepEqual(Object.keys(c).sort(), Object.keys(expected.claims).sort(), 'claim names');
  assert.equal(norm(String(c.iss), false), norm(String(expected.claims.iss), true), 'iss');
  assert.equal(Number(c.exp) - Number(c.iat), Number(expected.claims.exp) - Number(expected.claims.iat), 'lifetime (exp - iat)');
  const user = (d: Record<string, unknown>) => (d.data as { user?: Record<string, unknown> } | undefined)?.user;
  const [eu, ou] = [user(expected.claims), user(c)];
  if (eu) {
    assert.ok(ou, 'data.user');
    assert.deepEqual(Object.keys(ou).sort(), Object.keys(eu).sort(), 'data.user fields');
    assert.equal(typeof ou.id, typeof eu.id, 'type of data.user.id');
    if ('device' in eu) assert.equal(ou.device, eu.device, 'data.user.device');
    if ('pass' in eu) assert.match(String(ou.pass), /^[0-9a-f]{32}$/, 'data.user.pass');
  }
}

function assertMatches(recorded: RecordedTokenCase, reply: Reply): void {
  const theirs = recorded.response.headers;
  const ours = reply.headers;
  assert.equal(reply.status, recorded.response.status, `status (body: ${reply.text.slice(0, 300)})`);
  assert.equal(ours['content-type'], theirs['content-type'], 'Content-Type');
  assert.equal(ours['cache-control'], theirs['cache-control'], 'Cache-Control');
  assert.equal(ours['allow'], theirs['allow'], 'Allow');
  assert.equal(ours['vary'], theirs['vary'], 'Vary');
  assert.equal(ours['x-redirect-by'], theirs['x-redirect-by'], 'X-Redirect-By');
  assert.equal(ours['x-wp-total'] !== undefined, theirs['x-wp-total'] !== undefined, 'X-WP-Total present');
  if (typeof theirs['location'] === 'string') compareLocation(theirs['location'], ours['location']);
  else assert.equal(ours['location'], undefined, 'no Location');
  const cookies = (v: unknown): string[] => ([] as string[]).concat((v as string | string[] | undefined) ?? []);
  assert.deepEqual(cookies(ours['set-cookie']).map(cookieShape), cookies(theirs['set-cookie']).map(cookieShape), 'Set-Cookie names and attributes');

  const body = recorded.response.body;
  if (typeof body === 'string' || body === null) assert.equal(reply.text, body ?? '', 'body');
  else if (body && typeof body === 'object' && '_html' in body) assert.match(reply.text, /^<!DOCTYPE html>/i, 'an HTML page');
  else compareValue(body, reply.json, 'body');
  compareClaims(recorded, reply);
}

// ---------------------------------------------------------------------------------------------

describe('sandbox replays the exchanges recorded with the three token plugins', function () {
  this.timeout(60_000);
  const recorded = recordedTokenCases();
  const sandboxes = {} as Sandboxes;

  before(async () => {
    Object.assign(sandboxes, await startTokenSandboxes());
  });
  after(async () => {
    await Promise.all(Object.values(sandboxes).map((sb) => sb?.stop()));
  });

  it('has a request, or a reason, for every one of the 168 recorded cases', () => {
    assert.equal(recorded.length, 168);
    assert.deepEqual(recorded.map((c) => c.case).filter((name) => !(name in REQUESTS) && !(name in NOT_REPRODUCED)), []);
    assert.deepEqual(Object.keys(REQUESTS).filter((name) => !recorded.some((c) => c.case === name)), [], 'requests for cases that were not recorded');
  });

  for (const c of recorded) {
    if (c.case in NOT_REPRODUCED) continue;
    it(c.case, async () => {
      const build = REQUESTS[c.case];
      assert.ok(build, `no request written for "${c.case}"`);
      assertMatches(c, await build(sandboxes));
    });
  }
});
