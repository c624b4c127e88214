// Doing what a finding's fix says: change the store (auth method, signature method, Home URL,
// base URL), open a page, copy a snippet, re-enter credentials, resync the clock, run the doctor.
// A fix that would put the key pair in every URL (the query string) asks first, saying the secret
// will be in the server's logs.
// Shared by the quick fixes on .http request lines and the fix buttons of the runner panel; each
// caller says how to re-send and how to rewrite its own request's URL.
import * as vscode from 'vscode';
import type { Fix } from './core/explain/causes';
import { isStoreHost, type Store } from './core/store';
import { consentToQuerySecret } from './doctor';
import type { RequestSender } from './send-request';
import type { StoreCommands } from './store-commands';
import type { StoreRegistry } from './stores';
import { confirmModal } from './dialogs';
import type { StoreTokens } from './tokens';

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
}

export class FixApplier {
  constructor(private readonly stores: StoreRegistry, private readonly storeCommands: StoreCommands, private readonly sender: RequestSender, private readonly tokens?: StoreTokens) {}

  async apply<R>(fix: Fix, site: FixSite<R>): Promise<R | { done: string } | undefined> {
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
          await updateStore((s) => ({ ...s, authMethod: 'wc-oauth1' }));
          return site.resend();
        case 'switch-to-query-auth':
          // The secret would go into every URL, and so into the server's logs: only when the user agrees.
          if (store && !(await consentToQuerySecret(store, 'From now on every request'))) return undefined;
          await updateStore((s) => ({ ...s, authMethod: 'wc-query' }));
          return site.resend();
        case 'switch-to-basic-auth':
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
