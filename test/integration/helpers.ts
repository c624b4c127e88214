import * as assert from 'assert';
import * as fs from 'fs';
import * as https from 'https';
import * as http from 'http';
import * as vscode from 'vscode';
import type { WooApiStudio } from '../../src/extension';

export const EXTENSION_ID = 'woo-api-studio.woo-api-studio';

export function extension(): vscode.Extension<WooApiStudio> {
  const ext = vscode.extensions.getExtension<WooApiStudio>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed in the host`);
  return ext;
}

export async function api(): Promise<WooApiStudio> {
  return extension().activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(root, 'the test workspace is open');
  return vscode.Uri.joinPath(root, name);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read field by field by the assertions
export interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string; json?: any }

/** A plain request on loopback, TLS verified against the given CA file. */
export function fetchRaw(url: string, init: { method?: string; headers?: Record<string, string>; caFile?: string; body?: string } = {}): Promise<Answer> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, {
      method: init.method ?? 'GET',
      headers: init.headers,
      ca: init.caFile ? fs.readFileSync(init.caFile) : undefined,
      rejectUnauthorized: true,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(body); } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

/** The sandbox store's id (src/sandbox-store.ts SANDBOX_STORE_ID): its name is "sandbox", its id no settings entry can have. */
export const SANDBOX_ID = '$sandbox';
