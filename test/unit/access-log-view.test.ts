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
});
