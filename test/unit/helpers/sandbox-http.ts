// A raw HTTP(S) client for the sandbox tests: node:http / node:https with the request path sent
// exactly as written (no URL normalisation), TLS verified against the sandbox's own certificate.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import type { SandboxSeed } from '../../../src/sandbox';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

export interface SendOptions {
  method?: string;
  /** Path and query, sent as-is. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** PEM CA for HTTPS; when omitted over HTTPS the default trust store is used. */
  ca?: string;
}

export function send(origin: string, o: SendOptions): Promise<Reply> {
  const url = new URL(origin);
  const isHttps = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const options: https.RequestOptions = {
    host,
    port: Number(url.port),
    method: o.method ?? 'GET',
    path: o.path,
    headers: { ...(o.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(o.body)) } : {}), ...(o.headers ?? {}) },
    agent: false,
    ...(isHttps ? { ca: o.ca, rejectUnauthorized: true, servername: net.isIP(host) ? undefined : host } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${o.method ?? 'GET'} ${o.path}`)));
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

export const basicAuth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/** A JSON object body (error or item). */
export function obj(r: Reply): Record<string, unknown> {
  if (!r.json || typeof r.json !== 'object' || Array.isArray(r.json)) throw new Error(`Expected a JSON object, got ${r.status}: ${r.text.slice(0, 300)}`);
  return r.json as Record<string, unknown>;
}

/** A JSON array body (collection). */
export function arr(r: Reply): Record<string, unknown>[] {
  if (!Array.isArray(r.json)) throw new Error(`Expected a JSON array, got ${r.status}: ${r.text.slice(0, 300)}`);
  return r.json as Record<string, unknown>[];
}

/** The repository root (where package.json is), found from this compiled file's location. */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && /"name":\s*"woo-api-studio"/.test(fs.readFileSync(pkg, 'utf8'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`Cannot find the repository root above ${__dirname}.`);
}

export function fixtureSeed(): SandboxSeed {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'sandbox-seed.json'), 'utf8')) as SandboxSeed;
}

/** The seed's credentials by purpose. */
export function credentials(seed: SandboxSeed) {
  const readKey = seed.keys.find((k) => k.permissions === 'read')!;
  const rwKey = seed.keys.find((k) => k.permissions === 'read_write')!;
  const admin = seed.users.find((u) => u.role === 'administrator')!;
  const customer = seed.users.find((u) => u.role === 'customer')!;
  return { readKey, rwKey, admin, customer, adminAppPassword: admin.application_passwords![0]!, customerAppPassword: customer.application_passwords![0]! };
}
