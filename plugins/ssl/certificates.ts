import type { DomainDirectory, DomainInfo, Logger } from '../../sdk/index.js';
import { certificateFacts, daysLeft, type CertificateBundle, type CertificateFacts } from './pem.js';
import type { CertificateFiles, CertificatePaths } from './store/certificate-files.js';
import type { CertificateRow, CertificateRows, CertificateSource } from './store/certificate-rows.js';

/** A certificate as `GET /api/ssl/certificates` and `/certificate/:domain` show it. */
export interface CertificateView extends CertificateFacts {
  domain: string;
  account_id: number;
  source: CertificateSource;
  /** Also covers `*.<domain>`. */
  wildcard: boolean;
  /** Same instant as `valid_to`. */
  expiry: string;
  days_left: number;
  files: { certificate: string; chain: string; fullchain: string; key: string };
  renewal: {
    auto_renew: boolean;
    /** Within the renewal window: the next auto-renew run renews it. */
    due: boolean;
    renew_after: string;
    last_status: 'ok' | 'failed' | null;
    last_error: string | null;
    last_attempt_at: string | null;
    /** The ACME challenge renewals use (`null`: the first provider that fits). */
    challenge: 'http-01' | 'dns-01' | null;
  };
}

/** How an ACME certificate was proven; renewals repeat it. */
export interface AcmeMethod {
  challenge: 'http-01' | 'dns-01' | null;
  wildcard: boolean;
}

/** Uploads, and certificates from before challenges were recorded. */
export const NO_METHOD: AcmeMethod = { challenge: null, wildcard: false };

/** Whether a certificate valid until `validTo` is inside the renewal window. */
export function isDue(validTo: string, days: number, now = Date.now()): boolean {
  return Date.parse(validTo) - now <= days * 86_400_000;
}

/**
 * The certificates the panel serves: rows say which stored version serves each domain, files
 * hold the PEMs. Installing is all-or-nothing: the new version is written whole, the row points
 * at it, the account's vhosts are regenerated (tested and reloaded by the engine); if anything
 * fails, the row and the files are put back and the previous certificate keeps serving.
 */
export class CertificateStore {
  constructor(
    readonly rows: CertificateRows,
    readonly files: CertificateFiles,
    private readonly domains: () => DomainDirectory,
    private readonly renewBeforeDays: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Paths the vhost of `domain` should serve, or null when it has none. A certificate stored for
   * another account (the domain was deleted and added again elsewhere) is never served.
   */
  async tlsFor(domain: string, accountId: number): Promise<{ certificate: string; key: string } | null> {
    return this.served(await this.rows.get(domain), accountId);
  }

  /** {@link tlsFor} of many hosts with one query (a whole-server render), in their order. */
  async tlsForMany(
    hosts: { domain: string; accountId: number }[],
  ): Promise<({ certificate: string; key: string } | null)[]> {
    const ids = [...new Set(hosts.map((h) => h.accountId))];
    // A whole server's accounts: every row at once rather than a list of thousands of ids.
    const rows = new Map((await this.rows.list(ids.length > 500 ? null : ids)).map((r) => [r.domain, r]));
    return hosts.map((h) => this.served(rows.get(h.domain), h.accountId));
  }

  private served(row: CertificateRow | null | undefined, accountId: number) {
    if (!row || row.account_id !== accountId || this.files.read(row.domain, row.version) === null) return null;
    const p = this.files.paths(row.domain, row.version);
    return { certificate: p.fullchain, key: p.key };
  }

  async install(
    domain: DomainInfo,
    bundle: CertificateBundle,
    source: CertificateSource,
    webroot: string | null,
    method: AcmeMethod = NO_METHOD,
  ): Promise<CertificateView> {
    const name = domain.domain_name;
    const previous = await this.rows.get(name);
    const version = this.files.write(name, bundle);
    const facts = certificateFacts(bundle.certificate);
    try {
      await this.rows.put({
        domain: name,
        account_id: domain.account_id,
        source,
        version,
        not_after: facts.valid_to,
        webroot,
        ...method,
      });
      await this.domains().regenerate(domain.account_id);
    } catch (e) {
      await this.rows
        .restore(name, previous)
        .catch((r) =>
          this.logger.error('could not restore certificate row', { domain: name, error: (r as Error).message }),
        );
      this.files.removeVersion(name, version);
      throw e;
    }
    this.files.prune(name, version);
    return (await this.view(name))!;
  }

  /** Stop serving a domain's certificate and delete its files. */
  async remove(domain: DomainInfo): Promise<boolean> {
    const name = domain.domain_name;
    const previous = await this.rows.get(name);
    if (!previous) return false;
    await this.rows.remove(name);
    try {
      await this.domains().regenerate(domain.account_id);
    } catch (e) {
      await this.rows.restore(name, previous);
      throw e;
    }
    this.files.prune(name, null);
    return true;
  }

  /** Forget certificates of domains that are gone (the account was deleted); no regeneration. */
  async forget(names: string[]): Promise<void> {
    for (const name of names) {
      await this.rows.remove(name);
      this.files.prune(name, null);
    }
  }

  async view(domain: string): Promise<CertificateView | null> {
    const row = await this.rows.get(domain);
    return row ? this.describe(row) : null;
  }

  async list(accountIds: number[] | null): Promise<CertificateView[]> {
    const rows = await this.rows.list(accountIds);
    return rows.map((r) => this.describe(r)).filter((v): v is CertificateView => v !== null);
  }

  private describe(row: CertificateRow): CertificateView | null {
    const pem = this.files.read(row.domain, row.version);
    if (pem === null) return null;
    const facts = certificateFacts(pem);
    const p: CertificatePaths = this.files.paths(row.domain, row.version);
    const left = daysLeft(facts.valid_to);
    const renewAfter = new Date(Date.parse(facts.valid_to) - this.renewBeforeDays * 86_400_000).toISOString();
    return {
      domain: row.domain,
      account_id: row.account_id,
      source: row.source,
      wildcard: Boolean(row.wildcard),
      ...facts,
      expiry: facts.valid_to,
      days_left: left,
      files: { certificate: p.certificate, chain: p.chain, fullchain: p.fullchain, key: p.key },
      renewal: {
        auto_renew: true,
        due: isDue(facts.valid_to, this.renewBeforeDays),
        renew_after: renewAfter,
        last_status: row.last_status,
        last_error: row.last_error,
        last_attempt_at: row.last_attempt_at,
        challenge: row.challenge ?? null,
      },
    };
  }
}
