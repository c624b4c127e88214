import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { api, fetchRaw, waitFor, workspaceFile } from './helpers';
import type { SendSummary } from '../../src/send-request';
import type { StoreCommandResult } from '../../src/store-commands';
import type { DoctorReport } from '../../src/core/explain/probes';

const EXPLAIN = 'WooCommerce API Studio (explain)';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function writeHttp(name: string, store: string): Promise<vscode.Uri> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(`@store = ${store}\n\n### products\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n`));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
}

const sendAt = (uri: vscode.Uri) => vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 3);

/** The exchange document once it shows `pattern` (the content provider's update reaches the document a moment later). */
async function exchangeShows(summary: SendSummary | undefined, pattern: RegExp): Promise<void> {
  const text = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === summary?.exchangeDocument)?.getText() ?? '';
  await waitFor(`the exchange to show ${pattern}`, () => (pattern.test(text()) ? true : undefined), 5000).catch(() => assert.match(text(), pattern));
}

/**
 * The browser of these tests: follows the authorize URL as a browser would (the sandbox's WP OAuth
 * Server approves at once with --oauth-auto-approve) and hands the vscode:// redirect to the
 * extension's URI handler.
 */
async function browserThatApproves(ca: string): Promise<{ redirects: string[] }> {
  const studio = await api();
  const seen = { redirects: [] as string[] };
  studio.tokens.openBrowser = async (uri) => {
    const answer = await fetchRaw(uri.toString(true), { caFile: ca });
    const location = String(answer.headers.location ?? '');
    seen.redirects.push(location);
    setTimeout(() => void studio.tokens.receive(vscode.Uri.parse(location, true)), 10);
    return true;
  };
  return seen;
}

