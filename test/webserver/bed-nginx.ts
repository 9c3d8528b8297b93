// The bed's shared nginx handed to startHostingPanel in place of a private one, for the tests that
// need it beside the bed's php-fpm (whose pools it reaches). The bed starts and stops it.
import path from 'node:path';
import { reloadNginx } from '../bed/helpers/nginx.js';
import type { NginxInfo } from '../bed/types.js';
import type { PrivateNginx } from './private-nginx.js';

/** The bed's nginx as a PrivateNginx: HTTP only, no request log, and `stop` leaves it running. */
export function bedNginx(n: NginxInfo): PrivateNginx {
  return {
    dir: n.prefix,
    port: n.httpPort,
    httpsPort: null,
    sitesDir: n.sitesDir,
    pluginConfig: {
      binary: n.binary,
      prefix: n.prefix,
      conf: n.confPath,
      error_log: path.join(n.prefix, 'logs', 'error.log'),
      sites_dir: n.sitesDir,
      listen: `127.0.0.1:${n.httpPort}`,
      access_log_dir: path.join(n.prefix, 'logs', 'velopanel'),
    },
    accessLog: () => [],
    reload: () => reloadNginx(n),
    stop: async () => undefined,
  };
}
