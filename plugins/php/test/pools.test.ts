// FPM pools on a private php-fpm 8.2 master with a real throwaway user (root): written as the
// account, tested with the master config (staged) before they are swapped in, rolled back when
// php-fpm refuses, removed on CGI, suspend and delete, restored on unsuspend; stale managed pools
// are removed at start; a pool file the panel did not write is refused, its directory named to admins only.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POOL_MARKER } from '../pool.js';
import type { AccountInfo, HookBus, PanelError } from '../../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { requireRoot } from '../../../test/bed/index.js';
import { whileImmutable } from '../../../test/bed/helpers/immutable.js';
import { useThrowawayUser } from '../../../test/bed/helpers/linux-user.js';
import { startPhpFpm } from '../../../test/bed/services/phpfpm.js';
import type { PhpFpmInfo, Running } from '../../../test/bed/types.js';
import { accountsStandIn, domainsStandIn, NGINX_CAPS, standInAccount } from './stand-ins.js';

const root = requireRoot();
const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

describe.skipIf(root.skip)('FPM pools on a private php-fpm master', () => {
  const user = useThrowawayUser();
  let fpm: Running<PhpFpmInfo>;
  let panel: TestPanel;
  let hooks: HookBus;
  let account: AccountInfo;
  let domains: ReturnType<typeof domainsStandIn>;
  const pool = () => path.join(fpm.info.poolDir, `vp-${account.username}.conf`);
  const socket = () => path.join(fpm.info.socketDir, `vp-${account.username}.sock`);

  beforeAll(async () => {
    fpm = await startPhpFpm();
    const pool = (name: string) =>
      `[${name}]\nuser = nobody\ngroup = nogroup\nlisten = ${fpm.info.socketDir}/${name}.sock\npm = ondemand\npm.max_children = 1\n`;
    writeFileSync(
      path.join(fpm.info.poolDir, 'vp-ghost.conf'),
      `${POOL_MARKER}: a pool whose account is gone\n${pool('vp-ghost')}`,
    );
    writeFileSync(path.join(fpm.info.poolDir, 'operator.conf'), pool('operator'));
    const u = user();
    account = standInAccount(1, { username: u.name, uid: u.uid, gid: u.gid, home_dir: u.home, plan: 'pro' });
    const liar = standInAccount(2, { username: u.name, uid: u.uid + 1, gid: u.gid, home_dir: u.home });
    domains = domainsStandIn({ id: 'nginx', capabilities: NGINX_CAPS }, [account, liar]);
    panel = await startTestPanel({
      plugins: ['php'],
      inline: [
        accountsStandIn([account, liar], (h) => {
          hooks = h;
        }),
        domains.plugin,
      ],
      config: {
        mode: 'linux',
        plugins: {
          php: {
            pool_dir: fpm.info.poolDir,
            fpm_config: fpm.info.confPath,
            fpm_prefix: fpm.info.prefix,
            pid_file: path.join(fpm.info.prefix, 'php-fpm.pid'),
            socket_dir: fpm.info.socketDir,
            web_user: fpm.info.listenOwner,
          },
        },
      } as never,
    });
  });
  afterAll(async () => {
    await panel?.stop();
    await fpm?.stop();
  });

  it('removes managed pools no account needs at start, leaving operator pools alone', async () => {
    for (let i = 0; i < 200 && existsSync(path.join(fpm.info.poolDir, 'vp-ghost.conf')); i++) await sleep(50);
    expect(existsSync(path.join(fpm.info.poolDir, 'vp-ghost.conf'))).toBe(false);
    expect(existsSync(path.join(fpm.info.poolDir, 'operator.conf'))).toBe(true);
  });

  it('writes a pool running as the account, on a socket only the web server may use, and reloads the master', async () => {
    const res = await panel.request('POST', '/api/php/version/1', { body: { version: '8.2', mode: 'fpm' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({
      mode: 'fpm',
      socket: socket(),
      applied: true,
      reason: null,
      binary: '/usr/sbin/php-fpm8.2',
    });
    const conf = read(pool())!;
    for (const line of [
      `user = ${account.username}`,
      `group = ${account.gid}`,
      'pm = ondemand',
      'pm.max_children = 10',
      `listen.owner = ${fpm.info.listenOwner}`,
    ])
      expect(conf.split('\n')).toContain(line);
    const st = statSync(socket());
    expect(st.mode & 0o777).toBe(0o660);
    // root's master reads it; other tenants on the host do not
    expect(statSync(pool()).mode & 0o777).toBe(0o640);
    expect(domains.specs.get(1)?.php).toEqual({ mode: 'fpm', version: '8.2', socket: socket() });
  });

  it('renders php.ini values into the pool; hostile values are refused and never written', async () => {
    const res = await panel.request('POST', '/api/php/ini/1', {
      body: { settings: { memory_limit: '200M', 'date.timezone': 'Europe/Paris' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      applied: true,
      settings: { memory_limit: '200M', 'date.timezone': 'Europe/Paris' },
    });
    const good = read(pool())!;
    expect(good).toContain('php_value[memory_limit] = 200M\n');
    for (const settings of [
      { memory_limit: '64M\nuser = root' },
      { user: 'root' },
      { 'date.timezone': 'UTC\r\n[www]' },
    ]) {
      expect((await panel.request('POST', '/api/php/ini/1', { body: { settings } })).status).toBe(400);
      expect(read(pool())).toBe(good);
    }
    expect(good).not.toMatch(/^user = root/m);
  });

  it('keeps the previous pool and settings when php-fpm rejects the new configuration', async () => {
    const before = read(pool());
    const broken = path.join(fpm.info.poolDir, 'zz-operator.conf');
    writeFileSync(broken, '[zz-operator]\nlisten = \npm = nonsense\n');
    try {
      const res = await panel.request('POST', '/api/php/ini/1', { body: { settings: { memory_limit: '300M' } } });
      expect(res.status).toBe(502);
      expect(res.body.error).toContain('php-fpm 8.2 rejected the pool configuration');
    } finally {
      rmSync(broken);
    }
    expect(read(pool())).toBe(before);
    expect((await panel.request('GET', '/api/php/ini/1')).body.data.settings.memory_limit).toBe('200M');
    expect((await panel.request('GET', '/api/php/config/1')).body.data.applied).toBe(true);
  });

  it('refuses an account whose uid does not match its system user, writing nothing', async () => {
    const res = await panel.request('POST', '/api/php/version/2', { body: { version: '8.2', mode: 'fpm' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toContain('does not have uid');
    expect((await panel.request('GET', '/api/php/config/2')).body.data.source).toBe('server default');
  });

  it('disables the pool while suspended and brings it back on unsuspend', async () => {
    await hooks.runAfter('account.suspended', { account: { ...account, status: 'suspended' } });
    expect(read(pool())).toBeNull();
    await hooks.runAfter('account.unsuspended', { account });
    expect(read(pool())).toContain('php_value[memory_limit] = 200M');
    expect((await panel.request('GET', '/api/php/config/1')).body.data.applied).toBe(true);
  });

  it('vetoes a delete whose pool cannot be removed: which account to everyone, the file error to admins', async () => {
    // An immutable pool directory: even root cannot move the pool file out of it.
    const e = await whileImmutable(fpm.info.poolDir, () =>
      hooks.runBefore('account.delete', { account }).catch((x: unknown) => x),
    );
    expect(e).toMatchObject({ code: 'VETOED', status: 409 });
    // What the DELETE's answer gives each caller (the envelope sends messageFor the caller).
    const refused = e as PanelError;
    const said = `Refused by plugin 'php': could not remove the PHP-FPM pool of ${account.username}`;
    for (const role of ['reseller', 'user']) expect(refused.messageFor({ role })).toBe(said);
    expect(refused.messageFor({ role: 'admin' })).toMatch(
      new RegExp(`^${said}: EPERM: operation not permitted, rename '${fpm.info.poolDir}/`),
    );
    expect(read(pool())).toContain('php_value[memory_limit] = 200M');
    expect((await panel.request('GET', '/api/php/config/1')).body.data.applied).toBe(true);
  });

  it('removes the pool when the account goes back to CGI, and with the account on delete', async () => {
    const res = await panel.request('POST', '/api/php/version/1', { body: { version: '8.2', mode: 'cgi' } });
    expect(res.body.data).toMatchObject({ mode: 'cgi', socket: null, applied: false });
    expect(read(pool())).toBeNull();
    expect(domains.specs.get(1)?.php).toEqual({ mode: 'cgi', version: '8.2', binary: '/usr/bin/php-cgi8.2' });
    await panel.request('POST', '/api/php/version/1', { body: { version: '8.2', mode: 'fpm' } });
    expect(read(pool())).not.toBeNull();
    await hooks.runBefore('account.delete', { account });
    expect(read(pool())).toBeNull();
    expect((await panel.request('GET', '/api/php/config/1')).body.data.source).toBe('server default');
  });

  it('refuses to overwrite a pool file it did not write, naming the pool directory to admins only', async () => {
    writeFileSync(pool(), '; an operator pool that happens to have the name\n');
    try {
      const said = `The PHP-FPM pool file vp-${account.username}.conf exists and was not written by VeloPanel; it is left alone`;
      for (const as of ['user', 'admin'] as const) {
        const res = await panel.request('POST', '/api/php/version/1', { as, body: { version: '8.2', mode: 'fpm' } });
        expect(res.status, JSON.stringify(res.body)).toBe(409);
        expect(res.body.error).toBe(as === 'admin' ? `${said}: ${pool()}` : said);
      }
      expect(read(pool())).toBe('; an operator pool that happens to have the name\n');
    } finally {
      rmSync(pool());
    }
  });
});
