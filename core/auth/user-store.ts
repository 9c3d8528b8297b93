import type { Knex } from 'knex';
import type { Role } from '../../sdk/auth.js';
import type { OpenedSession, ResellerCaps, UserDirectory } from '../../sdk/plugin.js';
import type { ApiRequest } from '../../sdk/routes.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '../errors.js';
import { pageOf, type ListPage } from '../lists/list-page.js';
import type { ListParams, ListSpec } from '../lists/list-query.js';
import type { LoginThrottle } from './login-throttle.js';
import {
  checkNewPassword,
  hashPassword,
  isPasswordHash,
  needsRehash,
  verifyPassword,
  type HashCost,
} from './passwords.js';
import { caseClashes } from './unique-names.js';
import { insertId, isUniqueViolation, loweredName, lowerUsername, stamp } from './rows.js';

/** A row of `core_users` (booleans normalised). */
export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  reseller_id: number | null;
  subject: string | null;
  email: string | null;
  disabled: boolean;
  token_version: number;
  created_at: string;
  updated_at: string;
}

/** Table names of the auth module (through the kernel's `table` helper). */
export interface AuthTables {
  users: string;
  revokedTokens: string;
  apiTokens: string;
  resellerPlugins: string;
  twoFactor: string;
  authSettings: string;
}

/** What a password change ended: every session, and this many API tokens. */
export interface PasswordChanged {
  sessions_ended: true;
  api_tokens_revoked: number;
}

export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;
const SUBJECT = /^[a-z][a-z0-9-]{0,39}:[A-Za-z0-9._-]{1,140}$/;
const ROLES: Role[] = ['admin', 'reseller', 'user'];

function normalise(row: any): UserRow | null {
  return row
    ? {
        ...row,
        disabled: !!row.disabled,
        reseller_id: row.reseller_id ?? null,
        token_version: Number(row.token_version),
      }
    : null;
}

/**
 * Panel logins in `core_users`. Implements the SDK's {@link UserDirectory}; every change that
 * must end existing sessions bumps `token_version` and tells `onRevoke` (cache purge).
 */
export class UserStore implements UserDirectory {
  constructor(
    private readonly knex: Knex,
    private readonly tables: AuthTables,
    private readonly cost: HashCost,
    private readonly onRevoke: (userId: number) => void,
    /** The login throttle of the running panel (none offline, in the CLI). */
    private readonly throttle: LoginThrottle | null = null,
    /** Reads the caps plugins offer on a reseller (none offline, in the CLI). */
    private readonly capsOf: ((resellerId: number) => Promise<ResellerCaps>) | null = null,
  ) {}

  /** Set by the auth module at start: login names that differ only in letter case (see unique-names.ts). */
  clashes: string[][] = [];

  /** Login names that differ only in letter case, as the store holds them now (admins resolve them). */
  async nameClashes(): Promise<string[][]> {
    if (this.clashes.length) this.clashes = await caseClashes(this.knex, this.table);
    return this.clashes;
  }

  /** Set by the auth module: the subject shapes the plugins name (see `loginWords`), for the message. */
  subjectShape: () => string = () => '<kind>:<id>';

  /** Set by the auth module: issues "open as" sessions (see {@link UserDirectory.openSessionAs}). */
  sessionOpener: ((req: ApiRequest, userId: number) => Promise<OpenedSession>) | null = null;

  openSessionAs(req: ApiRequest, userId: number): Promise<OpenedSession> {
    if (!this.sessionOpener) throw errors.unavailable('Sessions cannot be opened in this process');
    return this.sessionOpener(req, userId);
  }

  private get table(): string {
    return this.tables.users;
  }

  async byId(id: number, db: Knex = this.knex): Promise<UserRow | null> {
    return normalise(await db(this.table).where({ id }).first());
  }

  async listByRole(role: Role): Promise<UserRow[]> {
    return (await this.knex(this.table).where({ role }).orderBy('id')).map((r: any) => normalise(r)!);
  }

  /** One page of the users of a role (only they are counted). */
  async pageByRole(role: Role, spec: ListSpec, params: ListParams): Promise<ListPage<UserRow>> {
    return (await pageOf(this.knex(this.table).where({ role }), spec, params)).map((r: any) => normalise(r)!);
  }

  /**
   * The login of a name in any letter case, on every store alike (MariaDB's collation alone would
   * match `Admin` to `admin`, SQLite and PostgreSQL would not). Names are unique case-insensitively;
   * on a store still holding names that differ only in case (reported at start), only the exact
   * name finds one of them.
   */
  async rowByUsername(username: string): Promise<UserRow | null> {
    const rows = await this.knex(this.table).whereRaw(`${lowerUsername(this.knex)} = ?`, [loweredName(username)]);
    return normalise(rows.length > 1 ? rows.find((r: UserRow) => r.username === username) : rows[0]);
  }

