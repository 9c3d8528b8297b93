import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { escapeIdentifier } from './driver.js';
import type { ExecService } from '../../sdk/index.js';
import { psqlHasRestrict, refusePsqlCommands } from './psql-commands.js';
import { restrictedPsqlInput } from './restricted-input.js';
import { passwordLiteral } from './scram.js';
import { pgError, type PgServer } from './server.js';

/** Dumps and restores can take long; they still end. */
const TOOL_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/**
 * Streams dumps through `pg_dump` and restores through `psql`; logins travel in the environment
 * (PGPASSWORD), never argv. A restore logs in as a throwaway role that is a member of the
 * database's owner and runs `SET ROLE <owner>`, so what it creates belongs to the owner and it
 * has no right beyond the owner's; psql runs restricted, so the dump cannot use psql commands —
 * a psql too old for `\restrict` gets the dump only through {@link refusePsqlCommands}, which
 * fails the restore on the first psql command in it.
 */
export class PgTools {
  private restricts: Promise<boolean> | null = null;

  constructor(
    private readonly exec: ExecService,
    private readonly server: PgServer,
  ) {}

  async dump(label: string, database: string, into: Writable): Promise<void> {
    const env = this.env(label, this.server.config.user, this.adminPassword(label), database);
    await this.exec.stream(
      'pg_dump',
      ['--no-owner', '--no-privileges', '--clean', '--if-exists', '--format=plain', '--encoding=UTF8'],
      {
        env,
        stdout: into,
        timeoutMs: TOOL_TIMEOUT_MS,
        secrets: [env.PGPASSWORD!],
      },
    );
  }

  async restore(label: string, names: { database: string; user: string }, from: Readable): Promise<void> {
    const role = `vprestore_${randomBytes(6).toString('hex')}`;
    const password = randomBytes(24).toString('base64url');
    const owner = escapeIdentifier(names.user);
    await this.admin(label, () =>
      this.server.rows(
        `CREATE ROLE ${escapeIdentifier(role)} LOGIN PASSWORD ${passwordLiteral(password)} IN ROLE ${owner}`,
      ),
    );
    try {
      const key = randomBytes(24).toString('hex');
      const preamble = `SET ROLE ${owner};\n`;
      await this.exec.stream('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction'], {
        env: this.env(label, role, password, names.database),
        stdin: (await this.psqlRestricts())
          ? restrictedPsqlInput(from, key, preamble)
          : refusePsqlCommands(from, preamble),
        timeoutMs: TOOL_TIMEOUT_MS,
        secrets: [password],
      });
    } finally {
      // A dump may RESET ROLE and create objects as the throwaway role: hand them to the owner.
      await this.admin(label, () =>
        this.server.onDatabase(names.database, (c) =>
          c.query(`REASSIGN OWNED BY ${escapeIdentifier(role)} TO ${owner}; DROP OWNED BY ${escapeIdentifier(role)}`),
        ),
      ).catch(() => undefined);
      await this.admin(label, () => this.server.rows(`DROP ROLE IF EXISTS ${escapeIdentifier(role)}`));
    }
  }

  /** Whether the installed psql knows `\restrict`, asked once. */
  private psqlRestricts(): Promise<boolean> {
    this.restricts ??= this.exec.run('psql', ['--version'], { allowFailure: true, timeoutMs: 10_000 }).then(
      (r) => psqlHasRestrict(r.stdout),
      () => false,
    );
    return this.restricts;
  }

  /** libpq settings for a tool: where, who, the password, the database; no password file. */
  private env(label: string, user: string, password: string, database: string): Record<string, string> {
    const c = this.server.config;
    return {
      PGHOST: c.host || c.socket,
      PGPORT: String(c.port),
      PGUSER: user,
      PGPASSWORD: password,
      PGDATABASE: database,
      PGPASSFILE: '/dev/null',
      PGCONNECT_TIMEOUT: '10',
      PGAPPNAME: `velopanel ${label}`.slice(0, 60),
    };
  }

  private adminPassword(label: string): string {
    try {
      return this.server.password();
    } catch (e) {
      throw pgError(e, label);
    }
  }

  private async admin<R>(label: string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (e) {
      throw pgError(e, label);
    }
  }
}
