// The canary run: credentials nobody has seen before (the sandbox's freshly made key pair and
// application password, and a made-up bearer token) go through every feature that touches a store,
// then JWT and OAuth 2.0 stores against the sandbox with a token plugin (their access tokens,
// refresh tokens, refresh cookie, password and client secret are canaries too), then every file VS Code and the extension wrote (the whole profile: settings, state, logs, the
// request log, history; and the workspace) and every message posted to a webview or the clipboard
// is searched for each canary in every written form a leak could take: raw, base64 (alone and as
// Basic credentials), percent-encoded and JSON-escaped.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, fetchRaw, workspaceFile, SANDBOX_ID } from './helpers';
import type { StoreCommandResult } from '../../src/store-commands';
import type { RunnerRequest } from '../../src/core/runner-request';

type Started = { httpsUrl: string; httpUrl: string };

/** Every form a secret could be written in. */
function forms(secret: string, partners: string[] = []): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const out = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), b64(secret), b64(secret).replace(/=+$/, '')]);
  for (const p of partners) { out.add(b64(`${p}:${secret}`)); out.add(b64(`${secret}:${p}`)); }
  return [...out];
}

function filesContaining(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[] = [];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); continue; }
      try {
        if (fs.statSync(p).size > 50 * 1024 * 1024) continue;
        const bytes = fs.readFileSync(p);
        for (const n of needles) if (bytes.includes(n)) hits.push(`${p} holds ${n.slice(0, 6)}…`);
      } catch { /* sockets, vanished files */ }
    }
  };
  walk(dir);
  return hits;
}

