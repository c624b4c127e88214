// The runner panel's data, as plain types shared by the extension and the webview page (which
// must not import anything that needs Node). The functions over them live in runner-request.ts
// and runner-messages.ts.

import type { Pagination } from './pagination';
import type { AuthMethod } from './store';

export type BodyKind = 'none' | 'json' | 'form' | 'multipart' | 'text';

/** A row of a form or multipart body. `file`: a file the user picked (its path), sent as the part's content. */
export interface BodyField { name: string; value: string; enabled: boolean; file?: string }

export interface RunnerRequest {
  /** Store id or name. */
  store?: string;
  method: string;
  /** Relative to the store's REST base (`wc/v3/products`), or an absolute URL. */
  path: string;
  query: { name: string; value: string; enabled: boolean }[];
  headers: { name: string; value: string; enabled: boolean }[];
  /** `text` for json and text bodies; `fields` for form and multipart bodies. */
  body: { kind: BodyKind; text: string; fields?: BodyField[] };
  /** The store's own auth method (default), or another one with the same credentials, or none. */
  auth?: 'store' | AuthMethod;
  /** The Tests tab: httpYac assertions, one a line (`status == 200` or `?? status == 200`). */
  tests?: string;
}

/** One assertion of the Tests tab, checked (SPEC §10.6). `line` counts from 0 in the tab's text. */
export interface TestView {
  line: number;
  text: string;
  state: 'passed' | 'failed' | 'skipped';
  message: string;
  actual?: string;
  /** A failed status check on a 401/403: the explainer's cause, in words. */
  cause?: string;
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export interface StoreChoice {
  id: string;
  name: string;
  baseUrl: string;
}

/** What the Auth tab shows: the method and which key, never a secret. */
export interface AuthSummary {
  method: AuthMethod;
  label: string;
  /** `…1a2b3c4`: the consumer key's last 7 characters (WooCommerce's truncated_key). */
  key?: string;
  user?: string;
  /** Methods the same credentials can be sent with, for the per-request override. */
  alternatives: { value: AuthMethod; label: string }[];
  missing?: string;
}

export type BodyView =
  | { kind: 'empty' }
  | { kind: 'json' | 'text' | 'html'; text: string; note?: string }
  | { kind: 'image'; dataUri: string; contentType: string }
  | { kind: 'binary' | 'too-large'; note: string };

export interface ResponseView {
  /** The URL as sent, secrets masked. */
  url: string;
  method: string;
  status?: number;
  statusText?: string;
  /** Transport failure or note, in words. */
  error?: string;
  timings: { phase: string; ms: number }[];
  totalMs: number;
  size: number;
  truncated: boolean;
  headers: [string, string][];
  contentType?: string;
  body: BodyView;
  /** The exchange as text (request as sent with what we added, secrets masked; the body left out). */
  exchange: string;
  pagination?: Pagination;
  /** "3 pages joined, 250 items" after Fetch all. */
  joined?: string;
  /** The Tests tab's assertions against this response. */
  tests?: TestView[];
}

/** A finding as the panel shows it: words and fix titles (the fixes stay in the extension). */
export interface FindingView {
  title: string;
  explanation: string;
  evidence: string[];
  confidence: string;
  fixes: { title: string; preferred: boolean }[];
}
