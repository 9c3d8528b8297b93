import type { RouteDefinition } from '../../sdk/index.js';
import type { EngineLogs } from './engine-logs.js';
import type { LastCollection } from './collector.js';
import { periodOf } from './log-reader.js';

/** What the routes need from the plugin. */
export interface BandwidthRouteDeps {
  run(): Promise<LastCollection>;
  last(): LastCollection | null;
  logs: EngineLogs;
  action: 'warn' | 'suspend';
}

/** `GET /api/bandwidth` (how bandwidth is measured) and `POST /api/bandwidth/collect` (read the logs now). */
export function bandwidthRoutes(d: BandwidthRouteDeps): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/api/bandwidth',
      summary: 'How bandwidth is measured: engine, log directory, action over quota, latest collection on this node',
      access: { roles: ['admin'], scope: 'system:read' },
      handler: async () => ({
        ...(await d.logs.describe()),
        period: periodOf(Date.now()),
        action: d.action,
        last_collection: d.last(),
      }),
    },
    {
      method: 'POST',
      path: '/api/bandwidth/collect',
      summary: 'Read the access logs now and apply the over-quota action',
      access: { roles: ['admin'], scope: 'system:write' },
      handler: () => d.run(),
    },
  ];
}
