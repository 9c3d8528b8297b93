import type { Migration, PluginDatabase } from '../../sdk/index.js';
import type { PhpMode } from './versions.js';

/** An account's own PHP settings (accounts without a row use the server default). */
export interface PhpAccountSettings {
  account_id: number;
  version: string;
  mode: PhpMode;
  ini: Record<string, string>;
  updated_at: string;
}

interface Row {
  account_id: number;
  version: string;
  mode: string;
  ini: string;
  updated_at: string;
}

/** Tables of the php plugin (prefix `php_`). */
export const migrations: Migration[] = [
  {
    name: '001_php_accounts',
    async up(db, table) {
      await db.schema.createTable(table('accounts'), (t) => {
        t.integer('account_id').primary();
        t.string('version', 8).notNullable();
        t.string('mode', 8).notNullable();
        // JSON object of allow-listed php.ini values (validated again whenever it is rendered).
        t.text('ini').notNullable();
        t.string('updated_at', 19).notNullable();
      });
    },
  },
];

function parseIni(text: string): Record<string, string> {
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  } catch {
    return {};
  }
}

function toSettings(r: Row): PhpAccountSettings {
  return {
    account_id: Number(r.account_id),
    version: r.version,
    mode: r.mode as PhpMode,
    ini: parseIni(r.ini),
    updated_at: r.updated_at,
  };
}

/** Row access of the php plugin. */
export class PhpStore {
  private readonly table: string;

  constructor(private readonly db: PluginDatabase) {
    this.table = db.table('accounts');
  }

  async get(accountId: number): Promise<PhpAccountSettings | null> {
    const r = await this.db.knex<Row>(this.table).where({ account_id: accountId }).first();
    return r ? toSettings(r) : null;
  }

  async all(): Promise<PhpAccountSettings[]> {
    return (await this.db.knex<Row>(this.table).select()).map(toSettings);
  }

  /** Insert or replace the settings of an account (null: back to the server default). */
  async put(accountId: number, s: Pick<PhpAccountSettings, 'version' | 'mode' | 'ini'> | null): Promise<void> {
    await this.db.knex.transaction(async (trx) => {
      await trx(this.table).where({ account_id: accountId }).delete();
      if (!s) return;
      const updated_at = new Date().toISOString().replace('T', ' ').slice(0, 19);
      await trx(this.table).insert({
        account_id: accountId,
        version: s.version,
        mode: s.mode,
        ini: JSON.stringify(s.ini),
        updated_at,
      });
    });
  }
}
