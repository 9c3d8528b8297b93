// A private nginx for the SSL tests whose HTTP port is the one pebble validates HTTP-01 on
// (bed.pebble.httpPort), plus a free HTTPS port the vhosts' `listen … ssl` uses, and a request
// log to see pebble's challenge fetches. The panel's nginx engine writes the vhosts; pebble
// fetches the challenge through them for real.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchVhost } from '../bed/helpers/http.js';
import { waitFor } from '../bed/proc.js';
import { startPrivateNginx, type PrivateNginx } from '../webserver/private-nginx.js';

export interface AcmeNginx extends PrivateNginx {
  httpsPort: number;
  /** Write an unmanaged site file (the panel's engine leaves it alone), reload, wait until `probe` answers 200. */
  addSite(name: string, conf: string, probe: { host: string; path: string }): Promise<void>;
}

export async function startAcmeNginx(httpPort: number): Promise<AcmeNginx> {
  const nginx = await startPrivateNginx({ httpPort, https: true, logRequests: true, name: 'ssl-nginx' });
  return {
    ...nginx,
    httpsPort: nginx.httpsPort!,
    async addSite(name, conf, probe) {
      writeFileSync(join(nginx.sitesDir, `${name}.conf`), conf);
      await nginx.reload();
      await waitFor(
        `nginx to serve ${probe.host}`,
        async () => (await fetchVhost({ port: httpPort, ...probe })).status === 200,
        15_000,
      );
    },
  };
}
