import { isPanelError, type DnsServerEngine, type DomainInfo, type HookBus, type KeyedLock } from '../../sdk/index.js';
import type { DnsSettings } from './config.js';
import { missingHostRecords, zoneDefaults } from './defaults.js';
import type { DnsStore, OwnedRow, ZoneRow } from './store.js';

/** What {@link ZoneSync.place} did for one domain (reconciliation reports these). */
export type Placement =
  | { kind: 'zone'; zone: string; action: 'created' | 'adopted' | 'present' }
  | { kind: 'records'; zone: string; added: string[] }
  | { kind: 'none'; reason: string };

/** Parts {@link ZoneSync} works with. */
export interface ZoneSyncDeps {
  engine: () => DnsServerEngine;
  store: DnsStore;
  settings: DnsSettings;
  hooks: HookBus;
  locks: KeyedLock;
}

/**
 * Zones follow the panel's domains. A primary or addon domain gets its own zone with the
 * defaults; a subdomain, and an alias inside a zone of the same account, get A/AAAA records in
 * that (longest) zone; an alias outside every zone gets a zone of its own. What was made is
 * recorded, so removing the domain removes exactly that: its zone, or its RRsets and nothing
 * the user added beside them.
 */
export class ZoneSync {
  constructor(private readonly d: ZoneSyncDeps) {}

  /** Where a domain's records belong: its own zone, or an existing zone of its account. */
  async target(domain: DomainInfo): Promise<{ own: true } | { own: false; zone: ZoneRow } | null> {
    if (domain.domain_type === 'primary' || domain.domain_type === 'addon') return { own: true };
    const own = await this.d.store.zoneOfDomain(domain.id);
    if (own) return { own: true };
    const parent = await this.d.store.containing(domain.domain_name);
    if (parent && parent.account_id === domain.account_id) return { own: false, zone: parent };
    return domain.domain_type === 'alias' ? { own: true } : null;
  }

  /** Make (or find) what a domain should have in DNS; idempotent, so reconciliation reuses it. */
  async place(domain: DomainInfo, serverZones?: string[]): Promise<Placement> {
    const where = await this.target(domain);
    if (!where)
      return { kind: 'none', reason: `no zone of account ${domain.account_id} contains ${domain.domain_name}` };
    if (where.own) return this.ensureZone(domain, serverZones);
    return this.d.locks.run(where.zone.zone, async () => {
      const engine = this.d.engine();
      const existing = (await engine.records(where.zone.zone)) ?? [];
      const changes = missingHostRecords(domain.domain_name, existing, this.d.settings);
      if (changes.length) await engine.replaceRRsets(where.zone.zone, changes);
      await this.d.store.addOwned(
        changes.map((c) => ({ domain_id: domain.id, zone: where.zone.zone, name: c.name, type: c.type })),
      );
      return { kind: 'records', zone: where.zone.zone, added: changes.map((c) => `${c.name} ${c.type}`) };
    });
  }

  private async ensureZone(domain: DomainInfo, serverZones?: string[]): Promise<Placement> {
    const zone = domain.domain_name;
    return this.d.locks.run(zone, async () => {
      const engine = this.d.engine();
      const row = await this.d.store.zone(zone);
      const onServer = (serverZones ?? (await engine.listZones())).includes(zone);
      if (row && onServer) return { kind: 'zone', zone, action: 'present' };
      // A zone already on the server (made by hand, or by an earlier run that died) is kept as it is.
      if (!onServer) await engine.createZone(zoneDefaults(zone, this.d.settings));
      await this.d.store.addZone({ zone, domain_id: domain.id, account_id: domain.account_id });
      if (!onServer) await this.d.hooks.runAfter('dns.zone.created', { zone, account_id: domain.account_id, domain });
      return { kind: 'zone', zone, action: onServer ? 'adopted' : 'created' };
    });
  }

  /** Remove what the domain made: its zone, or its RRsets in another zone. Returns what went. */
  async unplace(domainId: number): Promise<string[]> {
    const gone: string[] = [];
    const own = await this.d.store.zoneOfDomain(domainId);
    if (own) {
      await this.d.locks.run(own.zone, async () => {
        await this.d.engine().deleteZone(own.zone);
        await this.d.store.removeZone(own.zone);
      });
      gone.push(`zone ${own.zone}`);
    }
    gone.push(...(await this.dropOwned(await this.d.store.owned(domainId))));
    return gone;
  }

  /** Delete these recorded RRsets from their zones and forget them; returns `<name> <type>` of each. */
  async dropOwned(rows: OwnedRow[]): Promise<string[]> {
    for (const zone of new Set(rows.map((o) => o.zone))) {
      const mine = rows.filter((o) => o.zone === zone);
      const deletes = mine.map((o) => ({ name: o.name, type: o.type, ttl: 60, records: [] }));
      // A zone already gone from the server took these records with it.
      await this.d.locks
        .run(zone, () => this.d.engine().replaceRRsets(zone, deletes))
        .catch((e: unknown) => {
          if (!(isPanelError(e) && e.code === 'NOT_FOUND')) throw e;
        });
    }
    await this.d.store.removeOwnedRows(rows);
    return rows.map((o) => `${o.name} ${o.type}`);
  }

  /** An account is gone (its domain rows too): remove every zone it had. */
  async unplaceAccount(accountId: number): Promise<void> {
    for (const z of await this.d.store.zones([accountId])) {
      await this.d.locks.run(z.zone, async () => {
        await this.d.engine().deleteZone(z.zone);
        await this.d.store.removeZone(z.zone);
      });
    }
  }
}
