import { errors, type Migration, type PluginDatabase } from '../../sdk/index.js';
import type { ShellKind } from './config.js';

/** A stored SSH public key (the line written to authorized_keys is `type key comment`). */
export interface SshKeyRow {
  id: number;
  account_id: number;
  type: string;
  bits: number;
  fingerprint: string;
  comment: string;
  public_key: string;
  created_at: string;
}

/** A stored cron job. */
export interface CronJobRow {
  id: number;
  account_id: number;
  schedule: string;
  command: string;
  enabled: boolean;
  email: string | null;
  created_at: string;
  updated_at: string;
}

/** Tables of the access plugin (prefix `access_`). */
export const migrations: Migration[] = [
  {
    name: '001_access_tables',
    async up(db, table) {
      await db.schema.createTable(table('ssh_keys'), (t) => {
        t.increments('id');
        t.integer('account_id').notNullable().index();
        t.string('type', 64).notNullable();
        t.integer('bits').notNullable();
        t.string('fingerprint', 100).notNullable();
        t.string('comment', 200).notNullable();
        t.text('public_key').notNullable();
        t.string('created_at', 19).notNullable();
      });
      await db.schema.createTable(table('cron_jobs'), (t) => {
        t.increments('id');
        t.integer('account_id').notNullable().index();
        t.string('schedule', 100).notNullable();
        t.text('command').notNullable();
        t.boolean('enabled').notNullable();
        t.string('email', 254).nullable();
        t.string('created_at', 19).notNullable();
        t.string('updated_at', 19).notNullable();
      });
      // Only accounts an admin set; the others follow their plan.
      await db.schema.createTable(table('shells'), (t) => {
        t.integer('account_id').primary();
        t.string('shell', 16).notNullable();
      });
    },
  },
];

const now = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
const keyRow = (r: any): SshKeyRow => ({
  ...r,
  id: Number(r.id),
  account_id: Number(r.account_id),
  bits: Number(r.bits),
});
const cronRow = (r: any): CronJobRow => ({
  ...r,
  id: Number(r.id),
  account_id: Number(r.account_id),
  enabled: Boolean(r.enabled),
  email: r.email ?? null,
});

/** Row access of the access plugin. */
export class AccessStore {
  readonly keys: string;
  readonly cron: string;
  private readonly shellsTable: string;

  constructor(readonly db: PluginDatabase) {
    this.keys = db.table('ssh_keys');
    this.cron = db.table('cron_jobs');
    this.shellsTable = db.table('shells');
  }

  async listKeys(accountId: number): Promise<SshKeyRow[]> {
    return (await this.db.knex(this.keys).where({ account_id: accountId }).orderBy('id')).map(keyRow);
  }

  /** Insert a key unless the account has it already (409) or holds `max` keys (403). */
  async addKey(k: Omit<SshKeyRow, 'id' | 'created_at'>, max: number): Promise<SshKeyRow> {
    return this.db.withLock(`access-keys-${k.account_id}`, async (trx) => {
      const rows = await trx(this.keys).where({ account_id: k.account_id }).select('fingerprint');
      if (rows.some((r: any) => r.fingerprint === k.fingerprint))
        throw errors.conflict(`This key (${k.fingerprint}) is already on the account`);
      if (rows.length >= max) throw errors.limitReached(`SSH key limit reached (${rows.length}/${max})`);
      const row = { ...k, created_at: now() };
      const [id] = await trx(this.keys).insert(row, ['id']);
      return keyRow({ ...row, id: typeof id === 'object' ? id.id : id });
    });
  }

  async removeKey(accountId: number, id: number): Promise<boolean> {
    return (await this.db.knex(this.keys).where({ account_id: accountId, id }).delete()) > 0;
  }

  async listCron(accountId: number): Promise<CronJobRow[]> {
    return (await this.db.knex(this.cron).where({ account_id: accountId }).orderBy('id')).map(cronRow);
  }

  async getCron(accountId: number, id: number): Promise<CronJobRow | null> {
    const r = await this.db.knex(this.cron).where({ account_id: accountId, id }).first();
    return r ? cronRow(r) : null;
  }

  /** Insert a job unless the account holds `max` jobs already (403, the plan's limit). */
  async addCron(
    j: Pick<CronJobRow, 'account_id' | 'schedule' | 'command' | 'enabled' | 'email'>,
    max: number,
  ): Promise<CronJobRow> {
    return this.db.withLock(`access-cron-${j.account_id}`, async (trx) => {
      const n = Number((await trx(this.cron).where({ account_id: j.account_id }).count({ n: '*' }).first())?.n ?? 0);
      if (n >= max) throw errors.limitReached(`Cron job limit of the plan reached (${n}/${max})`);
      const t = now();
      const row = { ...j, created_at: t, updated_at: t };
      const [id] = await trx(this.cron).insert(row, ['id']);
      return cronRow({ ...row, id: typeof id === 'object' ? id.id : id });
    });
  }

  /** Replace a job's editable fields. */
  async putCron(j: CronJobRow): Promise<void> {
    const { schedule, command, enabled, email } = j;
    await this.db
      .knex(this.cron)
      .where({ account_id: j.account_id, id: j.id })
      .update({ schedule, command, enabled, email, updated_at: now() });
  }

  async removeCron(accountId: number, id: number): Promise<boolean> {
    return (await this.db.knex(this.cron).where({ account_id: accountId, id }).delete()) > 0;
  }

  /** The shell an admin set for the account, or null (the plan's). */
  async shell(accountId: number): Promise<ShellKind | null> {
    const r = await this.db.knex(this.shellsTable).where({ account_id: accountId }).first();
    return (r?.shell as ShellKind | undefined) ?? null;
  }

  async shells(): Promise<Map<number, ShellKind>> {
    return new Map(
      (await this.db.knex(this.shellsTable).select()).map((r: any) => [Number(r.account_id), r.shell as ShellKind]),
    );
  }

  async setShell(accountId: number, shell: ShellKind | null): Promise<void> {
    await this.db.knex.transaction(async (trx) => {
      await trx(this.shellsTable).where({ account_id: accountId }).delete();
      if (shell) await trx(this.shellsTable).insert({ account_id: accountId, shell });
    });
  }

  /** Replace everything of an account at once (a restore). */
  async replace(
    accountId: number,
    all: {
      shell: ShellKind | null;
      keys: Omit<SshKeyRow, 'id' | 'created_at'>[];
      cron: Pick<CronJobRow, 'account_id' | 'schedule' | 'command' | 'enabled' | 'email'>[];
    },
  ): Promise<void> {
    const t = now();
    await this.db.knex.transaction(async (trx) => {
      for (const table of [this.keys, this.cron, this.shellsTable])
        await trx(table).where({ account_id: accountId }).delete();
      if (all.shell) await trx(this.shellsTable).insert({ account_id: accountId, shell: all.shell });
      for (const k of all.keys) await trx(this.keys).insert({ ...k, created_at: t });
      for (const j of all.cron) await trx(this.cron).insert({ ...j, created_at: t, updated_at: t });
    });
  }

  /** Every account id that has a row here. */
  async accountIds(): Promise<number[]> {
    const ids = new Set<number>();
    for (const t of [this.keys, this.cron, this.shellsTable])
      for (const r of await this.db.knex(t).distinct('account_id')) ids.add(Number(r.account_id));
    return [...ids];
  }

  /** Forget everything of a deleted account. */
  async forget(accountId: number): Promise<void> {
    for (const t of [this.keys, this.cron, this.shellsTable])
      await this.db.knex(t).where({ account_id: accountId }).delete();
  }
}
