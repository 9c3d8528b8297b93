import type { Knex } from 'knex';
import type { Role } from '../../sdk/auth.js';
import type { ResellerCaps, UserDirectory } from '../../sdk/plugin.js';
import { errors } from '../errors.js';
import { pageOf, type ListPage } from '../lists/list-page.js';
import type { ListParams, ListSpec } from '../lists/list-query.js';
import { checkNewPassword, hashPassword, isPasswordHash, type ScryptCost } from './passwords.js';
import { insertId, isUniqueViolation, stamp } from './rows.js';

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
  max_accounts: number | null;
  max_domains: number | null;
  created_at: string;
  updated_at: string;
}

/** Table names of the auth module (through the kernel's `table` helper). */
export interface AuthTables {
  users: string;
  revokedTokens: string;
  apiTokens: string;
  resellerPlugins: string;
}

export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;
const SUBJECT = /^[a-z][a-z0-9-]{0,39}:[A-Za-z0-9._-]{1,140}$/;
const ROLES: Role[] = ['admin', 'reseller', 'user'];

function normalise(row: any): UserRow | null {
  return row ? { ...row, disabled: !!row.disabled, reseller_id: row.reseller_id ?? null, token_version: Number(row.token_version) } : null;
}

/**
 * Panel logins in `core_users`. Implements the SDK's {@link UserDirectory}; every change that
 * must end existing sessions bumps `token_version` and tells `onRevoke` (cache purge).
 */
export class UserStore implements UserDirectory {
  constructor(
    private readonly knex: Knex,
    private readonly tables: AuthTables,
    private readonly cost: ScryptCost,
    private readonly onRevoke: (userId: number) => void,
  ) {}

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

  async rowByUsername(username: string): Promise<UserRow | null> {
    return normalise(await this.knex(this.table).where({ username }).first());
  }

  async create(u: { username: string; password?: string; passwordHash?: string; role: Role; resellerId?: number | null; subject?: string | null; email?: string | null; caps?: Partial<ResellerCaps> }, db: Knex = this.knex): Promise<{ id: number }> {
    if (typeof u.username !== 'string' || !USERNAME.test(u.username)) throw errors.validation('username: must be 3–64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
    if (!ROLES.includes(u.role)) throw errors.validation('role: must be admin, reseller or user');
    if (u.subject != null && !SUBJECT.test(u.subject)) throw errors.validation('subject: must look like account:<id>');
    let hash: string;
    if (u.passwordHash !== undefined) {
      if (!isPasswordHash(u.passwordHash)) throw errors.validation('passwordHash: is not a hash made by hashPassword()');
      hash = u.passwordHash;
    } else {
      checkNewPassword(u.password ?? '');
      hash = await this.hashPassword(u.password!);
    }
    const resellerId = u.role === 'reseller' ? null : (u.resellerId ?? null);
    if (resellerId !== null && (await this.byId(resellerId, db))?.role !== 'reseller') throw errors.validation(`resellerId: ${resellerId} is not a reseller`);
    if (await db(this.table).whereRaw('lower(username) = ?', [u.username.toLowerCase()]).first()) throw errors.conflict(`Username '${u.username}' is already taken`);
    const now = stamp();
    try {
      const id = await insertId(db, this.table, {
        username: u.username, password_hash: hash, role: u.role, reseller_id: resellerId, subject: u.subject ?? null, email: u.email ?? null,
        disabled: false, token_version: 0, max_accounts: u.caps?.max_accounts ?? null, max_domains: u.caps?.max_domains ?? null, created_at: now, updated_at: now,
      });
      return { id };
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.conflict(`Username '${u.username}' is already taken`);
      throw e;
    }
  }

  async findByUsername(username: string) {
    const row = await this.rowByUsername(username);
    return row && { id: row.id, username: row.username, role: row.role, resellerId: row.reseller_id, subject: row.subject, disabled: row.disabled };
  }

  async setDisabled(userId: number, disabled: boolean): Promise<void> {
    await this.update(userId, { disabled }, disabled);
  }

  async setPassword(userId: number, password: string): Promise<void> {
    checkNewPassword(password);
    await this.update(userId, { password_hash: await this.hashPassword(password) }, true);
  }

  async remove(userId: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx(this.tables.apiTokens).where({ user_id: userId }).delete();
      await trx(this.tables.resellerPlugins).where({ reseller_id: userId }).delete();
      await trx(this.table).where({ id: userId }).delete();
    });
    this.onRevoke(userId);
  }

  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.cost);
  }

  async resellerCaps(resellerId: number): Promise<ResellerCaps | null> {
    const row = await this.byId(resellerId);
    return row?.role === 'reseller' ? { max_accounts: row.max_accounts, max_domains: row.max_domains } : null;
  }

  /** Change columns; `revoke` also ends every session and token of the login. 404 when unknown. */
  async update(userId: number, patch: Partial<Omit<UserRow, 'id' | 'token_version'>>, revoke = false): Promise<void> {
    const q = this.knex(this.table).where({ id: userId });
    const n = await q.update({ ...patch, updated_at: stamp(), ...(revoke ? { token_version: this.knex.raw('token_version + 1') } : {}) });
    if (!n) throw errors.notFound(`User ${userId} not found`);
    if (revoke) this.onRevoke(userId);
  }
}
