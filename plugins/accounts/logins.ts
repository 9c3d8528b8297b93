import type { Logger, PluginContext, UserDirectory } from '../../sdk/index.js';

/**
 * The account's own panel login (`role: 'user'`, `subject: 'account:<id>'`). The user directory
 * comes from the kernel's auth module; while a panel runs without one, accounts are created
 * without a login and a warning says so.
 */
export interface PanelLogins {
  create(user: {
    username: string;
    password: string;
    subject: string;
    resellerId: number | null;
  }): Promise<number | null>;
  setDisabled(userId: number | null, disabled: boolean): Promise<void>;
  /** Set the login's password; the user directory ends its sessions and deletes its API tokens (counted). */
  setPassword(userId: number | null, password: string): Promise<{ api_tokens_revoked: number }>;
  /** A login changing its own password proves the current one (400 `current_password: is incorrect`). */
  checkPassword(userId: number, password: string, clientIp: string): Promise<void>;
  remove(userId: number | null): Promise<void>;
  /** Remove a login left behind by an interrupted create (matched by username and subject). */
  removeStale(username: string, subject: string): Promise<boolean>;
}

export function panelLogins(ctx: PluginContext, logger: Logger): PanelLogins {
  let warned = false;
  const directory = (): UserDirectory | null => {
    try {
      return ctx.users;
    } catch {
      if (!warned) logger.warn('no user directory in this panel: accounts get no panel login');
      warned = true;
      return null;
    }
  };
  return {
    async create(u) {
      const users = directory();
      if (!users) return null;
      const { id } = await users.create({
        username: u.username,
        password: u.password,
        role: 'user',
        subject: u.subject,
        resellerId: u.resellerId,
      });
      return id;
    },
    async setDisabled(userId, disabled) {
      const users = directory();
      if (users && userId !== null) await users.setDisabled(userId, disabled);
    },
    async setPassword(userId, password) {
      const users = directory();
      if (!users || userId === null) return { api_tokens_revoked: 0 };
      return { api_tokens_revoked: (await users.setPassword(userId, password)).api_tokens_revoked };
    },
    async checkPassword(userId, password, clientIp) {
      await directory()?.checkPassword(userId, password, clientIp);
    },
    async remove(userId) {
      const users = directory();
      if (users && userId !== null) await users.remove(userId);
    },
    async removeStale(username, subject) {
      const users = directory();
      const found = users ? await users.findByUsername(username) : null;
      if (!users || !found || found.subject !== subject) return false;
      await users.remove(found.id);
      return true;
    },
  };
}