  async create(
    u: {
      username: string;
      password?: string;
      passwordHash?: string;
      role: Role;
      resellerId?: number | null;
      subject?: string | null;
      email?: string | null;
    },
    db: Knex = this.knex,
  ): Promise<{ id: number }> {
    if (typeof u.username !== 'string' || !USERNAME.test(u.username))
      throw errors.validation(
        'username: must be 3–64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
      );
    if (!ROLES.includes(u.role)) throw errors.validation('role: must be admin, reseller or user');
    if (u.subject != null && !SUBJECT.test(u.subject))
      throw errors.validation(`subject: must look like ${this.subjectShape()}`);
    let hash: string;
    if (u.passwordHash !== undefined) {
      if (!isPasswordHash(u.passwordHash))
        throw errors.validation('passwordHash: is not a hash made by hashPassword()');
      hash = u.passwordHash;
    } else {
      checkNewPassword(u.password ?? '');
      hash = await this.hashPassword(u.password!);
    }
    const resellerId = u.role === 'reseller' ? null : (u.resellerId ?? null);
    if (resellerId !== null && (await this.byId(resellerId, db))?.role !== 'reseller')
      throw errors.validation(`resellerId: ${resellerId} is not a reseller`);
    const taken = await db(this.table)
      .whereRaw(`${lowerUsername(db)} = ?`, [loweredName(u.username)])
      .first();
    if (taken) throw errors.conflict(`Username '${u.username}' is already taken`);
    const now = stamp();
    try {
      const id = await insertId(db, this.table, {
        username: u.username,
        password_hash: hash,
        role: u.role,
        reseller_id: resellerId,
        subject: u.subject ?? null,
        email: u.email ?? null,
        disabled: false,
        token_version: 0,
        created_at: now,
        updated_at: now,
      });
      return { id };
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.conflict(`Username '${u.username}' is already taken`);
      throw e;
    }
  }

  async findByUsername(username: string) {
    const row = await this.rowByUsername(username);
    return (
      row && {
        id: row.id,
        username: row.username,
        role: row.role,
        resellerId: row.reseller_id,
        subject: row.subject,
        disabled: row.disabled,
      }
    );
  }

  async setDisabled(userId: number, disabled: boolean): Promise<void> {
    await this.update(userId, { disabled }, disabled);
  }

  async setPassword(userId: number, password: string): Promise<PasswordChanged> {
    checkNewPassword(password);
    return this.setPasswordHash(userId, await this.hashPassword(password));
  }

  /**
   * A login proving its current password before changing it: counted by the login throttle like
   * a login (so a stolen session cannot guess it), 400 `<field>: is incorrect` when wrong.
   */
  async checkPassword(userId: number, password: string, clientIp: string, field = 'current_password'): Promise<void> {
    const user = await this.byId(userId);
    if (!user) throw errors.notFound(`User ${userId} not found`);
    const delay = this.throttle?.begin(clientIp, user.username) ?? 0;
    if (delay) await sleep(delay);
    if (!(await verifyPassword(password, user.password_hash))) throw errors.validation(`${field}: is incorrect`);
    this.throttle?.succeed(clientIp, user.username);
  }

  /**
   * Store a new password hash and end everything the old password opened: every session (the
   * token version moves on) and every API token (deleted, in the same transaction, so a token
   * made with a stolen session does not outlive the password change). 404 when unknown.
   */
  async setPasswordHash(
    userId: number,
    passwordHash: string,
    extra: Partial<Omit<UserRow, 'id' | 'token_version' | 'password_hash'>> = {},
  ): Promise<PasswordChanged> {
    const revoked = await this.knex.transaction(async (trx) => {
      const n = await trx(this.table)
        .where({ id: userId })
        .update({
          ...extra,
          password_hash: passwordHash,
          updated_at: stamp(),
          token_version: trx.raw('token_version + 1'),
        });
      if (!n) throw errors.notFound(`User ${userId} not found`);
      return trx(this.tables.apiTokens).where({ user_id: userId }).delete();
    });
    this.onRevoke(userId);
    return { sessions_ended: true, api_tokens_revoked: Number(revoked) };
  }

  /**
   * After a login proved `password` against `user`'s stored hash: replace a hash made another way
   * (an older panel's scrypt, another Argon2id cost) with one at this panel's cost. The password
   * is the same, so sessions and API tokens stay; only a hash still as read is replaced, so a
   * password change racing this login wins. Whether it was replaced.
   */
  async upgradeHash(user: Pick<UserRow, 'id' | 'password_hash'>, password: string): Promise<boolean> {
    if (!needsRehash(user.password_hash, this.cost)) return false;
    const hash = await this.hashPassword(password);
    const n = await this.knex(this.table)
      .where({ id: user.id, password_hash: user.password_hash })
      .update({ password_hash: hash, updated_at: stamp() });
    return n > 0;
  }

  async remove(userId: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx(this.tables.apiTokens).where({ user_id: userId }).delete();
      await trx(this.tables.resellerPlugins).where({ reseller_id: userId }).delete();
      await trx(this.tables.twoFactor).where({ user_id: userId }).delete();
      await trx(this.table).where({ id: userId }).delete();
    });
    this.onRevoke(userId);
  }

  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.cost);
  }

  async resellerCaps(resellerId: number): Promise<ResellerCaps | null> {
    if ((await this.byId(resellerId))?.role !== 'reseller') return null;
    return this.capsOf ? this.capsOf(resellerId) : {};
  }

  /**
   * Change columns; `revoke` also ends every session of the login (API tokens stop with a
   * disabled login; a password goes through {@link setPasswordHash}, which deletes them). 404 when unknown.
   */
  async update(userId: number, patch: Partial<Omit<UserRow, 'id' | 'token_version'>>, revoke = false): Promise<void> {
    const q = this.knex(this.table).where({ id: userId });
    const n = await q.update({
      ...patch,
      updated_at: stamp(),
      ...(revoke ? { token_version: this.knex.raw('token_version + 1') } : {}),
    });
    if (!n) throw errors.notFound(`User ${userId} not found`);
    if (revoke) this.onRevoke(userId);
  }
}