describe('Tokens: JWT and OAuth 2.0 stores in VS Code', function () {
  this.timeout(120_000);

  after(async () => {
    for (const name of ['tok-oauth', 'tok-jwt', 'tok-jwt-long']) await vscode.commands.executeCommand('wooApiStudio.removeStore', name, true);
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('OAuth 2.0: browser sign-in with PKCE through the URI handler; 5-second tokens renewed on requests 10 s apart; a revoked refresh token gives one finding and "Sign in again" repairs it', async () => {
    const studio = await api();
    const started = await vscode.commands.executeCommand<{ httpsUrl: string }>('wooApiStudio.startSandboxStoreWithTokens', { tokenPlugin: 'wp-oauth-server', accessTokenLifetimeSeconds: 5, oauthAutoApprove: true });
    assert.ok(started, 'the sandbox started with WP OAuth Server');
    const args = studio.sandbox.tokenStoreArgs('tok-oauth')!;
    const ca = (args.options as { caCertificateFile: string }).caCertificateFile;
    const browser = await browserThatApproves(ca);

    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', args);
    assert.strictEqual(added?.saved, true, JSON.stringify(added));
    assert.strictEqual(added?.test?.ok, true, JSON.stringify(added?.test));
    // The authorization request: PKCE S256 and a state; the browser came back with a code and that state.
    const authorize = new URL(studio.tokens.lastAuthorizeUrl!);
    assert.strictEqual(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const back = new URL(browser.redirects[0]!);
    assert.strictEqual(back.searchParams.get('state'), authorize.searchParams.get('state'));
    assert.ok(back.searchParams.get('code'));
    // Discovery filled in the endpoints; the settings hold no secret, SecretStorage the tokens.
    const store = studio.stores.get('tok-oauth')!;
    assert.match(store.token?.tokenUrl ?? '', /\/oauth\/token\/$/);
    assert.strictEqual(store.token?.plugin, 'wp-oauth-server');
    const secrets = (await studio.stores.storedSecrets(store.id))!;
    assert.ok(secrets.accessToken && secrets.refreshToken, 'tokens in SecretStorage');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('wooApiStudio').get('stores'));
    for (const s of [secrets.accessToken, secrets.refreshToken, secrets.clientSecret]) if (s) assert.ok(!settings.includes(s), 'no token or client secret in settings');

    // A state nobody started is refused.
    assert.strictEqual(studio.tokens.receive(vscode.Uri.parse(`${vscode.env.uriScheme}://woo-api-studio.woo-api-studio/oauth?code=x&state=forged`)), false);

    const uri = await writeHttp('tokens-oauth.http', 'tok-oauth');
    const first = await sendAt(uri);
    assert.strictEqual(first?.status, 200, JSON.stringify(first));
    await sleep(10_000);
    const second = await sendAt(uri);
    assert.strictEqual(second?.status, 200, JSON.stringify(second));
    assert.ok(second?.renewals?.some((m) => /Renewed the token of "tok-oauth" with the refresh token/.test(m)), JSON.stringify(second?.renewals));
    await exchangeShows(second, /# Token \(renewed before sending[^\n]*with the refresh token/);
    await exchangeShows(second, /# {3}POST \S+\/oauth\/token\/ → 200/);

    // Someone revokes the refresh token on the server: the next renewal is refused.
    const current = (await studio.stores.storedSecrets(store.id))!;
    const revoked = await fetchRaw(`${started!.httpsUrl}/oauth/revoke/`, { method: 'POST', caFile: ca, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(current.refreshToken!)}&token_type_hint=refresh_token` });
    assert.strictEqual(revoked.status, 200);
    await sleep(6_000);
    const refused = await sendAt(uri);
    assert.strictEqual(refused?.notSentCode, 'token-renewal-failed', JSON.stringify(refused));
    assert.match(refused?.notSent ?? '', /could not be renewed.*invalid_grant.*Sign in again/s);
    const diagnostics = await waitFor('one explain finding', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === EXPLAIN);
      return d.length ? d : undefined;
    });
    assert.strictEqual(diagnostics.length, 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostics[0]!.range);
    const signIn = actions?.find((a) => a.title === 'Sign in again');
    assert.ok(signIn?.command, `a "Sign in again" quick fix: ${actions?.map((a) => a.title).join(', ')}`);

    // The quick fix signs in in the browser again and sends the request once more (a sign-in is no store repair to undo).
    const before = browser.redirects.length;
    const notice = studio.fixes.lastNotice;
    await vscode.commands.executeCommand(signIn.command.command, ...(signIn.command.arguments ?? []));
    assert.strictEqual(browser.redirects.length, before + 1, 'the browser sign-in ran again');
    assert.strictEqual(studio.fixes.lastNotice, notice, 'no "Changed store … Undo" for new tokens');
    const renewed = (await studio.stores.storedSecrets(store.id))!;
    assert.notStrictEqual(renewed.refreshToken, current.refreshToken);
    const repaired = await sendAt(uri);
    assert.strictEqual(repaired?.status, 200, JSON.stringify(repaired));

    // Remove Store gives the tokens back: the refresh token no longer works on the server.
    const kept = (await studio.stores.storedSecrets(store.id))!;
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.removeStore', 'tok-oauth', true), true);
    const basic = `Basic ${Buffer.from(`${String(args.clientId)}:${String(args.clientSecret)}`).toString('base64')}`;
    const afterRemove = await fetchRaw(`${started!.httpsUrl}/oauth/token/`, { method: 'POST', caFile: ca, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic }, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(kept.refreshToken!)}` });
    assert.strictEqual(afterRemove.status, 400, afterRemove.body);
    assert.match(afterRemove.body, /invalid_grant/);
  });

  it('OAuth 2.0 with a loopback redirect: VS Code listens on 127.0.0.1 during the sign-in, and an answer with another state is refused', async () => {
    const studio = await api();
    assert.strictEqual(studio.sandbox.modes.tokenPlugin, 'wp-oauth-server', 'the sandbox of the first test still runs');
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const reached: number[] = [];
    let forge = true;
    studio.tokens.openBrowser = async (u) => {
      // The "browser" comes back to the loopback address: first with a state of its own, then with the sign-in's.
      const authorize = new URL(u.toString(true));
      assert.strictEqual(authorize.searchParams.get('redirect_uri'), redirectUri);
      const state = forge ? 'not-this-sign-in' : authorize.searchParams.get('state')!;
      setTimeout(() => void fetchRaw(`${redirectUri}?code=made-up&state=${encodeURIComponent(state)}`).then((a) => reached.push(a.status)), 10);
      return true;
    };
    const args = { ...studio.sandbox.tokenStoreArgs('tok-loop')!, redirectUri };
    const forged = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', args);
    assert.strictEqual(forged?.saved, false);
    assert.match(forged?.test?.message ?? '', /state_mismatch/);
    forge = false;
    const unknownCode = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', args);
    assert.strictEqual(unknownCode?.saved, false);
    assert.match(unknownCode?.test?.message ?? '', /Exchanging the authorization code was refused: 400 invalid_grant/);
    assert.deepStrictEqual(reached, [200, 200], 'the loopback listener answered the browser both times');
    assert.strictEqual(studio.stores.get('tok-loop'), undefined, 'nothing was saved');
  });

  it('JWT: the plugin is detected, 5-second tokens are obtained again on requests 10 s apart, Test Connection and the runner use the same token', async () => {
    const studio = await api();
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStoreWithTokens', { tokenPlugin: 'tmeister', accessTokenLifetimeSeconds: 5 });
    const args: Record<string, unknown> = { ...studio.sandbox.tokenStoreArgs('tok-jwt'), jwtPlugin: undefined };
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', args);
    assert.strictEqual(added?.saved, true, JSON.stringify(added));
    const store = studio.stores.get('tok-jwt')!;
    assert.strictEqual(store.token?.plugin, 'tmeister', 'detected from the REST index and the token endpoint');
    const password = args.password as string;
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('wooApiStudio').get('stores')).includes(password), 'the password is not in settings');

    const uri = await writeHttp('tokens-jwt.http', 'tok-jwt');
    const first = await sendAt(uri);
    assert.strictEqual(first?.status, 200, JSON.stringify(first));
    await sleep(10_000);
    const second = await sendAt(uri);
    assert.strictEqual(second?.status, 200, JSON.stringify(second));
    assert.ok(second?.renewals?.some((m) => /by signing in as admin/.test(m)), JSON.stringify(second?.renewals));
    await exchangeShows(second, /# {3}POST \S+\/wp-json\/jwt-auth\/v1\/token → 200/);

    // Two requests at once with an expired token: one sign-in, shared.
    await sleep(6_000);
    const logins = () => studio.sandbox.current!.requestLog().filter((l) => /"POST \/wp-json\/jwt-auth\/v1\/token /.test(l)).length;
    const loginsBefore = logins();
    const both = await Promise.all([sendAt(uri), sendAt(uri)]);
    assert.deepStrictEqual(both.map((b) => b?.status), [200, 200], JSON.stringify(both));
    assert.strictEqual(logins() - loginsBefore, 1, 'one renewal for both requests');

    await sleep(6_000);
    const tested = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('wooApiStudio.testConnection', 'tok-jwt');
    assert.strictEqual(tested?.ok, true, tested?.message);
    assert.match(tested!.message, /Renewed the token/);

    // The runner panel: the same manager, the renewal shown with its exchange.
    await sleep(6_000);
    const panel = studio.runner.open();
    const answer = await panel.send({ store: 'tok-jwt', method: 'GET', path: 'wc/v3/products', query: [], headers: [], body: { kind: 'none', text: '' }, auth: 'store' });
    assert.strictEqual(answer.result.exchange?.response?.status, 200, answer.result.notSent);
    assert.match(answer.view?.exchange ?? '', /# Token \(renewed before sending[^\n]*by signing in as admin/);

    await studio.storeCommands.setActive(store.id);
    await waitFor('the status bar shows the token time left', () => (/tok-jwt · token (\d+ s|expired)/.test(studio.statusText() ?? '') ? true : undefined));
  });

  it('a token refused as expired is renewed and the request sent once more, both attempts shown; the doctor warns about tokens that live 7 days', async () => {
    const studio = await api();
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStoreWithTokens', { tokenPlugin: 'tmeister' });
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', studio.sandbox.tokenStoreArgs('tok-jwt-long'));
    assert.strictEqual(added?.saved, true, JSON.stringify(added));
    const uri = await writeHttp('tokens-jwt-long.http', 'tok-jwt-long');
    assert.strictEqual((await sendAt(uri))?.status, 200);

    // The server's clock runs 8 days ahead: it refuses the token with 403 "Expired token".
    studio.sandbox.current!.advanceClock(8 * 86400);
    const again = await sendAt(uri);
    assert.strictEqual(again?.status, 200, JSON.stringify(again));
    assert.strictEqual(again?.firstAttemptStatus, 403);
    await exchangeShows(again, /# Token: first attempt GET \S+ → 403[^\n]*sent again/);
    await exchangeShows(again, /# Token \(renewed after the refusal\)/);

    const report = await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', 'tok-jwt-long', { quiet: true });
    const policy = report?.probes.find((p) => p.name === 'token-policy');
    assert.ok(policy, `a token-policy probe: ${report?.probes.map((p) => p.name).join(', ')}`);
    assert.match(policy.result, /live 7 days, longer than the 1 hour your policy accepts/);
    assert.match(policy.result, /jwt_auth_expire/);

    // The policy is the user's: 8 days accepted, no warning.
    await vscode.workspace.getConfiguration('wooApiStudio.tokens').update('maxAccessTokenLifetimeHours', 8 * 24, vscode.ConfigurationTarget.Global);
    try {
      const relaxed = await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', 'tok-jwt-long', { quiet: true });
      assert.match(relaxed?.probes.find((p) => p.name === 'token-policy')?.result ?? '', /within the policy/);
    } finally {
      await vscode.workspace.getConfiguration('wooApiStudio.tokens').update('maxAccessTokenLifetimeHours', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
