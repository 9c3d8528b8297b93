// Files that hold secrets or describe other tenants, read by a tenant on the same host (linux mode,
// root, a real unprivileged user). The data dir is left 0755 here, as an operator's own
// VELOPANEL_DATA_DIR may be: the files' own modes must keep the tenant out, and modes that drifted
// are narrowed again at the next start, with a log line naming each file.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/load.js';
import type { Kernel } from '../../core/kernel.js';
import { createPanel } from '../../core/panel.js';
import { FragmentDirectory, MANAGED_MARKER, type Logger } from '../../sdk/index.js';
import { useThrowawayUser } from '../bed/helpers/linux-user.js';
import { requireRoot } from '../bed/index.js';

const root = requireRoot();
const mode = (file: string) => statSync(file).mode & 0o777;

/** Whether `user` can read `file` (cat run with the tenant's uid and gid). */
function tenantReads(user: { uid: number; gid: number }, file: string): boolean {
  return spawnSync('cat', ['--', file], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

function recorder(lines: { msg: string; fields?: Record<string, unknown> }[]): Logger {
  const log = (msg: string, fields?: Record<string, unknown>) => void lines.push({ msg, fields });
  const logger: Logger = { debug: () => {}, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

async function startPanel(dataDir: string, logger: Logger): Promise<Kernel> {
  const config = loadConfig({
    env: {},
    overrides: {
      mode: 'linux',
      bind_address: '127.0.0.1',
      bind_port: 0,
      data_dir: dataDir,
      test_mode: true,
      log_level: 'silent',
      database_url: '',
    },
  });
  const kernel = createPanel(config, { onlyPlugins: [], logger });
  await kernel.start();
  return kernel;
}

describe.skipIf(root.skip)('secrets on disk (linux mode)', () => {
  const user = useThrowawayUser();
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-private-'));
    chmodSync(dataDir, 0o755);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const secrets = () =>
    ['velopanel.sqlite', 'velopanel.sqlite-wal', 'velopanel.sqlite-shm', 'jwt_secret', 'setup-code'].map((n) =>
      path.join(dataDir, n),
    );

  it('a tenant cannot read the store, its journals, the JWT secret or the setup code', async () => {
    const kernel = await startPanel(dataDir, recorder([]));
    try {
      await kernel.knex('core_users').count({ n: '*' }); // the store is open, its -wal and -shm exist
      for (const file of secrets()) {
        expect(existsSync(file), file).toBe(true);
        expect(mode(file), file).toBe(0o600);
        expect(tenantReads(user(), file), file).toBe(false);
      }
    } finally {
      await kernel.stop(1000);
    }
  });

  it('narrows modes that drifted at the next start, and says which', async () => {
    writeFileSync(path.join(dataDir, 'license.key'), 'not checked here\n', { mode: 0o644 });
    for (const file of secrets()) if (existsSync(file)) chmodSync(file, 0o644);
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const kernel = await startPanel(dataDir, recorder(lines));
    try {
      for (const file of [...secrets(), path.join(dataDir, 'license.key')])
        if (existsSync(file)) expect(mode(file), file).toBe(0o600);
      const line = lines.find((l) => l.msg === 'narrowed the modes of private files that had drifted');
      expect(line?.fields?.files).toContainEqual({ path: path.join(dataDir, 'jwt_secret'), was: '0644', now: '0600' });
      expect(line?.fields?.files).toContainEqual({
        path: path.join(dataDir, 'velopanel.sqlite'),
        was: '0644',
        now: '0600',
      });
      expect(tenantReads(user(), path.join(dataDir, 'velopanel.sqlite'))).toBe(false);
    } finally {
      await kernel.stop(1000);
    }
  });
});

describe.skipIf(root.skip)('vhost and pool fragments (linux mode)', () => {
  const user = useThrowawayUser();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-sites-'));
    chmodSync(dir, 0o755); // as /etc/nginx/sites-enabled and pool.d are
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const vhost = (domain: string) =>
    `${MANAGED_MARKER}\nserver { server_name ${domain}; root /home/other/public_html; }\n`;

  it('writes new and replaced fragments 0640, even over a stale 0644 temp file', () => {
    const fragments = new FragmentDirectory(dir, '.conf');
    fragments.prepare();
    fragments.swap({ write: [{ name: 'a.test.conf', content: vhost('a.test') }], remove: [] }).commit();
    expect(mode(path.join(dir, 'a.test.conf'))).toBe(0o640);
    expect(tenantReads(user(), path.join(dir, 'a.test.conf'))).toBe(false);
    writeFileSync(path.join(dir, 'a.test.conf.vp-new'), 'left by a crash\n', { mode: 0o644 });
    fragments.swap({ write: [{ name: 'a.test.conf', content: vhost('www.a.test') }], remove: [] }).commit();
    expect(mode(path.join(dir, 'a.test.conf'))).toBe(0o640);
    expect(tenantReads(user(), path.join(dir, 'a.test.conf'))).toBe(false);
  });

  it("narrows managed fragments that drifted, leaving the operator's files alone", () => {
    writeFileSync(path.join(dir, 'b.test.conf'), vhost('b.test'), { mode: 0o644 });
    writeFileSync(path.join(dir, 'operator.conf'), 'server { listen 8080; }\n', { mode: 0o644 });
    const fixed = new FragmentDirectory(dir, '.conf').tightenModes();
    expect(fixed).toEqual([{ path: path.join(dir, 'b.test.conf'), was: '0644', now: '0640' }]);
    expect(tenantReads(user(), path.join(dir, 'b.test.conf'))).toBe(false);
    expect(mode(path.join(dir, 'operator.conf'))).toBe(0o644);
  });
});
