// The first .http files a newcomer sees: a new file for a store just added, and the sample requests
// for the sandbox store. Untitled documents (nothing is written to disk until the user saves), with
// the store named and no secret in them: the store's credentials are applied when a request is sent.
import * as vscode from 'vscode';

/** A new .http file for `storeName`, with a first request to send. */
export function newHttpFileText(storeName: string): string {
  return [
    `# Requests to the store "${storeName}". Its credentials are applied when you send a request:`,
    '# click "Send" above a request, or put the cursor in it and press Ctrl+Alt+R (Cmd+Alt+R).',
    `@store = ${storeName}`,
    '',
    '### Products, 5 per page',
    'GET {{$store.url}}/wp-json/wc/v3/products?per_page=5',
    '',
    '### Orders, newest first',
    'GET {{$store.url}}/wp-json/wc/v3/orders?per_page=5&orderby=date&order=desc',
    '',
  ].join('\n');
}

/** The sandbox store's sample requests: what works, what a stranger gets, and how to break it. */
export function sampleRequestsText(storeName: string): string {
  return [
    '# WooCommerce API Studio on the sandbox store: a local WooCommerce that answers like a real one.',
    '# Click "Send" above a request (or Ctrl+Alt+R in it). The exchange opens beside this file, with the',
    '# headers the extension added shown masked. Nothing secret is in this file.',
    `@store = ${storeName}`,
    '',
    '### 1. List products: the store\'s consumer key is applied for you',
    'GET {{$store.url}}/wp-json/wc/v3/products?per_page=5',
    '',
    '### 2. One product',
    'GET {{$store.url}}/wp-json/wc/v3/products/10',
    '',
    '### 3. What a stranger gets: 401 woocommerce_rest_cannot_view, the answer WooCommerce gives to',
    '### half a dozen different mistakes. Send it and read the problem on the request line.',
    '# @no-auth',
    'GET {{$store.url}}/wp-json/wc/v3/products',
    '',
    '### 4. Break it for real: run "WooCommerce: Reproduce a Misconfiguration in the Sandbox" and pick',
    '### "a server that strips the Authorization header", then send request 1 again. The finding names',
    '### the cause and its quick fix repairs it; "WooCommerce: Diagnose Store Authentication" proves it.',
    '',
    '### 5. Create a product',
    'POST {{$store.url}}/wp-json/wc/v3/products',
    'Content-Type: application/json',
    '',
    '{',
    '  "name": "Sandbox Tee",',
    '  "type": "simple",',
    '  "regular_price": "19.99"',
    '}',
    '',
  ].join('\n');
}

async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'http', content });
  return vscode.window.showTextDocument(doc);
}

export function openNewHttpFile(storeName: string): Promise<vscode.TextEditor> {
  return openUntitled(newHttpFileText(storeName));
}

export function openSampleRequests(storeName: string): Promise<vscode.TextEditor> {
  return openUntitled(sampleRequestsText(storeName));
}
