// The runner panel page's markup, with its Content-Security-Policy: nothing loads but our own
// script (by nonce) and stylesheet, images only as data: URIs (image responses). Shared by the
// panel and the first-paint benchmark, which loads the same page in chromium.

import { webviewPage } from './webview-page';

export interface RunnerHtmlParts {
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  nonce: string;
  /** URIs of dist/media/runner.js and media/runner.css as the page can load them. */
  script: string;
  style: string;
  /** URI of dist/media/codicon.css (VS Code's icon font); without it the buttons keep their text labels only. */
  codicons?: string;
  /** Extra script run first, by the same nonce (the benchmark's stand-in for acquireVsCodeApi). */
  prelude?: string;
}

export function runnerHtml(p: RunnerHtmlParts): string {
  return webviewPage({
    cspSource: p.cspSource,
    nonce: p.nonce,
    title: 'WooCommerce Request',
    style: p.style,
    extraStyles: p.codicons ? [p.codicons] : undefined,
    imgSrc: 'data:',
    body: `<div id="app" class="app">
  <aside id="history" class="history" aria-label="History">
    <div class="history-head">
      <input id="history-search" type="search" placeholder="Search history" aria-label="Search history">
      <button id="history-clear" class="icon" title="Clear history" aria-label="Clear history">Clear</button>
    </div>
    <ul id="history-list" class="history-list" role="listbox" aria-label="Sent requests"></ul>
  </aside>
  <main class="main">
    <section class="request" aria-label="Request">
      <div class="line">
        <button id="toggle-history" class="icon" title="Show or hide history" aria-label="Show or hide history" aria-expanded="true"><span class="codicon codicon-menu" aria-hidden="true"></span></button>
        <select id="store" aria-label="Store"></select>
        <select id="method" aria-label="Method"></select>
        <div class="url"><span id="base" class="base"></span><input id="path" list="routes" spellcheck="false" aria-label="Path after the REST prefix" placeholder="wc/v3/products"></div>
        <datalist id="routes"></datalist>
        <button id="send" class="primary" title="Send (Ctrl+Enter)">Send</button>
        <button id="cancel" class="secondary" hidden title="Cancel (Escape)">Cancel</button>
      </div>
      <div class="route-line"><div id="route-info" class="route-info" role="note"></div><button id="refresh-routes" class="link" title="Read the store's route list (/wp-json/wc/v3) again">Refresh routes</button></div>
      <div class="tabs" role="tablist" aria-label="Request parts">
        <button role="tab" id="tab-params" aria-controls="pane-params" aria-selected="true">Params</button>
        <button role="tab" id="tab-headers" aria-controls="pane-headers" aria-selected="false">Headers</button>
        <button role="tab" id="tab-body" aria-controls="pane-body" aria-selected="false">Body</button>
        <button role="tab" id="tab-auth" aria-controls="pane-auth" aria-selected="false">Auth</button>
        <button role="tab" id="tab-tests" aria-controls="pane-tests" aria-selected="false">Tests</button>
        <span class="spacer"></span>
        <button id="save" class="link" title="Append this request to a .http file (it names the store, never a secret)">Save to .http</button>
        <button id="curl" class="link" title="Copy as cURL, credentials as $WOO_* variables">Copy as cURL</button>
        <button id="curl-secrets" class="link" title="Copy as cURL with the credentials in it (asks first)">…with credentials</button>
        <button id="import" class="link" title="Paste a curl command">Import cURL</button>
      </div>
      <div id="pane-params" role="tabpanel" aria-labelledby="tab-params"><table class="kv" id="query"></table><datalist id="query-names"></datalist></div>
      <div id="pane-headers" role="tabpanel" aria-labelledby="tab-headers" hidden><table class="kv" id="headers"></table></div>
      <div id="pane-body" role="tabpanel" aria-labelledby="tab-body" hidden>
        <div class="body-kinds" role="radiogroup" aria-label="Body type">
          <label><input type="radio" name="kind" value="none"> None</label>
          <label><input type="radio" name="kind" value="json"> JSON</label>
          <label><input type="radio" name="kind" value="form"> Form</label>
          <label><input type="radio" name="kind" value="multipart"> Multipart</label>
          <label><input type="radio" name="kind" value="text"> Text</label>
          <select id="body-field" aria-label="Insert a field of this route"><option value="">Insert field…</option></select>
        </div>
        <textarea id="body-text" spellcheck="false" aria-label="Body" rows="8"></textarea>
        <table class="kv" id="fields" hidden></table>
        <div id="body-problem" class="problem" role="alert"></div>
        <ul id="body-schema" class="body-schema" aria-label="The body against the store's schema"></ul>
      </div>
      <div id="pane-auth" role="tabpanel" aria-labelledby="tab-auth" hidden>
        <p id="auth-summary"></p>
        <label>For this request <select id="auth" aria-label="Auth for this request"></select></label>
        <p class="hint">The secret itself never reaches this page: it is read from SecretStorage when the request is sent.</p>
      </div>
      <div id="pane-tests" role="tabpanel" aria-labelledby="tab-tests" hidden>
        <textarea id="tests-text" spellcheck="false" rows="6" aria-label="Assertions, one a line" placeholder="?? status == 200&#10;?? header content-type includes json&#10;?? body $.id exists"></textarea>
        <p class="hint">httpYac assertions, checked against every response: status, header NAME, body $.path, duration; ==, !=, &lt;, &gt;, includes, startsWith, exists, isNumber, matches… Save to .http keeps them under the request.</p>
      </div>
      <div id="import-box" class="import" hidden>
        <textarea id="import-text" rows="4" spellcheck="false" aria-label="curl command" placeholder="curl https://shop.example/wp-json/wc/v3/products -u ck_…:cs_…"></textarea>
        <button id="import-go" class="primary">Import</button> <button id="import-cancel" class="secondary">Cancel</button>
      </div>
    </section>
    <section class="response" aria-label="Response">
      <div id="notice" class="notice" role="status" hidden></div>
      <div id="status-line" class="status-line" aria-live="polite"></div>
      <div id="findings" class="findings"></div>
      <div id="pager" class="pager" hidden>
        <button id="prev" class="secondary" aria-label="Previous page"><span class="codicon codicon-chevron-left" aria-hidden="true"></span> Prev</button>
        <span id="page-info"></span>
        <button id="next" class="secondary" aria-label="Next page">Next <span class="codicon codicon-chevron-right" aria-hidden="true"></span></button>
        <button id="fetch-all" class="secondary">Fetch all pages</button>
      </div>
      <div class="tabs" role="tablist" aria-label="Response parts">
        <button role="tab" id="rtab-body" aria-controls="rpane-body" aria-selected="true">Body</button>
        <button role="tab" id="rtab-headers" aria-controls="rpane-headers" aria-selected="false">Headers</button>
        <button role="tab" id="rtab-exchange" aria-controls="rpane-exchange" aria-selected="false">Exchange</button>
        <button role="tab" id="rtab-raw" aria-controls="rpane-raw" aria-selected="false">Raw</button>
        <button role="tab" id="rtab-tests" aria-controls="rpane-tests" aria-selected="false">Tests</button>
        <span class="spacer"></span>
        <button id="fold-all" class="link" title="Fold every item of the top-level array or object">Fold all</button>
        <button id="unfold-all" class="link" title="Unfold everything">Unfold all</button>
        <input id="find" type="search" placeholder="Find in body (Ctrl+F)" aria-label="Find in body">
        <span id="find-count" class="find-count"></span>
        <button id="open-body" class="link" title="Open the body in an editor">Open in editor</button>
      </div>
      <div id="rpane-body" role="tabpanel" aria-labelledby="rtab-body" class="body-pane">
        <div id="body-note" class="note" hidden></div>
        <div id="viewer" class="viewer" tabindex="0" aria-label="Response body"><div id="viewer-spacer"></div><div id="viewer-lines" class="lines"></div></div>
        <img id="image" alt="Response image" hidden>
      </div>
      <div id="rpane-headers" role="tabpanel" aria-labelledby="rtab-headers" hidden><table id="response-headers" class="headers"></table></div>
      <div id="rpane-exchange" role="tabpanel" aria-labelledby="rtab-exchange" hidden><pre id="exchange" class="pre"></pre></div>
      <div id="rpane-raw" role="tabpanel" aria-labelledby="rtab-raw" hidden><pre id="raw" class="pre"></pre></div>
      <div id="rpane-tests" role="tabpanel" aria-labelledby="rtab-tests" hidden><p id="tests-summary" class="hint">No assertions: write them in the request's Tests tab.</p><ul id="test-results" class="test-results"></ul></div>
    </section>
  </main>
</div>`,
    scripts: [...(p.prelude ? [{ inline: p.prelude }] : []), { src: p.script }],
  });
}
