import path from 'node:path';
import { definePlugin, Type } from '../../sdk/index.js';
import { loadUiAssets } from './assets.js';
import { NavigationRegistry } from './navigation.js';
import { uiRequestHandler } from './requests.js';

/**
 * The web UI: serves the single-page app at `/` (the API stays under `/api`), its assets with
 * strict security headers, and the navigation entries other plugins contribute.
 */
export default definePlugin<{ client_dir: string }>({
  manifest: {
    id: 'ui',
    name: 'Web UI',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'The browser interface of the panel, on the same port as the API',
  },
  configSchema: Type.Object({
    client_dir: Type.String({
      default: '',
      pattern: '^(/.*)?$',
      'x-error': 'must be an absolute directory (empty: the compiled client in dist/)',
    }),
  }),
  start(ctx) {
    // templatesDir is `<project>/templates`: its parent is the project root in source and dist alike.
    const assets = loadUiAssets(path.dirname(ctx.settings.templatesDir), ctx.config.client_dir || undefined);
    if (!assets.clientBuilt)
      ctx.logger.warn('web UI client is not compiled; run `npm run build`', { dir: assets.clientDir });
    const nav = new NavigationRegistry(ctx.extensions, ctx.logger);
    ctx.route({
      method: 'GET',
      path: '/api/ui/navigation',
      summary: 'Navigation entries and pages other plugins add to the web UI',
      access: {},
      handler: (req) => nav.forRole(req.principal!.role),
    });
    ctx.fallback(uiRequestHandler(assets, nav));
  },
});
