import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { errors, type ExecService } from '../../sdk/index.js';
import { refuseClientCommands } from './client-commands.js';
import { withoutDefiners } from './definer-filter.js';
import { accounts, createUsers, grantTarget } from './grants.js';
import { withOptionFile, type ToolLogin } from './option-file.js';
import { borrowLogin } from './restore-login.js';
import { mysqlError, type MysqlServer } from './server.js';

/** Dumps and restores can take long; they still end. */
const TOOL_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/**
 * Streams dumps and restores through `mariadb-dump`/`mysqldump` and `mariadb`/`mysql`. Logins go
 * through a 0600 option file, never argv. A restore logs in with the rights of the one database
 * only (its own user, else a throwaway user granted that database), and the client runs with its
 * own commands (`\!`, `source`, …) switched off, so a hostile dump can reach neither other
 * databases nor the panel's shell.
 */
export class MysqlTools {
  private readonly found = new Map<string, Promise<{ path: string; sandbox: boolean }>>();

  constructor(
    private readonly exec: ExecService,
    private readonly server: MysqlServer,
  ) {}

  async dump(label: string, database: string, into: Writable): Promise<void> {
    const tool = await this.program(label, ['mariadb-dump', 'mysqldump']);
    const login = this.login(this.server.config.user, this.adminPassword(label));
    await withOptionFile(login, (file) =>
      this.exec.stream(
        tool.path,
        [
          `--defaults-file=${file}`,
          '--single-transaction',
          '--quick',
          '--routines',
          '--triggers',
          '--hex-blob',
          '--no-tablespaces',
          '--default-character-set=utf8mb4',
          '--',
          database,
        ],
        { stdout: into, timeoutMs: TOOL_TIMEOUT_MS, secrets: [login.password] },
      ),
    );
  }

  /**
   * Load a dump into `names.database` as its own user (see {@link borrowLogin}), with DEFINER
   * clauses removed so every object comes back defined by that user. Where the server cannot lend
   * that login, a throwaway user granted the one database loads the dump as it is.
   */
  async restore(label: string, names: { database: string; user: string }, from: Readable): Promise<void> {
    const tool = await this.program(label, ['mariadb', 'mysql']);
    const borrowed = await this.admin(label, () => borrowLogin(this.server, names.user));
    if (!borrowed) return this.restoreAsThrowaway(label, tool, names.database, from);
    let loaded = false;
    try {
      await this.load(tool, names.database, this.login(borrowed.user, borrowed.password), withoutDefiners(from));
      loaded = true;
    } finally {
      // The user's own password worked throughout; a failed hand-back leaves an unknown second one.
      const back = this.admin(label, () => borrowed.release());
      if (loaded) await back;
      else await back.catch(() => undefined);
    }
  }

  private async restoreAsThrowaway(
    label: string,
    tool: { path: string; sandbox: boolean },
    database: string,
    from: Readable,
  ): Promise<void> {
    const user = `vprestore_${randomBytes(6).toString('hex')}`;
    const password = randomBytes(24).toString('base64url');
    await this.admin(label, async () => {
      await this.server.rows(createUsers(user, password));
      await this.server.rows(`GRANT ALL PRIVILEGES ON ${grantTarget(database)} TO ${accounts(user)}`);
    });
    try {
      await this.load(tool, database, this.login(user, password), from);
    } finally {
      await this.admin(label, () => this.server.rows(`DROP USER IF EXISTS ${accounts(user)}`));
    }
  }

  /**
   * Run the client on `database` with its own commands off, reading SQL from `from`:
   * `--binary-mode` turns most of them off, `--sandbox` the rest; a client without `--sandbox`
   * gets the dump only through {@link refuseClientCommands}, which fails the restore on the
   * first command it finds.
   */
  private async load(
    tool: { path: string; sandbox: boolean },
    database: string,
    login: ToolLogin,
    from: Readable,
  ): Promise<void> {
    const args = [
      '--binary-mode',
      ...(tool.sandbox ? ['--sandbox'] : []),
      '--batch',
      '--default-character-set=utf8mb4',
      '--',
      database,
    ];
    await withOptionFile(login, (file) =>
      this.exec.stream(tool.path, [`--defaults-file=${file}`, ...args], {
        stdin: tool.sandbox ? from : refuseClientCommands(from),
        timeoutMs: TOOL_TIMEOUT_MS,
        secrets: [login.password],
      }),
    );
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

  private async admin<R>(label: string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
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
          const help = await this.exec.run(path, ['--no-defaults', '--help'], {
            allowFailure: true,
            timeoutMs: 10_000,
          });
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
