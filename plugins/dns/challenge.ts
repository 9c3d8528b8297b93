import type {
  AcmeChallengeProvider,
  AcmeChallengeRequest,
  AcmeChallengeTarget,
  DnsServerEngine,
  KeyedLock,
} from '../../sdk/index.js';
import { encodeTxt } from './contents.js';
import type { DnsStore, ZoneRow } from './store.js';

/** TTL of challenge records: short, so a retried order is not answered from a stale cache. */
const CHALLENGE_TTL = 60;

/**
 * DNS-01 through the panel's zones: the key authorization digest is published as a TXT record
 * at `_acme-challenge.<name>` (a wildcard's `*.` dropped) in the panel zone that holds that name,
 * and removed afterwards. Several challenges for one name (a certificate for `example.com` and
 * `*.example.com`) share the RRset; each cleanup removes only its own value and the RRset goes
 * with the last one, so TXT records the owner put there by hand stay. A name outside every zone
 * of the target's account is not supported, so the `ssl` plugin reports that no provider fits.
 */
export class Dns01ZoneProvider implements AcmeChallengeProvider {
  readonly type = 'dns-01' as const;
  readonly label = "DNS-01 through the panel's DNS zones";
  /** Values this provider published, per record name: cleanup removes only these. */
  private readonly published = new Map<string, Set<string>>();

  constructor(private readonly d: { engine: () => DnsServerEngine; store: DnsStore; locks: KeyedLock }) {}

  /** `_acme-challenge.<name>` without the wildcard label. */
  static recordName(target: AcmeChallengeTarget): string {
    return `_acme-challenge.${target.name.replace(/^\*\./, '')}`;
  }

  private async zoneFor(target: AcmeChallengeTarget): Promise<ZoneRow | null> {
    const zone = await this.d.store.containing(Dns01ZoneProvider.recordName(target));
    if (!zone) return null;
    // The panel's own host name (no account) proves itself by HTTP-01 from panel_webroot: never through a tenant's zone.
    return target.account !== null && zone.account_id === target.account.id ? zone : null;
  }

  async supports(target: AcmeChallengeTarget): Promise<boolean> {
    if (!(await this.zoneFor(target))) return false;
    return (
      await this.d
        .engine()
        .status()
        .catch(() => ({ available: false }))
    ).available;
  }

  async present(target: AcmeChallengeTarget, challenge: AcmeChallengeRequest): Promise<void> {
    const zone = await this.zoneFor(target);
    if (!zone) throw new Error(`no DNS zone of this account holds ${Dns01ZoneProvider.recordName(target)}`);
    const name = Dns01ZoneProvider.recordName(target);
    const value = encodeTxt(challenge.keyAuthorization);
    await this.d.locks.run(zone.zone, async () => {
      const mine = this.published.get(name) ?? new Set<string>();
      this.published.set(name, mine);
      mine.add(value);
      await this.write(zone.zone, name, (current) => [...new Set([...current, value])]);
    });
  }

  async cleanup(target: AcmeChallengeTarget, challenge: AcmeChallengeRequest): Promise<void> {
    const name = Dns01ZoneProvider.recordName(target);
    const value = encodeTxt(challenge.keyAuthorization);
    const mine = this.published.get(name);
    if (!mine?.has(value)) return;
    const zone = await this.d.store.containing(name);
    if (zone)
      await this.d.locks.run(zone.zone, () =>
        this.write(zone.zone, name, (current) => current.filter((v) => v !== value)),
      );
    mine.delete(value);
    if (mine.size === 0) this.published.delete(name);
  }

  /** Replace the TXT RRset at `name` with what `next` makes of the current values. */
  private async write(zone: string, name: string, next: (current: string[]) => string[]): Promise<void> {
    const engine = this.d.engine();
    const sets = (await engine.records(zone)) ?? [];
    const current = sets.find((s) => s.name === name && s.type === 'TXT')?.records ?? [];
    await engine.replaceRRsets(zone, [{ name, type: 'TXT', ttl: CHALLENGE_TTL, records: next(current) }]);
  }
}
