import type { RouteDefinition } from '../../sdk/routes.js';
import type { Kernel } from '../kernel.js';
import { jobRoutes } from './jobs.js';
import { openApiRoute } from './openapi.js';
import { pluginRoutes } from './plugins.js';

/** Routes the kernel itself serves. */
export function coreRoutes(k: Kernel): RouteDefinition[] {
  return [
    {
      method: 'GET',
      path: '/api/health',
      summary: 'Liveness',
      access: { public: true },
      handler: () => ({ status: 'ok', version: k.version }),
    },
    openApiRoute(k),
    ...pluginRoutes(k),
    ...jobRoutes(k),
  ];
}
