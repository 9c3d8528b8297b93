import type { DnsRecordType, Migration, PluginDatabase } from '../../sdk/index.js';

/** A zone the panel made for a domain (primary, addon, or an alias outside every zone). */
export interface ZoneRow {
  zone: string;
  domain_id: number;
  account_id: number;
  created_at: string;
}

/**
 * An RRset the panel created for a domain inside a zone it does not own (a subdomain's A in its
 * parent's zone); removing the domain removes exactly these, nothing the user added beside them.
 */
export interface OwnedRow {
  domain_id: number;
  zone: string;
  name: string;
  type: DnsRecordType;
}

/** Migrations of the dns plugin. */
export const migrations: Migration[] = [
  {
    name: '001_create_zones',
    async up(db, table) {
      await db.schema.createTable(table('zones'), (t) => {
        t.string('zone', 253).primary();
        t.integer('domain_id').notNullable().unique();
        t.integer('account_id').notNullable().index();
        t.string('created_at', 32).notNullable();
      });
      await db.schema.createTable(table('owned_rrsets'), (t) => {
        t.integer('domain_id').notNullable().index();
        t.string('zone', 253).notNullable();
        t.string('name', 253).notNullable();
        t.string('type', 8).notNullable();
        t.primary(['zone', 'name', 'type']);
      });
    },
  },
];

/** Table access for zones and the RRsets domains own in other zones. */
export class DnsStore {
  private readonly zonesT: string;
  private readonly ownedT: string;

  constructor(private readonly db: PluginDatabase) {
    this.zonesT = db.table('zones');
    this.ownedT = db.table('owned_rrsets');
  }

  zones(accountIds: number[] | null = null): Promise<ZoneRow[]> {
    const q = this.db.knex(this.zonesT).orderBy('zone');
    return accountIds === null ? q : q.whereIn('account_id', accountIds);
  }

  async zone(name: string): Promise<ZoneRow | null> {
    return (await this.db.knex(this.zonesT).where({ zone: name }).first()) ?? null;
  }

  async zoneOfDomain(domainId: number): Promise<ZoneRow | null> {
    return (await this.db.knex(this.zonesT).where({ domain_id: domainId }).first()) ?? null;
  }

  /** The longest zone that contains `name` (the name itself included), or null. */
  async containing(name: string): Promise<ZoneRow | null> {
    const labels = name.split('.');
    const candidates = labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
    const rows: ZoneRow[] = await this.db.knex(this.zonesT).whereIn('zone', candidates);
    return rows.sort((a, b) => b.zone.length - a.zone.length)[0] ?? null;
  }

  async addZone(row: Omit<ZoneRow, 'created_at'>): Promise<void> {
    await this.db
      .knex(this.zonesT)
      .insert({ ...row, created_at: new Date().toISOString() })
      .onConflict('zone')
      .ignore();
  }

  async removeZone(name: string): Promise<void> {
    await this.db.knex.transaction(async (trx) => {
      await trx(this.zonesT).where({ zone: name }).delete();
      await trx(this.ownedT).where({ zone: name }).delete();
    });
  }

  owned(domainId: number | null = null): Promise<OwnedRow[]> {
    const q = this.db.knex(this.ownedT).orderBy(['zone', 'name', 'type']);
    return domainId === null ? q : q.where({ domain_id: domainId });
  }

  async addOwned(rows: OwnedRow[]): Promise<void> {
    if (rows.length) await this.db.knex(this.ownedT).insert(rows).onConflict(['zone', 'name', 'type']).ignore();
  }

  async removeOwnedRows(rows: OwnedRow[]): Promise<void> {
    for (const r of rows) await this.db.knex(this.ownedT).where({ zone: r.zone, name: r.name, type: r.type }).delete();
  }
}
