// The pools new accounts get from the panel's own php-fpm (local mode), on a real master started
// as local-services starts it (`-F -y conf -R`): a create's pool starts when its first vhost is
// rendered (so php-fpm's test and reload run beside nginx's), before the create ends; a create
// that fails after that has its pool removed; one that succeeds gets its FPM row.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  definePlugin,
  domainDirectory,
  managedServices,
  type DomainDirectory,
  type HookBus,
} from '../../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import {
  bedTempDir,
  canConnect,
  removeDir,
  startDaemon,
  stopDaemon,
  waitFor,
  waitReady,
  type Daemon,
} from '../../../test/bed/proc.js';
import { PHP_FPM_BIN } from '../../../test/bed/services/phpfpm.js';
import { socketAnswers } from '../status.js';
import { accountsStandIn, domainsStandIn, NGINX_CAPS, standInAccount } from './stand-ins.js';

describe("new accounts' pools on the panel's own php-fpm", () => {
  const dir = bedTempDir('new-pools');
  const poolDir = path.join(dir, 'pool.d');
  const socketDir = path.join(dir, 'sock');
  const own = path.join(dir, 'velopanel.sock');
  const accounts = [1, 2, 3].map((id) =>
    standInAccount(id, { username: `newpool${id}`, identity: `identity-${id}`, home_dir: dir }),
  );
  const domains = domainsStandIn({ id: 'nginx', capabilities: NGINX_CAPS }, accounts);
  const socket = (id: number) => path.join(socketDir, `vp-newpool${id}.sock`);
  const poolFile = (id: number) => path.join(poolDir, `vp-newpool${id}.conf`);
  let fpm: Daemon;
  let panel: TestPanel;
  let hooks: HookBus;
  let vhosts: DomainDirectory;
  // Regenerates as the create's vhost step does.
  const creates = definePlugin({
    manifest: {
      id: 'creates',
      version: '1.0.0',
      sdk: '^1.0.0',
      dependencies: ['domains'],
      consumes: ['domains.directory'],
    },
    start(ctx) {
      vhosts = ctx.services.get(domainDirectory);
    },
  });

  // As local-services provides it: where the master is, and that it answers.
  const managed = definePlugin({
    manifest: { id: 'local-services', version: '1.0.0', sdk: '^1.0.0', provides: ['local-services.managed'] },
    start(ctx) {
      ctx.services.provide(managedServices, {
        endpoint: (name) =>
          name === 'php-fpm'
            ? {
                socket: own,
                host: '',
                port: 0,
                user: '',
                binary: PHP_FPM_BIN,
                conf: path.join(dir, 'php-fpm.conf'),
                pidFile: path.join(dir, 'php-fpm.pid'),
                poolDir,
                socketDir,
              }
            : null,
        whenUsable: async () => undefined,
        list: () => [],
      });
    },
  });
  /** The account's primary domain row was made, then its vhost rendered: the steps of a create before it ends. */
  const upToVhost = async (id: number) => {
    await hooks.runAfter('domain.created', { domain: { account_id: id, domain_type: 'primary' } as never });
    await vhosts.regenerate(id);
  };

  beforeAll(async () => {
    for (const d of [poolDir, socketDir]) mkdirSync(d, { recursive: true });
    const conf = path.join(dir, 'php-fpm.conf');
    writeFileSync(
      conf,
      `[global]\npid = ${path.join(dir, 'php-fpm.pid')}\nerror_log = ${path.join(dir, 'error.log')}\ndaemonize = no\ninclude = ${poolDir}/*.conf\n\n[velopanel]\nlisten = ${own}\npm = ondemand\npm.max_children = 1\n`,
    );
    fpm = startDaemon(
      PHP_FPM_BIN,
      ['-F', '-y', conf, ...(process.getuid?.() === 0 ? ['-R'] : [])],
      path.join(dir, 'fpm.log'),
      { stopSignal: 'SIGQUIT' },
    );
    await waitReady(fpm, 'php-fpm socket', () => canConnect(own));
    panel = await startTestPanel({
      plugins: ['php'],
      inline: [managed, accountsStandIn(accounts, (h) => (hooks = h)), domains.plugin, creates],
    });
  });
  afterAll(async () => {
    await panel?.stop();
    if (fpm) await stopDaemon(fpm, 'SIGQUIT', [own]);
    removeDir(dir);
  });

  it("starts a create's pool when its vhost is rendered, pointing the vhost at it, before the create ends", async () => {
    await upToVhost(1);
    expect(domains.specs.get(1)?.php).toMatchObject({ mode: 'fpm', socket: socket(1) });
    // account.created has not come: the pool goes live on its own, beside the vhost's reload
    await waitFor('the pool of a create under way', () => socketAnswers(socket(1)), 30_000);
    await hooks.runAfter('account.created', { account: accounts[0]! });
    const config = await panel.request('GET', '/api/php/config/1', { as: 'admin' });
    expect(config.body.data).toMatchObject({ mode: 'fpm', socket: socket(1) });
  });

  it('removes the pool of a create that failed after its vhost was rendered', async () => {
    await upToVhost(2);
    await hooks.runAfter('account.create_failed', { account: accounts[1]! });
    expect(existsSync(poolFile(2))).toBe(false);
    expect(await socketAnswers(socket(2))).toBe(false);
    expect(await socketAnswers(socket(1))).toBe(true);
  });

  it('makes the pool of a create whose vhost was never rendered when the create ends', async () => {
    await hooks.runAfter('domain.created', { domain: { account_id: 3, domain_type: 'primary' } as never });
    await hooks.runAfter('account.created', { account: accounts[2]! });
    expect(await socketAnswers(socket(3))).toBe(true);
  });
});
