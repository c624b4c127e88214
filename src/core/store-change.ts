// What a repair changed in a store, in words, and the store as it was before: a fix that changes a
// store's settings says what it changed and keeps the earlier store, so Undo (and "Put It Back"
// when the re-sent request still fails) can restore it exactly.
//
// Pure: no `vscode`, no I/O.
import { authLabel, type Store } from './store';

export interface StoreChange {
  /** The store as it was before the repair (settings only: secrets never change in a repair). */
  before: Store;
  after: Store;
  /** One phrase per setting that changed, e.g. `auth method: Consumer key, HTTP Basic → Consumer key, OAuth 1.0a signature`. */
  changes: string[];
}

const OPTION_WORDS: Record<string, string> = {
  homeUrl: 'Home URL (signs for)',
  oauthSignatureMethod: 'signature method',
  verifyTls: 'certificate verification',
  caCertificateFile: 'trusted certificate',
  apiVersion: 'API version',
  userAgent: 'User-Agent',
};

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The settings that differ between two versions of one store, in words (empty: nothing changed). */
export function describeStoreChange(before: Store, after: Store): string[] {
  const out: string[] = [];
  if (before.baseUrl !== after.baseUrl) out.push(`address: ${before.baseUrl} → ${after.baseUrl}`);
  if (before.authMethod !== after.authMethod) out.push(`auth method: ${authLabel(before.authMethod)} → ${authLabel(after.authMethod)}`);
  if (before.name !== after.name) out.push(`name: ${before.name} → ${after.name}`);
  if ((before.username ?? '') !== (after.username ?? '')) out.push(`user name: ${shown(before.username)} → ${shown(after.username)}`);
  const keys = new Set([...Object.keys(before.options ?? {}), ...Object.keys(after.options ?? {})]);
  for (const k of keys) {
    const a = (before.options as Record<string, unknown> | undefined)?.[k];
    const b = (after.options as Record<string, unknown> | undefined)?.[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${OPTION_WORDS[k] ?? k}: ${shown(a)} → ${shown(b)}`);
  }
  // A token's expiry times move with every renewal and sign-in: not a change of the store's settings.
  const lasting = (t: Store['token']) => (t ? JSON.stringify({ ...t, expiresAt: undefined, refreshExpiresAt: undefined }) : 'null');
  if (lasting(before.token) !== lasting(after.token)) out.push('token settings changed');
  return out;
}

/** A change worth reporting (and undoing), or undefined when the two are the same store settings. */
export function storeChange(before: Store, after: Store): StoreChange | undefined {
  if (before.id !== after.id) return undefined;
  const changes = describeStoreChange(before, after);
  return changes.length ? { before: structuredClone(before), after: structuredClone(after), changes } : undefined;
}

/** The sentence the notification shows after a repair: `Changed store "shop": auth method: … → ….` */
export function storeChangeSentence(change: StoreChange, outcome?: { status?: number; failed: boolean }): string {
  const what = `store "${change.before.name}": ${change.changes.join('; ')}`;
  if (outcome?.failed) {
    return `Changed ${what}. The request still failed${outcome.status ? ` (${outcome.status})` : ''}, so that was not the cause: put the store back as it was?`;
  }
  return `Changed ${what}.`;
}
