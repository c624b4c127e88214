import * as assert from 'assert';
import { parseReportMessage, timelineSvg } from '../../src/core/access-log-view';

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

  it('accepts only open-a-line and export messages', () => {
    assert.deepStrictEqual(parseReportMessage({ type: 'open', line: 12 }), { type: 'open', line: 12 });
    assert.deepStrictEqual(parseReportMessage({ type: 'export' }), { type: 'export' });
    for (const bad of [undefined, { type: 'open', line: 0 }, { type: 'open', line: '3' }, { type: 'open', line: 2, path: '/etc/passwd' }, { type: 'export', to: '/tmp/x' }, { type: 'run' }]) {
      assert.strictEqual(parseReportMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
