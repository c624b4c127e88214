import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { clientProblemText, findingsHtml, groupByClient, parseReportMessage, timelineSvg } from '../../src/core/access-log-view';
import { analyzeText } from '../../src/core/access-log/analyze';

describe('the access-log report view', () => {
  it('draws one stacked bar per bucket, merging buckets beyond the limit, with the totals in its label', () => {
    const timeline = Array.from({ length: 10 }, (_, i) => ({ startMs: Date.UTC(2026, 10, 27, 10, i), ok: i, unauthorized: i % 2, forbidden: 0, other: 0 }));
    const svg = timelineSvg(timeline, { maxBars: 5 });
    assert.match(svg, /aria-label="Requests over time: 45 2xx, 5 401, 0 403"/);
    assert.strictEqual((svg.match(/<rect class="ok"/g) ?? []).length, 5, 'ten buckets merged into five bars');
    assert.strictEqual((svg.match(/<rect class="unauthorized"/g) ?? []).length, 5);
    assert.ok(!/<script/i.test(svg));
    assert.match(timelineSvg([]), /No WooCommerce or WordPress REST requests/);
  });

  it('accepts only open-a-line, export, and (live) show-evidence and mute messages', () => {
    assert.deepStrictEqual(parseReportMessage({ type: 'open', line: 12 }), { type: 'open', line: 12 });
    assert.deepStrictEqual(parseReportMessage({ type: 'export' }), { type: 'export' });
    assert.deepStrictEqual(parseReportMessage({ type: 'evidence', id: '3:auth-burst:198.51.100.7' }), { type: 'evidence', id: '3:auth-burst:198.51.100.7' });
    assert.deepStrictEqual(parseReportMessage({ type: 'evidence', id: '12:many-consumer-keys:2001:db8:bad::7' }), { type: 'evidence', id: '12:many-consumer-keys:2001:db8:bad::7' });
    assert.deepStrictEqual(parseReportMessage({ type: 'mute', client: '2001:db8::1' }), { type: 'mute', client: '2001:db8::1' });
    assert.deepStrictEqual(parseReportMessage({ type: 'mute', client: 'sandbox' }), { type: 'mute', client: 'sandbox' });
    for (const bad of [
      undefined, { type: 'open', line: 0 }, { type: 'open', line: '3' }, { type: 'open', line: 2, path: '/etc/passwd' }, { type: 'export', to: '/tmp/x' }, { type: 'run' },
      { type: 'evidence', id: '../../etc/passwd' }, { type: 'evidence', id: '3:auth-burst:<img src=x>' }, { type: 'evidence', id: 3 }, { type: 'evidence', id: '1:a:b', also: 1 },
      { type: 'mute', client: '' }, { type: 'mute', client: 'a b' }, { type: 'mute', client: 'x'.repeat(101) }, { type: 'mute', client: '"; rm -rf /' }, { type: 'mute' },
    ]) {
      assert.strictEqual(parseReportMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('groups the sample log\'s findings to one entry per client, each line once', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'samples', 'access.log'), 'utf8');
    const report = analyzeText(text);
    const clients = new Set(report.findings.map((f) => f.client));
    assert.ok(report.findings.length > clients.size, `the sample has clients with several findings (${report.findings.length} findings, ${clients.size} clients)`);
    const groups = groupByClient(report.findings);
    assert.strictEqual(groups.length, clients.size);
    for (const g of groups) {
      assert.deepStrictEqual(g.lines, [...new Set(g.lines)].sort((a, b) => a - b), 'each line once, ascending');
      assert.ok(g.findings.every((f) => f.client === g.client && f.lines.every((l) => g.lines.includes(l))));
      const words = clientProblemText(g);
      assert.ok(words.startsWith(`${g.client}: `), words);
      for (const f of g.findings) assert.ok(words.includes(f.title), words);
    }
  });

  it('lists the report\'s findings once per client, the lines once, escaped', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'samples', 'access.log'), 'utf8');
    const report = analyzeText(text);
    const html = findingsHtml(report.findings);
    const clients = new Set(report.findings.map((f) => f.client));
    assert.strictEqual((html.match(/<p class="lines">/g) ?? []).length, clients.size, 'one list of lines per client');
    assert.strictEqual((html.match(/<span class="client">/g) ?? []).length, clients.size);
    for (const f of report.findings) assert.ok(html.includes(`<strong>${f.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</strong>`), f.title);
    const evil = findingsHtml([{ kind: 'auth-burst', severity: 'warning', client: '<img src=x>', title: 'a "b" <c>', message: "it's", lines: [3, 1], lineCount: 2 }]);
    assert.ok(!/<img|<c>/.test(evil) && evil.includes('&lt;img src=x&gt;') && evil.includes('it&#39;s'), evil);
    assert.match(evil, /Lines: <a href="#" data-line="1">1<\/a>, <a href="#" data-line="3">3<\/a><\/p>/);
    assert.match(findingsHtml([]), /No anomalies/);
  });
});
