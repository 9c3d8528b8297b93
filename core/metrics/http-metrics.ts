import type { ResponseObserver } from '../http/types.js';
import type { MetricFamily, Sample } from './exposition.js';

/** Upper bounds (seconds) of the request latency histogram. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface RouteSeries {
  method: string;
  route: string;
  byStatus: Map<number, number>;
  /** Cumulative counts per bucket of {@link LATENCY_BUCKETS}. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * Request counts and latency histograms per route pattern (`/api/items/:id`, never the concrete
 * path, so the number of series stays bounded by the route table); requests that match no route
 * all count under the one label `(unmatched)`.
 */
export class HttpMetrics {
  /** Series by route pattern, then method: both keys are the route table's own strings. */
  private readonly series = new Map<string, Map<string, RouteSeries>>();

  /** The observer to push into `HttpKernel.observers`. */
  readonly observe: ResponseObserver = ({ method, route, status, ms }) => {
    let byMethod = this.series.get(route);
    if (!byMethod) this.series.set(route, (byMethod = new Map()));
    let s = byMethod.get(method);
    if (!s)
      byMethod.set(
        method,
        (s = { method, route, byStatus: new Map(), buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }),
      );
    s.byStatus.set(status, (s.byStatus.get(status) ?? 0) + 1);
    const seconds = ms / 1000;
    for (let i = LATENCY_BUCKETS.length - 1; i >= 0 && seconds <= LATENCY_BUCKETS[i]!; i--) s.buckets[i]!++;
    s.sum += seconds;
    s.count++;
  };

  families(): MetricFamily[] {
    const all = [...this.series.values()]
      .flatMap((m) => [...m.values()])
      .sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method));
    const requests: Sample[] = all.flatMap((s) =>
      [...s.byStatus]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => ({ labels: { method: s.method, route: s.route, status: String(status) }, value: n })),
    );
    const latency: Sample[] = all.flatMap((s) => {
      const labels = { method: s.method, route: s.route };
      return [
        ...LATENCY_BUCKETS.map((le, i) => ({
          suffix: '_bucket',
          labels: { ...labels, le: String(le) },
          value: s.buckets[i]!,
        })),
        { suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: s.count },
        { suffix: '_sum', labels, value: Math.round(s.sum * 1e6) / 1e6 },
        { suffix: '_count', labels, value: s.count },
      ];
    });
    return [
      {
        name: 'velopanel_http_requests_total',
        help: 'HTTP requests answered, by method, route pattern and status.',
        type: 'counter',
        samples: requests,
      },
      {
        name: 'velopanel_http_request_duration_seconds',
        help: 'Time to answer HTTP requests, by method and route pattern.',
        type: 'histogram',
        samples: latency,
      },
    ];
  }
}