describe('the canary run: no credential in any file, log, setting, history, export or webview message', () => {
  let sandbox: Started;
  const canaries: string[] = [];
  const seen: string[] = [];
  const stores = ['canary-basic', 'canary-query', 'canary-oauth', 'canary-app', 'canary-bearer'];
  const tokenStores = ['canary-oauth2', 'canary-oauth2-cc', 'canary-jwt'];

  before(async () => {
    sandbox = (await vscode.commands.executeCommand<Started>('wooApiStudio.startSandboxStore', { restart: true }))!;
  });
  after(async () => {
    for (const id of [...stores, ...tokenStores]) await vscode.commands.executeCommand('wooApiStudio.removeStore', id, true);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('goes through stores, .http files, explanations, the doctor, the runner, the request log and the exports', async function () {
    this.timeout(180_000);
    const studio = await api();
    const keys = (await studio.stores.storedSecrets(SANDBOX_ID))!;
    const admin = studio.sandbox.current!.seed.users.find((u) => u.role === 'administrator')!;
    const appPassword = admin.application_passwords![0];
    const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ canary: Date.now() })).toString('base64url')}.c2lnbmF0dXJlY2FuYXJ5MTIzNDU2Nzg5MA`;
    canaries.push(...forms(keys.consumerSecret!, [keys.consumerKey!]), ...forms(keys.consumerKey!), ...forms(appPassword, [admin.login]), ...forms(appPassword.replace(/ /g, ''), [admin.login]), ...forms(token));
    const ca = studio.stores.get('sandbox')!.options!.caCertificateFile!;
    const add = async (args: Record<string, unknown>) => {
      const r = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { options: { caCertificateFile: ca }, saveOnFailure: true, ...args });
      assert.strictEqual(r.saved, true, JSON.stringify(r));
    };
    await add({ name: 'canary-basic', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic', consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret });
    await add({ name: 'canary-query', baseUrl: sandbox.httpsUrl, authMethod: 'wc-query', consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret });
    await add({ name: 'canary-oauth', baseUrl: sandbox.httpUrl, authMethod: 'wc-oauth1', consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret });
    await add({ name: 'canary-app', baseUrl: sandbox.httpsUrl, authMethod: 'app-password', username: admin.login, applicationPassword: appPassword });
    await add({ name: 'canary-bearer', baseUrl: sandbox.httpsUrl, authMethod: 'bearer', bearerToken: token });

    /** Every feature that touches a store, for these stores: .http sends explained, Test Connection, the doctor, Copy Store Config, the runner. */
    const exercise = async (names: string[], file: string) => {
      // .http files: each store, a 200 and a 401 (wrong path for the token), explained.
      const uri = workspaceFile(file);
      const blocks = names.map((s) => `### ${s}\n# @store ${s}\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=2\n`).join('\n');
      await vscode.workspace.fs.writeFile(uri, Buffer.from(blocks));
      const doc = await vscode.workspace.openTextDocument(uri);
      for (let line = 0; line < doc.lineCount; line++) {
        if (!/^GET /.test(doc.lineAt(line).text)) continue;
        await vscode.commands.executeCommand('wooApiStudio.sendRequest', uri, line);
        const explained = await vscode.commands.executeCommand<string | undefined>('wooApiStudio.explainLastResponse', uri.toString(), line);
        if (explained) seen.push(explained);
      }
      for (const s of names) {
        await vscode.commands.executeCommand('wooApiStudio.testConnection', s);
        const report = await vscode.commands.executeCommand('wooApiStudio.diagnoseStore', s, { quiet: true });
        seen.push(JSON.stringify(report ?? null));
        seen.push(String(await vscode.commands.executeCommand('wooApiStudio.copyStoreConfig', s)));
      }

      // The runner panel: send, fetch all, copy as cURL, save to a .http file; what it posted is searched.
      for (const s of names) {
        const panel = studio.runner.open();
        const req: RunnerRequest = { store: s, method: 'GET', path: 'wc/v3/products', query: [{ name: 'per_page', value: '2', enabled: true }], headers: [{ name: 'X-Api-Key', value: keys.consumerSecret!, enabled: true }], body: { kind: 'none', text: '' }, auth: 'store' };
        await panel.send(req);
        await panel.fetchAll(req);
        seen.push(String(await panel.copyCurl(req, false)));
        seen.push(await vscode.env.clipboard.readText());
        await panel.saveToHttp(req, workspaceFile('canary-saved.http'));
        seen.push(JSON.stringify(panel.posted));
      }
    };
    await exercise(stores, 'canary.http');

    // Token stores: every token, refresh token, refresh cookie, password and client secret they
    // ever hold is a canary too (collected each time a token changes).
    const collected = new Set<string>();
    const collect = async (id: string) => {
      const t = await studio.stores.storedSecrets(id);
      for (const v of [t?.accessToken, t?.refreshToken, t?.refreshCookie, t?.refreshCookie?.replace(/^[^=]*=/, ''), t?.password, t?.clientSecret]) {
        if (v && v.length >= 8 && !collected.has(v)) { collected.add(v); canaries.push(...forms(v)); }
      }
    };
    const watching = studio.tokens.onDidChange((id) => void collect(id));
    studio.tokens.openBrowser = async (u) => {
      // The browser: WP OAuth Server approves at once; its redirect goes to the URI handler.
      const answer = await fetchRaw(u.toString(true), { caFile: studio.stores.get('sandbox')!.options!.caCertificateFile! });
      setTimeout(() => void studio.tokens.receive(vscode.Uri.parse(String(answer.headers.location), true)), 10);
      return true;
    };
    try {
      await vscode.commands.executeCommand('wooApiStudio.startSandboxStoreWithTokens', { tokenPlugin: 'wp-oauth-server', accessTokenLifetimeSeconds: 5, oauthAutoApprove: true });
      const oauth = studio.sandbox.tokenStoreArgs('canary-oauth2')!;
      const client = studio.sandbox.current!.seed.oauth_clients!.find((c) => c.grant_types.includes('client_credentials'))!;
      canaries.push(...forms(client.client_secret, [client.client_id]));
      await add(oauth);
      await add({ name: 'canary-oauth2-cc', baseUrl: oauth.baseUrl, authMethod: 'oauth2', grant: 'client_credentials', clientId: client.client_id, clientSecret: client.client_secret, options: oauth.options });
      for (const id of ['canary-oauth2', 'canary-oauth2-cc']) await collect(id);
      await exercise(['canary-oauth2', 'canary-oauth2-cc'], 'canary-oauth2.http');
      // Sign in again and Remove Store's revocation go through the same secrets.
      await vscode.commands.executeCommand('wooApiStudio.signInAgain', 'canary-oauth2');
      await collect('canary-oauth2');

      await vscode.commands.executeCommand('wooApiStudio.startSandboxStoreWithTokens', { tokenPlugin: 'useful-team', accessTokenLifetimeSeconds: 5 });
      const jwt = studio.sandbox.tokenStoreArgs('canary-jwt')!;
      canaries.push(...forms(String(jwt.password), [String(jwt.username)]));
      await add(jwt);
      await collect('canary-jwt');
      await exercise(['canary-jwt'], 'canary-jwt.http');
      await collect('canary-jwt');
      assert.ok(collected.size >= 6, `tokens, refresh tokens, the refresh cookie, the password and the client secret were collected (${collected.size})`);
    } finally {
      watching.dispose();
    }
    seen.push(JSON.stringify(studio.runner.history()));
    await vscode.commands.executeCommand('wooApiStudio.showRequestLog');
    await studio.requestLog.flushed();
    // Let VS Code write its state, logs and output channels to disk.
    await new Promise((r) => setTimeout(r, 2000));
  });

  it('finds no canary in any message, export or clipboard the features produced', () => {
    const text = seen.join('\n');
    const found = canaries.filter((c) => text.includes(c));
    assert.deepStrictEqual(found.map((c) => `${c.slice(0, 6)}…`), []);
  });

  it('finds no canary in any file of the profile (settings, state, logs, request log, history) or the workspace', () => {
    const roots = [process.env.WOO_PROFILE_DIR, vscode.workspace.workspaceFolders![0].uri.fsPath].filter((d): d is string => !!d);
    assert.strictEqual(roots.length, 2, 'the runner gives the profile folder');
    assert.deepStrictEqual(roots.flatMap((r) => filesContaining(r, canaries)), []);
  });
});
