// The three clients of the send benchmark, and the loop that drives one of them. See send-bench.ts
// for what is measured and in what order, send-client-process.ts for where each one runs.
//
//   ours      applyStoreAuth() + send() from src/core: what the extension and the CLI run
//   official  @woocommerce/woocommerce-rest-api (axios), keep-alive agents, the certificate as `ca`
//   undici    bare undici.request() with the same headers; for OAuth it signs with
//             minimal-oauth1.ts (the same HMAC work, none of our abstractions)
//
// Each one sends `GET /wp-json/wc/v3/products?per_page=1` with `Accept: application/json`, reads the
// whole response body and resolves to 200, or to a description of what came back instead.

import * as http from 'node:http';
import * as https from 'node:https';
import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { Agent, request as undiciRequest } from 'undici';
import { applyStoreAuth } from '../src/core/auth/apply';
import { send } from '../src/core/send';
import type { Store } from '../src/core/store';
import { signGetUrl } from './minimal-oauth1';

/** Where the sandbox store listens and the key to use. */
export interface Target {
  httpUrl: string;
  httpsUrl: string;
  /** The sandbox's self-signed certificate, trusted as a CA (verification stays on). */
  certificatePem: string;
  consumerKey: string;
  consumerSecret: string;
}

export type Scenario = 'oauth-http' | 'basic-https';
export type ClientName = 'ours' | 'official' | 'undici';
export const SCENARIOS: readonly Scenario[] = ['oauth-http', 'basic-https'];
export const CLIENTS: readonly ClientName[] = ['ours', 'official', 'undici'];

/** One request; resolves once the body has been read, to 200 or to a description of the failure. */
export type SendOne = () => Promise<200 | string>;

/** "HTTP 401 woocommerce_rest_authentication_error: Invalid signature …" from a non-200 answer. */
function failure(status: number, body: unknown): string {
  let data = body;
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) {
    const text = typeof body === 'string' ? body : Buffer.from(body as Uint8Array).toString('utf8');
    try {
      data = JSON.parse(text);
    } catch {
      return `HTTP ${status} ${text.slice(0, 120)}`;
    }
  }
  const { code, message } = (data ?? {}) as { code?: unknown; message?: unknown };
  return `HTTP ${status} ${String(code ?? '')}: ${String(message ?? '')}`;
}

/** The collection the benchmark asks for: small, paginated, its query part of the OAuth signature. */
const PATH = '/wp-json/wc/v3/products';
const QUERY: [string, string][] = [['per_page', '1']];
const ACCEPT: [string, string] = ['Accept', 'application/json'];

export function makeClient(client: ClientName, scenario: Scenario, target: Target): SendOne {
  const overHttps = scenario === 'basic-https';
  const origin = (overHttps ? target.httpsUrl : target.httpUrl).replace(/\/$/, '');
  const query = QUERY.map(([k, v]) => `${k}=${v}`).join('&');

  switch (client) {
    case 'ours': {
      // The auth and transport steps of src/core/run-request.ts: applyStoreAuth(), then send() with
      // the store's CA and the secrets to mask. (Its variable resolution is left out: there is none.)
      const secrets = { consumerKey: target.consumerKey, consumerSecret: target.consumerSecret };
      const store: Store = {
        id: 'bench',
        name: 'bench',
        baseUrl: origin,
        authMethod: overHttps ? 'wc-basic' : 'wc-oauth1',
        options: { oauthSignatureMethod: 'HMAC-SHA256' },
      };
      return async () => {
        const applied = applyStoreAuth({ method: 'GET', url: `${origin}${PATH}?${query}`, headers: [ACCEPT] }, store, secrets);
        const exchange = await send(applied.request, { tls: { ca: target.certificatePem }, secrets: applied.secrets });
        if (exchange.error) throw new Error(`${exchange.error.code}: ${exchange.error.message}`);
        const { status, body } = exchange.response!;
        return status === 200 ? 200 : failure(status, body);
      };
    }
    case 'official': {
      // The library as its README shows it: OAuth 1.0a over http://, Basic over https:// (with
      // queryStringAuth false). Keep-alive agents (Node's default agents keep alive too since
      // Node 19; explicit so that both schemes are alike) and the sandbox's certificate as `ca`.
      const api = new WooCommerceRestApi({
        url: origin,
        consumerKey: target.consumerKey,
        consumerSecret: target.consumerSecret,
        version: 'wc/v3',
        queryStringAuth: false,
        axiosConfig: {
          httpAgent: new http.Agent({ keepAlive: true }),
          httpsAgent: new https.Agent({ keepAlive: true, ca: target.certificatePem }),
          validateStatus: () => true, // count non-200s instead of throwing
        },
      });
      const params = Object.fromEntries(QUERY);
      return async () => {
        const res = await api.get('products', params);
        return res.status === 200 ? 200 : failure(res.status, res.data);
      };
    }
    case 'undici': {
      // One keep-alive Agent, as send() keeps one per TLS setting; the same headers ours sends.
      const agent = new Agent({ connect: { ca: target.certificatePem }, keepAliveTimeout: 10_000 });
      const basic = `Basic ${Buffer.from(`${target.consumerKey}:${target.consumerSecret}`).toString('base64')}`;
      const headers = overHttps ? { accept: 'application/json', authorization: basic } : { accept: 'application/json' };
      return async () => {
        const url = overHttps ? `${origin}${PATH}?${query}` : signGetUrl(`${origin}${PATH}`, QUERY, target.consumerKey, target.consumerSecret);
        const res = await undiciRequest(url, { method: 'GET', headers, dispatcher: agent });
        const body = await res.body.arrayBuffer();
        return res.statusCode === 200 ? 200 : failure(res.statusCode, body);
      };
    }
  }
}

/** Failures of one client, kept apart so a broken client cannot hide behind the others. */
export class Tally {
  failures = 0;
  samples: string[] = [];
  note(what: string): void {
    this.failures++;
    if (this.samples.length < 5) this.samples.push(what);
  }
}

/** Sends `count` requests, `concurrency` at a time, noting every failure; resolves when all are answered. */
export async function drive(sendOne: SendOne, count: number, concurrency: number, tally: Tally): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      try {
        const outcome = await sendOne();
        if (outcome !== 200) tally.note(outcome);
      } catch (err) {
        tally.note(String((err as Error)?.message ?? err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
