import { accountSettingsSections, definePlugin } from '../../sdk/index.js';
import { AccessConfig } from './config.js';
import { registerAccountHooks, reconcile } from './lifecycle.js';
import { cronRoutes } from './routes-cron.js';
import { keyRoutes } from './routes-keys.js';
import { accessSection } from './section.js';
import { AccessService } from './service.js';
import { AccessStore, migrations } from './store.js';

/**
 * Account access and automation: SSH public keys (authorized_keys written as the account), the
 * shell of each account (nologin, chrooted sftp-only or full, through sshd's managed Match file)
 * and cron jobs (the account's crontab, installed with `crontab -u` from stdin). Linux mode only
 * for changes; local mode lists nothing to change and answers 503.
 */
export default definePlugin<AccessConfig>({
  manifest: {
    id: 'access',
    name: 'SSH and cron',
    version: '1.0.0',
    sdk: '^1.0.0',
    dependencies: ['accounts'],
    provides: ['account-settings'],
    consumes: ['accounts.directory'],
    description: 'SSH keys, shell access (nologin, chrooted SFTP, full) and cron jobs of accounts',
  },
  configSchema: AccessConfig,
  migrations,
  start(ctx) {
    const access = new AccessService(ctx, ctx.config, new AccessStore(ctx.db));
    for (const r of [...keyRoutes(access), ...cronRoutes(access)]) ctx.route(r);
    ctx.extensions.provide(accountSettingsSections, 'access', accessSection(access));
    registerAccountHooks(access);
    if (access.linux) ctx.onReady(() => access.exclusive(() => reconcile(access)));
  },
});
