// Repairs you can trust: which fix is preselected when the cause is not certain, and what a repair
// that changes a store says (and keeps, to undo it).
import * as assert from 'node:assert/strict';
import { explainExchange, type Finding } from '../../src/core/explain/explain';
import { isAmbiguous, preferredFix, STORE_CHANGING_FIXES } from '../../src/core/explain/preferred-fix';
import { findingViews } from '../../src/core/runner-messages';
import { httpsCandidates, withHttpsPort } from '../../src/core/url-text';
import { describeStoreChange, storeChange, storeChangeSentence } from '../../src/core/store-change';
import type { Exchange } from '../../src/core/send';
import type { Store } from '../../src/core/store';

const CANNOT_VIEW = JSON.stringify({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });

function answered401(url: string, headers: [string, string][], body = CANNOT_VIEW): Exchange {
  return {
    startedAt: new Date().toISOString(),
    request: { method: 'GET', url, headers, bodyBytes: 0 },
    response: { status: 401, statusText: '', headers: [['Content-Type', 'application/json']], body: Buffer.from(body), bodyBytes: body.length, truncated: false, contentType: 'application/json' },
    redirects: [],
    timings: { total: 10 },
  };
}

const chosen = (findings: Finding[]) => {
  const p = preferredFix(findings);
  return p ? findings[p.finding].fixes[p.fix].id : undefined;
};

describe('the preselected fix', () => {
  it('is the doctor, not a store-changing fix, when Basic keys over HTTPS got a silent 401 (stripped header, unknown key or a plugin)', () => {
    const findings = explainExchange({ exchange: answered401('https://shop.example/wp-json/wc/v3/products', [['Authorization', 'Basic ••••••••']]), authMethod: 'wc-basic' });
    assert.ok(isAmbiguous(findings), findings.map((f) => `${f.cause}:${f.confidence}`).join(' '));
    // The catalogue's own first choice would change the store behind the user's back.
    const catalogueChoice = findings[0].fixes.find((x) => x.preferred)!;
    assert.ok(STORE_CHANGING_FIXES.has(catalogueChoice.id), catalogueChoice.id);
    assert.equal(chosen(findings), 'run-doctor');
    // The runner's buttons follow: the doctor is the one primary button.
    const views = findingViews(findings, []);
    const primaries = views.flatMap((v) => v.fixes.filter((x) => x.preferred).map((x) => x.title));
    assert.deepEqual(primaries, ['Diagnose store authentication']);
  });

  it('is the store-changing fix when the cause is certain (Basic keys over plain HTTP)', () => {
    const findings = explainExchange({ exchange: answered401('http://shop.example/wp-json/wc/v3/products', [['Authorization', 'Basic ••••••••']]), authMethod: 'wc-basic', store: { id: 's', name: 's', baseUrl: 'http://shop.example', authMethod: 'wc-basic' } });
    assert.equal(findings[0].cause, 'keys-over-http');
    assert.equal(isAmbiguous(findings), false);
    assert.equal(chosen(findings), 'switch-to-oauth1');
  });

  it('keeps a harmless first choice even when unsure (copying a snippet changes nothing)', () => {
    const findings: Pick<Finding, 'confidence' | 'fixes'>[] = [
      { confidence: 'likely', fixes: [{ id: 'copy-htaccess-snippet', title: 'Copy', snippet: 'x', where: 'y', preferred: true }, { id: 'run-doctor', title: 'Diagnose store authentication' }] },
    ];
    assert.equal(preferredFix(findings)?.fix, 0);
  });

  it('is none when unsure and there is no doctor to run', () => {
    assert.equal(preferredFix([{ confidence: 'likely', fixes: [{ id: 'switch-to-oauth1', title: 'Switch', preferred: true }] }]), undefined);
  });
});

describe('what a store repair changed', () => {
  const before: Store = { id: 'a1', name: 'shop', baseUrl: 'https://shop.example', authMethod: 'wc-basic', options: { verifyTls: true } };

  it('names each changed setting in words, before → after', () => {
    const after: Store = { ...before, authMethod: 'wc-oauth1', options: { ...before.options, homeUrl: 'https://www.shop.example' } };
    assert.deepEqual(describeStoreChange(before, after), [
      'auth method: Consumer key, HTTP Basic → Consumer key, OAuth 1.0a signature',
      'Home URL (signs for): none → https://www.shop.example',
    ]);
  });

  it('keeps a copy of the store before (later edits of the object do not reach it) and says nothing for no change', () => {
    const mutable: Store = structuredClone(before);
    const change = storeChange(mutable, { ...mutable, baseUrl: 'https://shop.example:8443' })!;
    mutable.authMethod = 'wc-query';
    assert.equal(change.before.authMethod, 'wc-basic');
    assert.equal(storeChange(before, structuredClone(before)), undefined);
  });

  it('does not count a token renewal (its new expiry times) as a change of the store, but a new token endpoint is one', () => {
    const jwt: Store = { id: 'j1', name: 'jwt', baseUrl: 'https://shop.example', authMethod: 'jwt', username: 'api', token: { plugin: 'tmeister', expiresAt: '2026-12-03T10:00:00.000Z' } };
    assert.equal(storeChange(jwt, { ...jwt, token: { ...jwt.token, expiresAt: '2026-12-03T11:00:00.000Z', refreshExpiresAt: '2027-01-01T00:00:00.000Z' } }), undefined);
    assert.deepEqual(describeStoreChange(jwt, { ...jwt, token: { ...jwt.token, tokenUrl: 'https://shop.example/?rest_route=/jwt-auth/v1/token' } }), ['token settings changed']);
  });

  it('offers the change back when the re-sent request still failed', () => {
    const change = storeChange(before, { ...before, authMethod: 'wc-query' })!;
    assert.equal(storeChangeSentence(change), 'Changed store "shop": auth method: Consumer key, HTTP Basic → Consumer key in the query string.');
    assert.match(storeChangeSentence(change, { status: 401, failed: true }), /still failed \(401\).*put the store back/);
  });
});

describe('"Use https://" on an address with a port', () => {
  it('offers no port first, then 8443, then the same port; keeps the path', () => {
    const c = httpsCandidates('http://shop.example:8080/shop');
    assert.equal(c.ask, true);
    assert.deepEqual(c.candidates.map((x) => x.url), ['https://shop.example/shop', 'https://shop.example:8443/shop', 'https://shop.example:8080/shop']);
  });
  it('asks nothing for an address without a port', () => {
    assert.deepEqual(httpsCandidates('http://shop.example'), { ask: false, candidates: [{ url: 'https://shop.example', port: undefined }] });
    assert.equal(withHttpsPort('http://127.0.0.1:8080', '9443'), 'https://127.0.0.1:9443');
  });
});
