import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { errors, type ExecService } from '../../sdk/index.js';
import { accounts, createUsers, grantTarget } from './grants.js';
import { withOptionFile, type ToolLogin } from './option-file.js';
import { mysqlError, type MysqlServer } from './server.js';

/** Dumps and restores can take long; they still end. */
const TOOL_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/**
 * Streams dumps and restores through `mariadb-dump`/`mysqldump` and `mariadb`/`mysql`. Logins go
 * through a 0600 option file, never argv. A restore logs in as a throwaway user granted the one
 * database, and the client runs with its own commands (`\!`, `source`, …) switched off, so a
 * hostile dump can reach neither other databases nor the panel's shell. The price: a view,
 * trigger or routine whose DEFINER is another user (such as the database's own user) needs
 * SET USER, which the throwaway user lacks — such a restore fails cleanly instead.
 */
export class MysqlTools {
  private readonly found = new Map<string, Promise<{ path: string; sandbox: boolean }>>();

  constructor(private readonly exec: ExecService, private readonly server: MysqlServer) {}

  async dump(label: string, database: string, into: Writable): Promise<void> {
    const tool = await this.program(label, ['mariadb-dump', 'mysqldump']);
    const login = this.login(this.server.config.user, this.adminPassword(label));
    await withOptionFile(login, (file) => this.exec.stream(tool.path, [
      `--defaults-file=${file}`, '--single-transaction', '--quick', '--routines', '--triggers', '--hex-blob',
      '--no-tablespaces', '--default-character-set=utf8mb4', '--', database,
    ], { stdout: into, timeoutMs: TOOL_TIMEOUT_MS, secrets: [login.password] }));
  }

  async restore(label: string, database: string, from: Readable): Promise<void> {
    const tool = await this.program(label, ['mariadb', 'mysql']);
    const user = `vprestore_${randomBytes(6).toString('hex')}`;
    const password = randomBytes(24).toString('base64url');
    await this.admin(label, async (q) => {
      await q(createUsers(user, password));
      await q(`GRANT ALL PRIVILEGES ON ${grantTarget(database)} TO ${accounts(user)}`);
    });
    try {
      const args = ['--binary-mode', ...(tool.sandbox ? ['--sandbox'] : []), '--batch', '--default-character-set=utf8mb4', '--', database];
      await withOptionFile(this.login(user, password), (file) => this.exec.stream(tool.path, [`--defaults-file=${file}`, ...args], {
        stdin: from, timeoutMs: TOOL_TIMEOUT_MS, secrets: [password],
      }));
    } finally {
      await this.admin(label, (q) => q(`DROP USER IF EXISTS ${accounts(user)}`).then(() => undefined));
    }
  }

  private login(user: string, password: string): ToolLogin {
    const c = this.server.config;
    return { user, password, socket: c.socket, host: c.host, port: c.port };
  }

  private adminPassword(label: string): string {
    try {
      return this.server.password();
    } catch (e) {
      throw mysqlError(e, label);
    }
  }

  private async admin(label: string, work: (q: (sql: string) => Promise<unknown>) => Promise<void>): Promise<void> {
    try {
      await this.server.withConnection((c) => work((sql) => c.query(sql)));
    } catch (e) {
      throw mysqlError(e, label);
    }
  }

  /** The first installed tool of `names`, and whether its client knows `--sandbox`. */
  private program(label: string, names: string[]): Promise<{ path: string; sandbox: boolean }> {
    const key = names.join(',');
    let found = this.found.get(key);
    if (!found) {
      found = (async () => {
        for (const name of names) {
          const path = await this.exec.which(name);
          if (!path) continue;
          const help = await this.exec.run(path, ['--no-defaults', '--help'], { allowFailure: true, timeoutMs: 10_000 });
          return { path, sandbox: /^\s*--sandbox\b/m.test(help.stdout) };
        }
        throw errors.unavailable(`${label}: none of ${names.join(', ')} is installed`);
      })();
      found.catch(() => this.found.delete(key));
      this.found.set(key, found);
    }
    return found;
  }
}
