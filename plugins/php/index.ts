import {
  accountSettingsSections,
  compileValidator,
  definePlugin,
  Type,
  vhostContributors,
  type Static,
} from '../../sdk/index.js';
import { PhpConfig } from './config.js';
import { phpSettings } from './settings.js';
import { validateIni, type IniInput } from './ini.js';
import { phpContributor, reconcilePools, registerAccountHooks, restartStoppedMasters } from './lifecycle.js';
import { NewAccountPools } from './new-pools.js';
import { FpmPools } from './pools.js';
import { IniBody, phpRoutes } from './routes.js';
import { PhpService } from './service.js';
import { migrations, PhpStore } from './store.js';

// What a backup carries for the `php` section; read back with the same checks as the API.
const Section = Type.Object({
  version: Type.String({ pattern: '^[0-9]{1,2}\\.[0-9]{1,2}$', 'x-error': 'must be a version such as 8.2' }),
  mode: Type.Union([Type.Literal('cgi'), Type.Literal('fpm'), Type.Literal('lsapi')], {
    'x-error': 'must be cgi, fpm or lsapi',
  }),
  ini: IniBody.properties.settings,
});
const parseSection = compileValidator<Static<typeof Section>>(Section, { where: 'php' });

/**
 * PHP: installed versions, per-account version and mode, an FPM pool per account running as the
 * account's user (test-then-swap, graceful reload), allow-listed php.ini values, and the PHP
 * handler of the account's vhosts through the `vhost-contributors` extension point.
 */
export default definePlugin<PhpConfig>({
  manifest: {
    id: 'php',
    name: 'PHP',
    version: '1.0.0',
    sdk: '^1.0.0',
    dependencies: ['accounts'],
    optionalDependencies: ['domains', 'local-services'],
    provides: ['vhost-contributors', 'account-settings'],
    consumes: ['accounts.directory', 'accounts.cgroups?', 'domains.directory?', 'local-services.managed?'],
    licence: { features: { 'php.cgi': 'community', 'php.fpm': 'community', 'php.lsapi': 'pro' } },
    description: 'PHP versions, per-account version and mode, FPM pools and php.ini settings',
  },
  configSchema: PhpConfig,
  migrations,
  start(ctx) {
    const php = new PhpService(ctx, phpSettings(ctx), new PhpStore(ctx.db), new FpmPools(ctx.exec, ctx.logger));
    for (const r of phpRoutes(php)) ctx.route(r);
    // The panel's own php-fpm (local mode) gives new accounts a pool (see NewAccountPools).
    const fresh = php.s.managed ? new NewAccountPools(php) : null;
    ctx.extensions.provide(vhostContributors, 'php', phpContributor(php, fresh));
    ctx.extensions.provide(accountSettingsSections, 'php', {
      async export(account) {
        const row = await php.store.get(account.id);
        return row ? { version: row.version, mode: row.mode, ini: row.ini } : null;
      },
      async import(account, value) {
        if (value === null) return php.transition(account, null);
        const s = parseSection.parse(value);
        const ini = validateIni(s.ini as IniInput, 'php.ini');
        php.checkCaps(account, ini, 'php.ini');
        php.checkPlanMode(account, s.mode);
        await php.check(s.version, s.mode);
        await php.transition(account, { version: s.version, mode: s.mode, ini });
      },
    });
    registerAccountHooks(php, fresh);
    // Masters run on this machine: every node checks its own.
    if (php.accountMasters)
      ctx.scheduler.schedule({
        name: 'fpm-masters',
        when: ctx.config.account_master_check_every,
        perNode: true,
        run: async () => void (await php.exclusive(() => restartStoppedMasters(php))),
      });
    ctx.onReady(async () => {
      const r = await php.exclusive(() => reconcilePools(php));
      if (r.written || r.removed || r.failed.length) ctx.logger.info('php: pools reconciled', r);
    });
  },
});
