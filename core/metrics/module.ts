import { createHash, timingSafeEqual } from 'node:crypto';
import { RAW_RESPONSE, type ApiRequest } from '../../sdk/routes.js';
import type { PanelConfig } from '../config/schema.js';
import { errors } from '../errors.js';
import { hasScope } from '../http/access.js';
import { isLoopback } from '../http/client-ip.js';
import type { KernelModule, ModuleHost } from '../kernel-module.js';
import { Tokens } from '../tokens.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition, type MetricFamily } from './exposition.js';
import { HttpMetrics } from './http-metrics.js';
import { certificateMetrics, jobMetrics, licenceMetrics, pluginMetrics, processMetrics } from './panel-metrics.js';
import { pluginSourceCollectors } from './plugin-sources.js';

/** API-token scope an admin token needs for `/metrics` from a non-loopback address. */
export const METRICS_SCOPE = 'metrics:read';

/** Who may scrape without an admin token: loopback clients (when trusted) and bearers of the scrape token. */
export interface MetricsPolicy {
  loopbackFree: boolean;
  scrapeToken: string;
}

/**
 * Local mode (and linux mode with `metrics_public_on_loopback`) serves loopback freely; in linux
 * mode tenants' PHP and shells run on this host, so loopback proves nothing there.
 */
export function metricsPolicy(
  config: Pick<PanelConfig, 'mode' | 'metrics_public_on_loopback' | 'metrics_token'>,
): MetricsPolicy {
  return {
    loopbackFree: config.mode === 'local' || config.metrics_public_on_loopback,
    scrapeToken: config.metrics_token,
  };
}

/** Whether the request carries the configured scrape token (compared in constant time). */
function hasScrapeToken(req: ApiRequest, token: string): boolean {
  const header = req.headers.authorization;
  if (!token || typeof header !== 'string' || header.slice(0, 7).toLowerCase() !== 'bearer ') return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(header.slice(7).trim()), digest(token));
}

/** Trusted loopback clients and the scrape token read freely; anyone else needs an admin login or token. */
export function checkMetricsAccess(req: ApiRequest, policy: MetricsPolicy): void {
  if ((policy.loopbackFree && isLoopback(req.ip)) || hasScrapeToken(req, policy.scrapeToken)) return;
  const p = req.principal;
  if (!p)
    throw errors.unauthenticated(
      policy.loopbackFree
        ? 'Metrics are served to loopback clients, or to others with an admin token'
        : 'Metrics need an admin token or the scrape token (metrics_token)',
    );
  if (p.role !== 'admin') throw errors.forbidden(`Your role (${p.role}) may not read metrics`);
  if (!hasScope(p, METRICS_SCOPE)) throw errors.forbidden(`This API token lacks the scope '${METRICS_SCOPE}'`);
}

/** Run every collector; one that fails is reported as `velopanel_scrape_collector_success 0`, not a failed scrape. */
async function collect(k: ModuleHost, http: HttpMetrics): Promise<MetricFamily[]> {
  const collectors: [string, () => MetricFamily[] | Promise<MetricFamily[]>][] = [
    ['http', () => http.families()],
    ['jobs', () => jobMetrics(k)],
    ['license', () => licenceMetrics(k)],
    ['plugins', () => pluginMetrics(k)],
    ['certificates', () => certificateMetrics(k)],
    ['process', () => processMetrics(k)],
    ...pluginSourceCollectors(k),
  ];
  const families: MetricFamily[] = [];
  const status: { labels: { collector: string }; value: number }[] = [];
  for (const [name, run] of collectors) {
    try {
      families.push(...(await run()));
      status.push({ labels: { collector: name }, value: 1 });
    } catch (e) {
      k.logger.warn('metrics collector failed', { collector: name, error: (e as Error)?.message });
      status.push({ labels: { collector: name }, value: 0 });
    }
  }
  families.push({
    name: 'velopanel_scrape_collector_success',
    help: 'Whether each metrics collector succeeded in this scrape.',
    type: 'gauge',
    samples: status,
  });
  return families;
}

/**
 * The metrics kernel module: `GET /metrics` in the Prometheus text format — HTTP requests and
 * latency per route, jobs by state, usage against the licence limits, plugin states,
 * certificate expiry and the process itself.
 */
export function metricsModule(): KernelModule {
  return {
    name: 'metrics',
    migrations: [],
    install(k) {
      const http = new HttpMetrics();
      const policy = metricsPolicy(k.config);
      k.provide(Tokens.ResponseObserver, http.observe);
      k.route({
        method: 'GET',
        path: '/metrics',
        summary:
          'Prometheus metrics (an admin token with metrics:read or the scrape token; loopback clients too in local mode)',
        access: { public: true },
        handler: async (req) => {
          checkMetricsAccess(req, policy);
          const body = renderExposition(await collect(k, http));
          req.res.writeHead(200, {
            'Content-Type': EXPOSITION_CONTENT_TYPE,
            'Cache-Control': 'no-store',
            'X-Content-Type-Options': 'nosniff',
            'Content-Length': Buffer.byteLength(body),
          });
          req.res.end(req.raw.method === 'HEAD' ? undefined : body);
          return RAW_RESPONSE;
        },
      });
    },
  };
}
