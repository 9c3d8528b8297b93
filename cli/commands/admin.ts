import { randomUUID } from 'node:crypto';
import { TwoFactorStore } from '../../core/auth/two-factor-store.js';
import { isPanelError } from '../../core/errors.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { CliError, Exit, exitForApiError } from '../exit-codes.js';
import type { OfflineStore } from '../offline-store.js';
import { endedAccess, readPassword, warnEndsAccess } from '../prompt.js';

const passwordStdin = { name: 'password-stdin', help: 'read the password from the first line of standard input' };
const OFFLINE = `Works offline, on the panel's database directly (the panel may be running or not): it
reads the same config as \`velopanel serve\` (VELOPANEL_CONFIG, else config/velopanel.toml, else
the installed service's /etc/velopanel/velopanel.toml) and honours VELOPANEL_DATA_DIR and
VELOPANEL_DATABASE_URL. It names the store it wrote to. Run it as the user the panel runs as.`;

/** Run work on the offline store, turning the store's refusals into exit codes. */
async function withStore<T>(ctx: CommandContext, work: (s: OfflineStore) => Promise<T>): Promise<T> {
  const { openOfflineStore } = await import('../offline-store.js');
  const store = await openOfflineStore(ctx.env);
  try {
    return await work(store);
  } catch (e) {
    if (isPanelError(e)) throw new CliError(e.message, exitForApiError(e.code, e.status), e.code);
    throw e;
  } finally {
    await store.close();
  }
}

/** `velopanel admin create <username>`: a new admin login, without the panel. */
export const adminCreateCommand: CommandSpec = {
  path: ['admin', 'create'],
  summary: 'Create an admin login (offline, on the database)',
  offline: true,
  args: [{ name: 'username', help: '3–64 letters, digits, dots, dashes or underscores' }],
  options: [passwordStdin],
  details: `${OFFLINE}\n  echo "$PASSWORD" | velopanel admin create ops --password-stdin`,
  async run(ctx) {
    const username = ctx.args.username!;
    const password = await readPassword({
      fromStdin: !!ctx.options['password-stdin'],
      confirm: true,
      hint: 'admin create',
    });
    const created = await withStore(ctx, async (s) => {
      const { id } = await s.users.create({ username, password, role: 'admin' });
      return { id, username, role: 'admin', store: s.where };
    });
    ctx.out.result(created, () => `Created admin '${username}' (id ${created.id}) in ${created.store}.`);
    return Exit.OK;
  },
};

/** `velopanel admin reset-password <username>`: a new password for an admin, without the panel. */
export const adminResetCommand: CommandSpec = {
  path: ['admin', 'reset-password'],
  summary: 'Set a new password for an admin login (offline); its sessions and API tokens end',
  offline: true,
  args: [{ name: 'username', help: 'the admin login' }],
  options: [
    passwordStdin,
    { name: 'enable', help: 'also re-enable the login if it was disabled' },
    { name: 'revoke-tokens', help: "accepted for old scripts: a new password always deletes the login's API tokens" },
  ],
  details: `${OFFLINE}\nEvery session of the login stops working (a running panel notices within 15
seconds) and its API tokens are deleted.
  echo "$NEW_PASSWORD" | velopanel admin reset-password admin --password-stdin`,
  async run(ctx) {
    const username = ctx.args.username!;
    warnEndsAccess(ctx.options['password-stdin'], `admin '${username}'`);
    const password = await readPassword({
      fromStdin: !!ctx.options['password-stdin'],
      confirm: true,
      label: 'New password',
      hint: 'admin reset-password',
    });
    const done = await withStore(ctx, async (s) => {
      const row = await s.users.rowByUsername(username);
      if (!row) throw new CliError(`no login named '${username}' in ${s.where}`, Exit.NOT_FOUND, 'NOT_FOUND');
      if (row.role !== 'admin')
        throw new CliError(
          `'${username}' is a ${row.role} login, not an admin; change it through the panel`,
          Exit.ERROR,
        );
      const { api_tokens_revoked } = await s.users.setPassword(row.id, password);
      if (ctx.options.enable && row.disabled) await s.users.setDisabled(row.id, false);
      return {
        id: row.id,
        // The name as stored: the login was found in any letter case.
        username: row.username,
        password_reset: true,
        enabled: ctx.options.enable ? true : !row.disabled,
        api_tokens_revoked,
        store: s.where,
      };
    });
    ctx.out.result(done, () => [
      `New password set for admin '${done.username}' in ${done.store}; ${endedAccess(done.api_tokens_revoked)}.`,
      ...(done.enabled ? [] : ['The login is still disabled (use --enable).']),
    ]);
    return Exit.OK;
  },
};

/** `velopanel admin reset-2fa <username>`: turn a login's two-factor login off, without the panel (a lost phone). */
export const adminReset2faCommand: CommandSpec = {
  path: ['admin', 'reset-2fa'],
  summary: 'Turn off the two-factor login of a login that lost its device (offline; audited)',
  offline: true,
  args: [{ name: 'username', help: 'the login (any role)' }],
  details: `${OFFLINE}\nThe login then signs in with its password alone until it enrols again (if its
role requires two-factor login, it may only enrol). The reset is written to the audit log.
  velopanel admin reset-2fa admin`,
  async run(ctx) {
    const username = ctx.args.username!;
    const done = await withStore(ctx, async (s) => {
      const row = await s.users.rowByUsername(username);
      if (!row) throw new CliError(`no login named '${username}' in ${s.where}`, Exit.NOT_FOUND, 'NOT_FOUND');
      const reset = await new TwoFactorStore(s.knex, s.tables.twoFactor, s.tables.authSettings).remove(row.id);
      // Audited like the admin route, with the CLI as the client.
      await s.knex('core_audit').insert({
        time: new Date().toISOString(),
        user_id: null,
        username: null,
        role: null,
        reseller_id: null,
        method: 'CLI',
        route: 'velopanel admin reset-2fa',
        path: `velopanel admin reset-2fa ${username}`.slice(0, 1024),
        target: `user:${row.id}`,
        status: 200,
        ok: true,
        ip: 'local',
        request_id: randomUUID(),
        plugin: 'core',
      });
      return { id: row.id, username: row.username, was_enabled: reset, store: s.where };
    });
    ctx.out.result(done, () =>
      done.was_enabled
        ? `Two-factor login of '${done.username}' turned off in ${done.store}; it logs in with its password alone until it enrols again.`
        : `'${done.username}' had no two-factor login in ${done.store}; nothing changed.`,
    );
    return Exit.OK;
  },
};
