import type { Knex, Migration, PluginDatabase } from '../../../sdk/index.js';

/** Where a certificate came from. */
export type CertificateSource = 'acme' | 'custom';

/** One row per domain holding a certificate: which version serves, and how renewal went. */
export interface CertificateRow {
  domain: string;
  account_id: number;
  source: CertificateSource;
  version: string;
  not_after: string;
  /** Webroot given at provisioning (renewals reuse it); null: the domain's document root. */
  webroot: string | null;
  /** How ACME proved the names (renewals use the same): `http-01`, `dns-01`, or null (first that fits). */
  challenge: 'http-01' | 'dns-01' | null;
  /** The certificate also covers `*.<domain>` (proven by DNS-01). */
  wildcard: boolean;
  /** Outcome of the last provision/renewal attempt: `ok` or `failed`. */
  last_status: 'ok' | 'failed' | null;
  last_error: string | null;
  last_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Migrations of the ssl plugin. */
export const migrations: Migration[] = [
  {
    name: '001_create_certificates',
    async up(db, table) {
      await db.schema.createTable(table('certificates'), (t) => {
        t.string('domain', 253).primary();
        t.integer('account_id').notNullable().index();
        t.string('source', 16).notNullable();
        t.string('version', 64).notNullable();
        t.string('not_after', 32).notNullable();
        t.string('webroot', 1024).nullable();
        t.string('last_status', 16).nullable();
        t.text('last_error').nullable();
        t.string('last_attempt_at', 32).nullable();
        t.string('created_at', 32).notNullable();
        t.string('updated_at', 32).notNullable();
      });
    },
  },
  {
    name: '002_challenge_and_wildcard',
    async up(db, table) {
      await db.schema.alterTable(table('certificates'), (t) => {
        t.string('challenge', 16).nullable();
        t.boolean('wildcard').notNullable().defaultTo(false);
      });
    },
  },
];

/** Table access for certificate rows. */
export class CertificateRows {
  private readonly name: string;

  constructor(private readonly db: PluginDatabase) {
    this.name = db.table('certificates');
  }

  private q(trx?: Knex.Transaction) {
    return (trx ?? this.db.knex)(this.name);
  }

  async get(domain: string): Promise<CertificateRow | null> {
    const row = await this.q().where({ domain }).first();
    return row ? { ...row, wildcard: Boolean(row.wildcard) } : null;
  }

  async list(accountIds: number[] | null): Promise<CertificateRow[]> {
    const q = this.q().orderBy('domain');
    return accountIds === null ? q : q.whereIn('account_id', accountIds);
  }

  /** Insert or replace the serving version of a domain, marking the attempt successful. */
  async put(
    row: Pick<
      CertificateRow,
      'domain' | 'account_id' | 'source' | 'version' | 'not_after' | 'webroot' | 'challenge' | 'wildcard'
    >,
  ): Promise<void> {
    const now = new Date().toISOString();
    const values = { ...row, last_status: 'ok', last_error: null, last_attempt_at: now, updated_at: now };
    const updated = await this.q().where({ domain: row.domain }).update(values);
    if (!updated) await this.q().insert({ ...values, created_at: now });
  }

  /** Put a previous row back exactly (rollback), or delete when there was none. */
  async restore(domain: string, previous: CertificateRow | null): Promise<void> {
    await this.db.knex.transaction(async (trx) => {
      await this.q(trx).where({ domain }).delete();
      if (previous) await this.q(trx).insert(previous);
    });
  }

  /** Record a failed attempt on an existing row (the serving version stays). */
  async failed(domain: string, error: string): Promise<void> {
    await this.q()
      .where({ domain })
      .update({ last_status: 'failed', last_error: error.slice(0, 2000), last_attempt_at: new Date().toISOString() });
  }

  async remove(domain: string): Promise<void> {
    await this.q().where({ domain }).delete();
  }
}
