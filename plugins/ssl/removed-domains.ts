import type { AuditEvent, DomainDirectory, KeyedLock, Logger } from '../../sdk/index.js';
import type { CertificateStore } from './certificates.js';
import type { CertificateRow } from './store/certificate-rows.js';

/** What {@link RemovedDomains} works with. */
export interface RemovedDomainsDeps {
  store: CertificateStore;
  domains: () => DomainDirectory;
  lock: KeyedLock;
  audit: (event: AuditEvent) => void;
  logger: Logger;
}

/**
 * Certificates whose domain the panel no longer hosts: the domain was deleted (alone, not with its
 * account), or deleted and added again to another account. Their row, their files (the key
 * included) and so their renewal go. Only the certificate stored under the removed name goes: a
 * certificate of another domain that lists that name as a SAN keeps serving its own domain, and
 * its next renewal orders only the names its vhost still serves.
 *
 * The domains plugin announces no single-domain removal, so this runs as a sweep: when the
 * plugins are ready, before certificates are listed, shown or renewed, and at metrics scrapes.
 */
export class RemovedDomains {
  constructor(private readonly d: RemovedDomainsDeps) {}

  /** Forget the certificate stored under `name` when its domain is gone; true when it went. */
  forget(name: string): Promise<boolean> {
    return this.d.lock.run(name, async () => {
      const row = await this.d.store.rows.get(name);
      if (!row || (await this.hosted(row))) return false;
      await this.d.store.rows.remove(name);
      // The name came back to its account meanwhile and its vhost may already point at the files.
      if (await this.hosted(row)) {
        await this.d.store.rows.restore(name, row);
        return false;
      }
      this.d.store.files.prune(name, null);
      const detail = `certificate ${row.version} (${row.source}) of account ${row.account_id} removed: the domain is no longer in the panel under that account`;
      this.d.audit({ action: 'ssl.certificate.forget', target: `domain:${name}`, ok: true, detail });
      this.d.logger.info('forgot the certificate of a removed domain', { domain: name, account_id: row.account_id });
      return true;
    });
  }

  /**
   * Forget every stored certificate (of these accounts, all when null) whose domain is gone. Never
   * throws: without a working domain directory nothing is forgotten and a warning is logged.
   */
  async sweep(accountIds: number[] | null): Promise<string[]> {
    const gone: string[] = [];
    try {
      for (const row of await this.d.store.rows.list(accountIds))
        if (await this.forget(row.domain)) gone.push(row.domain);
    } catch (e) {
      this.d.logger.warn('could not check certificates against the domains', { error: (e as Error).message });
    }
    return gone;
  }

  /** Whether the panel still hosts the row's domain under the row's account (throws when it cannot tell). */
  private async hosted(row: CertificateRow): Promise<boolean> {
    const domain = await this.d.domains().byName(row.domain);
    return domain !== null && domain.account_id === row.account_id;
  }
}
