import { describe, expect, it } from 'vitest';
import { renderExposition } from './exposition.js';
import { HttpMetrics } from './http-metrics.js';

describe('Prometheus text exposition', () => {
  it('writes HELP, TYPE and samples with escaped label values and special numbers', () => {
    const text = renderExposition([
      {
        name: 'x_limit',
        help: 'A limit\nover two lines',
        type: 'gauge',
        samples: [{ labels: { resource: 'a"b\\c\nd' }, value: Infinity }, { value: NaN }, { labels: {}, value: 0.25 }],
      },
    ]);
    expect(text).toBe(
      [
        '# HELP x_limit A limit\\nover two lines',
        '# TYPE x_limit gauge',
        'x_limit{resource="a\\"b\\\\c\\nd"} +Inf',
        'x_limit NaN',
        'x_limit 0.25',
        '',
      ].join('\n'),
    );
  });

  it('refuses names the format cannot carry', () => {
    expect(() => renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(
      /metric name 'bad-name'/,
    );
    expect(() =>
      renderExposition([
        { name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] },
      ]),
    ).toThrow(/label name 'bad-label'/);
  });

  it('keeps cumulative latency buckets and counts per route pattern and status', () => {
    const m = new HttpMetrics();
    m.observe({ method: 'GET', route: '/api/items/:id', status: 200, ms: 3 });
    m.observe({ method: 'GET', route: '/api/items/:id', status: 200, ms: 70 });
    m.observe({ method: 'GET', route: '/api/items/:id', status: 404, ms: 20_000 });
    const text = renderExposition(m.families());
    expect(text).toContain('velopanel_http_requests_total{method="GET",route="/api/items/:id",status="200"} 2');
    expect(text).toContain('velopanel_http_requests_total{method="GET",route="/api/items/:id",status="404"} 1');
    expect(text).toContain(
      'velopanel_http_request_duration_seconds_bucket{method="GET",route="/api/items/:id",le="0.005"} 1',
    );
    expect(text).toContain(
      'velopanel_http_request_duration_seconds_bucket{method="GET",route="/api/items/:id",le="0.1"} 2',
    );
    expect(text).toContain(
      'velopanel_http_request_duration_seconds_bucket{method="GET",route="/api/items/:id",le="10"} 2',
    );
    expect(text).toContain(
      'velopanel_http_request_duration_seconds_bucket{method="GET",route="/api/items/:id",le="+Inf"} 3',
    );
    expect(text).toContain('velopanel_http_request_duration_seconds_sum{method="GET",route="/api/items/:id"} 20.073');
    expect(text).toContain('velopanel_http_request_duration_seconds_count{method="GET",route="/api/items/:id"} 3');
  });
});
