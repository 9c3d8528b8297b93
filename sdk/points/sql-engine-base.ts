import type { Readable, Writable } from 'node:stream';
import { errors, type PanelError } from '../errors.js';
import type { DatabaseCredential, DatabaseCredentialRead } from './database-credentials.js';
import {
  assertDatabaseNames,
  type DatabaseEngine,
  type DatabaseEngineHealth,
  type DatabaseGrant,
  type DatabaseNameLimits,
  type DatabaseStats,
} from './database-engines.js';

/** A database and its user, as the engine methods name them. */
export type DatabaseNames = { database: string; user: string };

/** What a half-made create has made so far, so that the undo removes only that. */
export type MadeSoFar = { database: boolean; user: boolean };

/** The dump and restore tools of a SQL engine (they run the server's own client programs). */
export interface SqlEngineTools {
  /** Stream a plain SQL dump of `database`; `label` names the engine in errors. */
  dump(label: string, database: string, into: Writable): Promise<void>;
  /** Load a dump into an existing database with that database's rights only. */
  restore(label: string, names: DatabaseNames, from: Readable): Promise<void>;
}

/**
 * The shared shape of a SQL {@link DatabaseEngine} (first-party: MySQL/MariaDB and PostgreSQL):
 * every name is checked against {@link DatabaseNameLimits} before it meets SQL, every driver error
 * becomes a catalogue error naming the engine ({@link SqlEngineBase.fail}), a failed create is
 * undone, dumps and restores go to the engine's tools. A subclass writes only its SQL.
 *
 * @example
 * ```ts
 * class MyEngine extends SqlEngineBase {
 *   protected fail(e: unknown, secrets?: string[]) { return engineError(e, this.label, codes, secrets); }
 *   // …version, make, stats, existing, dropNames, undo, the credential methods
 * }
 * ```
 */
export abstract class SqlEngineBase implements DatabaseEngine {
  readonly clientHost: string;
  /** How errors name the engine, e.g. `MariaDB (mariadb)`. */
  protected readonly label: string;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly limits: DatabaseNameLimits,
    private readonly admin: { config: { client_host: string }; close(): Promise<void> },
    private readonly tools: SqlEngineTools,
  ) {
    this.clientHost = admin.config.client_host;
    this.label = `${name} (${id})`;
  }

  /** Map a driver error to a catalogue error naming the engine, scrubbing `secrets`. */
  protected abstract fail(e: unknown, secrets?: string[]): PanelError;
  /** The server's version string (throws when the server cannot be reached). */
  protected abstract version(): Promise<string>;
  /** Create the database and its user (names checked), marking in `made` what exists so far. */
  protected abstract make(grant: DatabaseGrant, made: MadeSoFar): Promise<void>;
  /** Remove what a failed {@link make} marked as made; never throws. */
  protected abstract undo(made: MadeSoFar, names: DatabaseNames): Promise<void>;
  /** Stats of those of `databases` that exist (a non-empty, checked list). */
  protected abstract stats(databases: string[]): Promise<DatabaseStats[]>;
  /** Whether the database and the user exist. */
  protected abstract existing(names: DatabaseNames): Promise<{ database: boolean; user: boolean }>;
  /** Drop the database and its user, ending the user's sessions. */
  protected abstract dropNames(names: DatabaseNames): Promise<void>;
  /** The user's carried verifier. */
  protected abstract readVerifier(user: string): Promise<DatabaseCredentialRead>;
  /** Store a checked verifier as the user's login. */
  protected abstract storeVerifier(user: string, credential: DatabaseCredential): Promise<void>;
  abstract checkCredential(credential: DatabaseCredential): void;

  async health(): Promise<DatabaseEngineHealth> {
    try {
      return { available: true, version: await this.version() };
    } catch (e) {
      const err = this.fail(e);
      return { available: false, version: null, error: err.message, detail: err.adminDetail };
    }
  }

  async create(grant: DatabaseGrant): Promise<void> {
    const { database, user, password } = grant;
    this.check({ database, user });
    const made = { database: false, user: false };
    try {
      await this.make(grant, made);
    } catch (e) {
      await this.undo(made, { database, user });
      throw this.fail(e, [password]);
    }
  }

  /** For {@link make}: refuse with a 409 when the database or the user already exists. */
  protected refuseTaken(taken: { database: boolean; user: boolean }, names: DatabaseNames): void {
    if (taken.database) throw errors.conflict(`Database ${names.database} already exists on ${this.label}`);
    if (taken.user) throw errors.conflict(`User ${names.user} already exists on ${this.label}`);
  }

  async list(databases: string[]): Promise<DatabaseStats[]> {
    if (databases.length === 0) return [];
    databases.forEach((d) => this.check({ database: d }));
    return this.failing(() => this.stats(databases));
  }

  async exists(names: DatabaseNames): Promise<{ database: boolean; user: boolean }> {
    this.check(names);
    return this.failing(() => this.existing(names));
  }

  async drop(names: DatabaseNames): Promise<void> {
    this.check(names);
    await this.failing(() => this.dropNames(names));
  }

  dump(database: string, into: Writable): Promise<void> {
    this.check({ database });
    return this.tools.dump(this.label, database, into);
  }

  restore(names: DatabaseNames, from: Readable): Promise<void> {
    this.check(names);
    return this.tools.restore(this.label, names, from);
  }

  async readCredential(user: string): Promise<DatabaseCredentialRead> {
    this.check({ user });
    return this.failing(() => this.readVerifier(user));
  }

  async applyCredential(user: string, credential: DatabaseCredential): Promise<void> {
    this.check({ user });
    await this.failing(() => this.storeVerifier(user, credential), [credential.hash]);
  }

  /** Close the admin pool (it reopens on next use). */
  close(): Promise<void> {
    return this.admin.close();
  }

  protected check(names: { database?: string; user?: string }): void {
    assertDatabaseNames(names, this.limits);
  }

  private async failing<T>(work: () => Promise<T>, secrets?: string[]): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw this.fail(e, secrets);
    }
  }
}
