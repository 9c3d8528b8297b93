// php-fpm as the php plugin uses it: a pool per account running as that Linux user, behind an
// nginx vhost; the page reports the user it runs as.
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot, useServices } from '../bed/index.js';
import { fetchVhost } from '../bed/helpers/http.js';
import { useThrowawayUser } from '../bed/helpers/linux-user.js';
import { addSite, type Site } from '../bed/helpers/nginx.js';
import { addPool, type Pool } from '../bed/helpers/phpfpm.js';

const bed = useServices('nginx', 'phpfpm');
const root = requireRoot();

describe.skipIf(bed.skip || root.skip)('smoke: php-fpm', () => {
  const account = useThrowawayUser();
  const host = `php-${process.pid}.test`;
  let pool: Pool;
  let site: Site;

  beforeAll(async () => {
    const u = account();
    const docroot = join(u.home, 'public_html');
    mkdirSync(docroot, { mode: 0o755 });
    writeFileSync(join(docroot, 'whoami.php'), "<?php echo posix_getpwuid(posix_geteuid())['name'];\n", {
      mode: 0o644,
    });
    chownSync(docroot, u.uid, u.gid);
    chownSync(join(docroot, 'whoami.php'), u.uid, u.gid);
    pool = await addPool(bed.phpfpm, { user: u.name, openBasedir: `${u.home}/:/tmp/` });
    site = await addSite(
      bed.nginx,
      `server {
  listen 127.0.0.1:${bed.nginx.httpPort};
  server_name ${host};
  root ${docroot};
  location ~ \\.php$ {
    include /etc/nginx/fastcgi_params;
    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    fastcgi_pass unix:${pool.socket};
  }
}
`,
    );
  });

  afterAll(async () => {
    await site?.remove();
    await pool?.remove();
  });

  it('runs the page as the account user', async () => {
    const r = await fetchVhost({ port: bed.nginx.httpPort, host, path: '/whoami.php' });
    expect(r.status).toBe(200);
    expect(r.body).toBe(account().name);
  });
});
