import { compileValidator, errors, Type, type AccountSettingsSection, type Static } from '../../sdk/index.js';
import type { ShellKind } from './config.js';
import { parseCommand, parseEmail } from './crontab.js';
import { inspectKey, parsePublicKey } from './keys.js';
import { parseSchedule } from './schedule.js';
import type { AccessService } from './service.js';

// What a backup carries for the `access` section; read back with the checks of the API.
const Section = Type.Object({
  shell: Type.Union([Type.Literal('nologin'), Type.Literal('sftp-only'), Type.Literal('full'), Type.Null()], {
    'x-error': 'must be nologin, sftp-only, full or null',
  }),
  keys: Type.Array(Type.String({ maxLength: 16_384 }), { maxItems: 500 }),
  cron: Type.Array(
    Type.Object({
      schedule: Type.String({ maxLength: 100 }),
      command: Type.String({ maxLength: 1000 }),
      enabled: Type.Boolean(),
      email: Type.Union([Type.String({ maxLength: 254 }), Type.Null()]),
    }),
    { maxItems: 1000 },
  ),
});
const section = compileValidator<Static<typeof Section>>(Section, { where: 'access' });

/** Parse a section with the API's own parsers (a hostile archive fails here, naming the item). */
export function parseSection(value: unknown) {
  const s = section.parse(value);
  return {
    shell: s.shell as ShellKind | null,
    keys: s.keys.map((k) => parsePublicKey(k)),
    cron: s.cron.map((j, i) => ({
      schedule: parseSchedule(j.schedule, `access.cron[${i}].schedule`),
      command: parseCommand(j.command, `access.cron[${i}].command`),
      enabled: j.enabled,
      email: parseEmail(j.email, `access.cron[${i}].email`),
    })),
  };
}

/** The `access` settings section: shell set by an admin, keys and cron jobs, replaced whole on import. */
export function accessSection(access: AccessService): AccountSettingsSection {
  return {
    async export(account) {
      const keys = await access.store.listKeys(account.id);
      const cron = await access.store.listCron(account.id);
      return {
        shell: await access.store.shell(account.id),
        keys: keys.map((k) => (k.comment ? `${k.public_key} ${k.comment}` : k.public_key)),
        cron: cron.map(({ schedule, command, enabled, email }) => ({ schedule, command, enabled, email })),
      };
    },
    async validate(value) {
      parseSection(value);
    },
    async import(account, value) {
      const s = parseSection(value);
      if (!s.keys.length && !s.cron.length && !s.shell) return;
      access.requireLinux('SSH keys and cron jobs');
      if (s.cron.length > access.maxCronJobs(account))
        throw errors.validation(
          `access.cron: ${s.cron.length} jobs exceed the ${account.plan} plan's limit of ${access.maxCronJobs(account)}`,
        );
      if (s.keys.length > access.cfg.max_ssh_keys)
        throw errors.validation(`access.keys: ${s.keys.length} keys exceed the limit of ${access.cfg.max_ssh_keys}`);
      const keys = await Promise.all(s.keys.map(async (k) => ({ ...k, ...(await inspectKey(access.ctx.exec, k)) })));
      await access.exclusive(async () => {
        const before = await access.store.shell(account.id);
        await access.store.replace(account.id, {
          shell: s.shell,
          keys: keys.map((k) => ({
            account_id: account.id,
            type: k.type,
            bits: k.bits,
            fingerprint: k.fingerprint,
            comment: k.comment,
            public_key: `${k.type} ${k.key}`,
          })),
          cron: s.cron.map((j) => ({ account_id: account.id, ...j })),
        });
        if (before !== s.shell) await access.syncShell(account);
        await access.syncKeys(account);
        await access.syncCron(account);
      });
    },
  };
}
