import {
  isPanelError,
  unavailableStatus,
  type DnsServerEngine,
  type DomainInfo,
  type Logger,
} from '../../sdk/index.js';
import type { DnsStore } from './store.js';
import type { ZoneSync } from './zones.js';

/** What start-up reconciliation found and repaired (`GET /api/dns/status`). */
export interface DnsReconciliation {
  state: 'pending' | 'done' | 'unavailable' | 'failed';
  /** Zones made for domains that had none on the DNS server (new, or lost there). */
  created_zones: string[];
  /** Zones already on the server for a panel domain without a row here: kept as they are, now tracked. */
  adopted_zones: string[];
  /** Zones (and records) of domains that no longer exist in the panel: removed from the server. */
  removed_zones: string[];
  removed_records: string[];
  /** `<name> <type>` records of subdomains and aliases that were missing, added. */
  added_records: string[];
  /** Zones on the server that no panel domain made: reported, never touched. */
  foreign_zones: string[];
  /** `<domain>: <reason>` for what could not be repaired. */
  failed: string[];
  error: string | null;
  finished_at: string | null;
}

/** An empty report in the `pending` state. */
export function pendingReport(): DnsReconciliation {
  return {
    state: 'pending',
    created_zones: [],
    adopted_zones: [],
    removed_zones: [],
    removed_records: [],
    added_records: [],
    foreign_zones: [],
    failed: [],
    error: null,
    finished_at: null,
  };
}

/** Order so a zone exists before the subdomains and aliases that go into it. */
function placementOrder(a: DomainInfo, b: DomainInfo): number {
  const rank = (d: DomainInfo) => (d.domain_type === 'primary' || d.domain_type === 'addon' ? 0 : 1);
  return rank(a) - rank(b) || a.domain_name.split('.').length - b.domain_name.split('.').length || a.id - b.id;
}

/**
 * Bring the DNS server in line with the panel's rows: zones and records of domains that are gone
 * are removed, what a domain should have and lacks is made, zones nobody in the panel made are
 * reported and left alone. Each step is the same idempotent one the hooks use, so a second run
 * finds nothing to do.
 */
export async function reconcileZones(
  d: {
    engine: () => DnsServerEngine;
    store: DnsStore;
    sync: ZoneSync;
    domains: () => Promise<DomainInfo[]>;
    logger: Logger;
  },
  report: DnsReconciliation,
): Promise<DnsReconciliation> {
  Object.assign(report, pendingReport());
  const status = await d
    .engine()
    .status()
    .catch((e: unknown) => unavailableStatus(e, 'the DNS engine could not tell its status'));
  if (!status.available) {
    Object.assign(report, {
      state: 'unavailable',
      error: status.reason ?? 'unavailable',
      finished_at: new Date().toISOString(),
    });
    d.logger.warn('DNS reconciliation skipped: the DNS server is unavailable', {
      reason: status.reason,
      detail: status.detail,
    });
    return report;
  }
  try {
    const domains = await d.domains();
    const byId = new Map(domains.map((x) => [x.id, x]));
    for (const z of await d.store.zones()) {
      if (byId.get(z.domain_id)?.domain_name === z.zone) continue;
      report.removed_zones.push(z.zone);
      await d.sync.unplace(z.domain_id);
      await d.store.removeZone(z.zone);
    }
    // Records of a domain that is gone, or whose id now names another domain (an id reused after a restore of the store).
    const stale = (await d.store.owned()).filter((o) => byId.get(o.domain_id)?.domain_name !== o.name);
    report.removed_records.push(...(await d.sync.dropOwned(stale)));
    const serverZones = await d.engine().listZones();
    for (const domain of [...domains].sort(placementOrder)) {
      try {
        const p = await d.sync.place(domain, serverZones);
        if (p.kind === 'zone' && p.action === 'created') report.created_zones.push(p.zone);
        if (p.kind === 'zone' && p.action === 'adopted') report.adopted_zones.push(p.zone);
        if (p.kind === 'zone' && p.action !== 'present') serverZones.push(p.zone);
        if (p.kind === 'records') report.added_records.push(...p.added);
      } catch (e) {
        report.failed.push(`${domain.domain_name}: ${forAdmins(e)}`);
      }
    }
    const ours = new Set((await d.store.zones()).map((z) => z.zone));
    report.foreign_zones = (await d.engine().listZones()).filter((z) => !ours.has(z));
    report.state = 'done';
    const changed =
      report.created_zones.length +
      report.adopted_zones.length +
      report.removed_zones.length +
      report.removed_records.length +
      report.added_records.length;
    if (changed || report.failed.length) d.logger.warn('DNS reconciliation repaired drift', { ...report });
  } catch (e) {
    report.state = 'failed';
    report.error = forAdmins(e);
    d.logger.error('DNS reconciliation failed', { error: report.error });
  }
  report.finished_at = new Date().toISOString();
  return report;
}

/** The report is read by admins only (`GET /api/dns/status`): a failure's admin detail belongs in it. */
function forAdmins(e: unknown): string {
  return isPanelError(e) ? e.messageFor({ role: 'admin' }) : (e as Error).message;
}
