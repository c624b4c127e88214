// Doing what a finding's fix says: change the store (auth method, signature method, Home URL,
// base URL), open a page, copy a snippet, re-enter credentials, resync the clock, run the doctor.
// A fix that would put the key pair in every URL (the query string) asks first, saying the secret
// will be in the server's logs.
// Shared by the quick fixes on .http request lines and the fix buttons of the runner panel; each
// caller says how to re-send and how to rewrite its own request's URL.
import * as vscode from 'vscode';
import type { Fix } from './core/explain/causes';
import { isStoreHost, rebasedStoreUrl, type Store } from './core/store';
import { consentToQuerySecret } from './doctor';
import type { RequestSender } from './send-request';
import type { StoreCommands } from './store-commands';
import type { StoreRegistry } from './stores';
import { confirmModal } from './dialogs';
import type { StoreTokens } from './tokens';
import { httpsCandidates, trimTrailingSlashes, withHttpsPort } from './core/url-text';
import { storeChange, storeChangeSentence, type StoreChange } from './core/store-change';

/**
 * "Use https://" on an address with a port (http://host:8080): which HTTPS port? The default is
 * none (HTTPS's own 443); the HTTP port is kept only if chosen. undefined: cancelled.
 */
export async function askHttpsUrl(url: string): Promise<string | undefined> {
  const { ask, port, candidates } = httpsCandidates(url);
  if (!ask) return candidates[0].url;
  type Item = vscode.QuickPickItem & { url?: string };
  const items: Item[] = candidates.map((c) => ({
    label: c.url,
    description: c.port === undefined ? 'no port: HTTPS\'s own (443)' : c.port === port ? `keep port ${port}: only if this server speaks HTTPS there` : `port ${c.port}`,
    url: c.url,
  }));
  items.push({ label: 'Another port…', description: 'type the port the store answers HTTPS on' });
  const picked = await vscode.window.showQuickPick(items, { title: `Use https:// instead of ${new URL(url).origin}: which HTTPS port?`, placeHolder: `A server rarely speaks HTTPS on its HTTP port (${port}).`, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.url) return picked.url;
  const typed = await vscode.window.showInputBox({
    title: 'HTTPS port',
    prompt: `The port of https://${new URL(url).hostname} (empty: 443)`,
    validateInput: (v) => (/^\d{0,5}$/.test(v.trim()) && (v.trim() === '' || (Number(v) >= 1 && Number(v) <= 65535)) ? undefined : 'A port is a number from 1 to 65535.'),
  });
  return typed === undefined ? undefined : withHttpsPort(url, typed.trim() || undefined);
}

/**
 * "Use https://" or "Use the Home URL" applied to the store itself (a request relative to it then
 * benefits with every other): its new address, confirmed as any change of address. false: cancelled.
 */
export async function moveStoreAddress(stores: StoreRegistry, store: Store, fixId: 'use-https' | 'use-home-url', target: string | undefined): Promise<boolean> {
  const base = fixId === 'use-https'
    ? (target ? new URL(target).origin + trimTrailingSlashes(new URL(target).pathname) : await askHttpsUrl(store.baseUrl))
    : rebasedStoreUrl(store, target!);
  if (!base) return false;
  const moved = { ...store, baseUrl: base };
  if (!(await stores.confirmNewAddress(store, moved))) return false;
  await stores.save(moved, undefined, { addressConfirmed: true });
  return true;
}

export interface FixSite<R> {
  /** The store the explained request was sent to, if any. */
  store?: Store;
  /** Sends the request again after a repair. */
  resend(): Promise<R>;
  /**
   * Points the request at `target` (a whole URL; undefined for use-https without a known HTTPS
   * base: switch the scheme). Returns false when nothing could be changed.
   */
  rewriteUrl(fixId: 'use-https' | 'use-home-url' | 'use-wp-json-path' | 'fix-api-path', target: string | undefined): Promise<boolean>;
  /** Deletes the request's own Authorization header(s). Returns false when there was none it could delete. */
  removeOwnAuthorization(): Promise<boolean>;
  /**
   * The runner's per-request Auth choice: when the request overrides the store's method, a fix that
   * switches the method changes that override (or clears it, when it becomes the store's own) and
   * leaves the store alone. Returns false when the request has no override.
   */
  overrideAuth?(method: 'wc-oauth1' | 'wc-query' | 'wc-basic'): Promise<boolean>;
  /** The HTTP status of a re-send's result (undefined: no answer at all). */
  statusOf(result: R): number | undefined;
}

/** What the last repair that changed a store said, and which buttons it offered (the tests read it). */
export interface StoreChangeNotice {
  message: string;
  buttons: string[];
  change: StoreChange;
}

export class FixApplier {
  /** The last repair that changed a store: Undo and Put It Back restore its `before`. */
  private lastChange: StoreChange | undefined;
  lastNotice: StoreChangeNotice | undefined;

  constructor(private readonly stores: StoreRegistry, private readonly storeCommands: StoreCommands, private readonly sender: RequestSender, private readonly tokens?: StoreTokens) {}

  /**
   * Applies the fix; when it changed the store's settings, says what changed with Undo, or, when the
   * re-sent request still fails, offers to put the store back.
   */
  async apply<R>(fix: Fix, site: FixSite<R>): Promise<R | { done: string } | undefined> {
    const before = site.store ? this.stores.get(site.store.id) ?? site.store : undefined;
    const result = await this.applyOnly(fix, site);
    const after = before ? this.stores.get(before.id) : undefined;
    const change = before && after ? storeChange(before, after) : undefined;
    if (change) {
      this.lastChange = change;
      const resent = result !== undefined && !(typeof result === 'object' && result !== null && 'done' in result);
      const status = resent ? site.statusOf(result as R) : undefined;
      const failed = resent && (status === undefined || status >= 400);
      const button = failed ? 'Put It Back' : 'Undo';
      const message = storeChangeSentence(change, { status, failed });
      this.lastNotice = { message, buttons: [button], change };
      const show = failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(message, button).then((choice) => {
        if (choice === button) void this.undo();
      });
    }
    return result;
  }

  /**
   * Puts the store the last repair changed back as it was. Refuses when the store has changed again
   * since (an edit by hand wins over an old snapshot).
   */
  async undo(): Promise<Store | undefined> {
    const change = this.lastChange;
    if (!change) {
      void vscode.window.showInformationMessage('No repair to undo: no fix has changed a store since VS Code started.');
      return undefined;
    }
    const current = this.stores.get(change.before.id);
    if (!current) {
      void vscode.window.showWarningMessage(`Store "${change.before.name}" no longer exists, so there is nothing to put back.`);
      return undefined;
    }
    if (storeChange(change.after, current)) {
      void vscode.window.showWarningMessage(`Store "${current.name}" was changed again since the repair, so it was left as it is. Use "WooCommerce: Edit Store" to change it.`);
      return undefined;
    }
    // Its old address was the one the user had, so its credentials go back to it.
    await this.stores.save(change.before, undefined, { addressConfirmed: true });
    this.lastChange = undefined;
    void vscode.window.showInformationMessage(`Store "${change.before.name}" is back as it was (${change.changes.map((c) => c.split(':')[0]).join(', ')}).`);
    return change.before;
  }

  private async applyOnly<R>(fix: Fix, site: FixSite<R>): Promise<R | { done: string } | undefined> {
    const { store } = site;
    /** Saves the changed store; false when the change moves its credentials and the user said no. */
    const updateStore = async (change: (s: Store) => Store): Promise<boolean> => {
      if (!store) throw new Error('This request was sent without a store, so there is no store to change.');
      const changed = change(store);
      if (!(await this.stores.confirmNewAddress(store, changed))) return false;
      await this.stores.save(changed, undefined, { addressConfirmed: true });
      return true;
    };
    try {
      switch (fix.id) {
        case 'switch-to-oauth1':
          if (await site.overrideAuth?.('wc-oauth1')) return site.resend();
          await updateStore((s) => ({ ...s, authMethod: 'wc-oauth1' }));
          return site.resend();
        case 'switch-to-query-auth':
          // The secret would go into every URL, and so into the server's logs: only when the user agrees.
          if (store && !(await consentToQuerySecret(store, site.overrideAuth ? 'This request' : 'From now on every request'))) return undefined;
          if (await site.overrideAuth?.('wc-query')) return site.resend();
          await updateStore((s) => ({ ...s, authMethod: 'wc-query' }));
          return site.resend();
        case 'switch-to-basic-auth':
          if (await site.overrideAuth?.('wc-basic')) return site.resend();
          await updateStore((s) => ({ ...s, authMethod: 'wc-basic' }));
          return site.resend();
        case 'switch-signature-method':
          await updateStore((s) => ({ ...s, options: { ...s.options, oauthSignatureMethod: fix.signatureMethod } }));
          return site.resend();
        case 'sign-with-home-url':
          return (await updateStore((s) => ({ ...s, options: { ...s.options, homeUrl: fix.url } }))) ? site.resend() : undefined;
        case 'use-home-url': {
          if (!(await site.rewriteUrl(fix.id, fix.url))) return undefined;
          // A request with a literal URL now goes to the Home URL's host: the store learns its Home
          // URL, or its credentials would stay out (they go to the store's own hosts only).
          const current = store ? this.stores.get(store.id) : undefined;
          if (current && !isStoreHost(fix.url, current)) {
            // Its credentials would go to another host from now on: the user's call, always, whether
            // the site's own REST index named that Home URL or the server redirected there (a
            // firewall's challenge page or a single sign-on redirect too).
            const host = new URL(fix.url).host;
            const trusted = await confirmModal({
              message: `Send the credentials of store "${current.name}" to ${host} from now on?`,
              detail: fix.homeUrl !== undefined
                ? `The site's REST index says its Home URL is ${fix.homeUrl}. Only confirm if ${host} is the same WordPress site as ${new URL(current.baseUrl).host}.`
                : `The server sent this request on to ${host}. Only confirm if ${host} is the same WordPress site (for example its www address).`,
              confirm: 'Same Site: Send Them',
            });
            if (trusted) await this.stores.save({ ...current, options: { ...current.options, homeUrl: fix.homeUrl ?? new URL(fix.url).origin } }, undefined, { addressConfirmed: true });
          }
          return site.resend();
        }
        case 'use-https':
        case 'use-wp-json-path':
        case 'fix-api-path':
          return (await site.rewriteUrl(fix.id, fix.url)) ? site.resend() : undefined;
        case 're-enter-keys':
        case 're-enter-app-password': {
          const r = await this.storeCommands.edit(store);
          return r.saved ? site.resend() : undefined;
        }
        case 'resync-and-resend':
          if (store && fix.clockOffsetSeconds) this.sender.setClockOffset(store, fix.clockOffsetSeconds);
          return site.resend();
        case 'open-keys-page':
        case 'open-permalink-settings':
        case 'open-users-page':
          await vscode.env.openExternal(vscode.Uri.parse(fix.url, true));
          return { done: `opened ${fix.url}` };
        case 'copy-htaccess-snippet':
        case 'copy-nginx-snippet':
        case 'copy-proxy-https-snippet':
        case 'copy-proxy-forwarded-proto-snippet':
        case 'copy-allowlist-steps':
          await vscode.env.clipboard.writeText(fix.snippet);
          void vscode.window.showInformationMessage(`Copied. It goes in ${fix.where}.`);
          return { done: 'copied' };
        case 'clear-cookies':
          void vscode.window.showInformationMessage('WooCommerce API Studio keeps no cookies between requests, so there is none to clear here. If you send from a browser or another client, clear its cookies for this site.');
          return { done: 'no cookie jar' };
        case 'run-doctor':
          return (await vscode.commands.executeCommand('wooApiStudio.diagnoseStore', store?.id)) as { done: string } | undefined;
        case 'remove-own-authorization':
          if (await site.removeOwnAuthorization()) return site.resend();
          void vscode.window.showInformationMessage('No Authorization header could be deleted from this request: remove it by hand (in a cURL block, its -H option).');
          return undefined;
        case 'renew-token': {
          if (!store || !this.tokens) return undefined;
          const renewal = await this.tokens.renewNow(store);
          if (renewal && !renewal.ok) {
            void vscode.window.showErrorMessage(renewal.message, 'Sign in again').then((c) => c && vscode.commands.executeCommand('wooApiStudio.signInAgain', store.id));
            return undefined;
          }
          return site.resend();
        }
        case 'sign-in-again': {
          if (!store) return undefined;
          const signed = await vscode.commands.executeCommand<{ ok: boolean } | undefined>('wooApiStudio.signInAgain', store.id);
          return signed?.ok ? site.resend() : undefined;
        }
        case 'use-bearer-header':
          // The store's own auth sends "Authorization: Bearer …" only: the request's own token goes.
          if (await site.removeOwnAuthorization()) return site.resend();
          void vscode.window.showInformationMessage('Send the token in the Authorization header only, as "Bearer <token>" (with a capital B), and remove it from the query string or body.');
          return undefined;
        case 'open-oauth-clients':
          await vscode.env.openExternal(vscode.Uri.parse(fix.url));
          return { done: 'opened' };
        case 'use-token-site-url':
          void vscode.window.showInformationMessage(`The token was issued for ${fix.siteUrl}: send to that address (${fix.url}), or sign in again at the address you use.`);
          return { done: 'told' };
        case 'use-app-password':
          await vscode.commands.executeCommand('wooApiStudio.connectAppPassword', store?.id);
          return { done: 'connect' };
      }
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
    }
    return undefined;
  }
}
