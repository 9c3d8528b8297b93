import {
  errors,
  fromContractPath,
  type AccountDirectory,
  type DomainDirectory,
  type DomainInfo,
  type KeyedLock,
} from '../../sdk/index.js';
import type { AcmeIssuer } from './acme/issuer.js';
import { isDue, NO_METHOD, type AcmeMethod, type CertificateStore, type CertificateView } from './certificates.js';
import { checkWebroot, isDomainName } from './domain-name.js';
import { checkUpload, splitFullchain } from './pem.js';

/** Services and parts the provisioner works with. */
export interface ProvisionerDeps {
  /** Panel mode: in local mode a webroot may be written in the contract's `/home/<username>` form. */
  mode?: 'local' | 'linux';
  accounts: () => AccountDirectory;
  domains: () => DomainDirectory;
  issuer: AcmeIssuer;
  store: CertificateStore;
  lock: KeyedLock;
  renewBeforeDays: number;
}

/** A custom certificate as uploaded. */
export interface UploadInput {
  certificate: string;
  private_key: string;
  chain?: string;
}

const MAX_SANS = 100;

/** The method a stored certificate was ordered with (none recorded: the first provider that fits). */
function methodOf(row: { challenge?: AcmeMethod['challenge']; wildcard?: boolean } | null): AcmeMethod {
  return { challenge: row?.challenge ?? null, wildcard: Boolean(row?.wildcard) };
}

/**
 * Every change to a domain's certificate — ACME provision and renewal, upload, removal — runs
 * here, one at a time per domain, and ends in {@link CertificateStore.install} (all or nothing).
 */
export class Provisioner {
  constructor(private readonly d: ProvisionerDeps) {}

  /** The panel domain of that name; 404 when the panel does not host it. */
  async domain(name: string): Promise<DomainInfo> {
    const domain = await this.d.domains().byName(name);
    if (!domain) throw errors.notFound(`Domain ${name} is not in the panel`);
    return domain;
  }

  provision(name: string, webroot?: string, method: AcmeMethod = NO_METHOD): Promise<CertificateView> {
    return this.d.lock.run(name, async () => this.order(await this.domain(name), webroot ?? null, method));
  }

  /** Renew now, reusing the webroot, challenge and wildcard given at provisioning. */
  renew(name: string): Promise<CertificateView> {
    return this.d.lock.run(name, async () => {
      const row = await this.d.store.rows.get(name);
      return this.order(await this.domain(name), row?.webroot ?? null, methodOf(row));
    });
  }

  /** Renew when inside the renewal window; checked under the lock, so concurrent runs renew once. */
  renewIfDue(name: string): Promise<'renewed' | 'skipped'> {
    return this.d.lock.run(name, async () => {
      const row = await this.d.store.rows.get(name);
      if (!row || !isDue(row.not_after, this.d.renewBeforeDays)) return 'skipped';
      await this.order(await this.domain(name), row.webroot, methodOf(row));
      return 'renewed';
    });
  }

  upload(name: string, input: UploadInput): Promise<CertificateView> {
    return this.d.lock.run(name, async () => {
      const domain = await this.domain(name);
      this.checkServable(domain);
      return this.d.store.install(domain, checkUpload(name, input), 'custom', null);
    });
  }

  remove(name: string): Promise<boolean> {
    return this.d.lock.run(name, async () => this.d.store.remove(await this.domain(name)));
  }

  private checkServable(domain: DomainInfo): void {
    if (domain.alias_of !== null)
      throw errors.validation(
        `domain: ${domain.domain_name} is an alias; request the certificate for the domain it serves (its certificate covers its aliases)`,
      );
    const engine = this.d.domains().engine();
    if (engine && !engine.capabilities.tls)
      throw errors.conflict(`The web server engine '${engine.id}' cannot serve per-domain certificates`);
  }

  private async order(domain: DomainInfo, webroot: string | null, method: AcmeMethod): Promise<CertificateView> {
    this.checkServable(domain);
    const account = await this.d.accounts().get(domain.account_id);
    if (!account) throw errors.notFound(`The account of ${domain.domain_name} no longer exists`);
    const engine = this.d.domains().engine();
    if (account.status === 'suspended' && engine && !engine.capabilities.acmeWhileSuspended)
      throw errors.conflict(
        `The web server engine '${engine.id}' does not answer ACME challenges for suspended accounts: unsuspend ${account.username} first`,
      );
    const root = webroot
      ? checkWebroot(account.home_dir, fromContractPath(this.d.mode ?? 'linux', account.home_dir, webroot))
      : domain.document_root;
    this.d.issuer.checkConfigured();
    const names = await this.names(domain, method.wildcard);
    try {
      const issued = await this.d.issuer.issue(
        names,
        (name) => ({ name, domain: domain.domain_name, account, webroot: root }),
        method.challenge,
      );
      return await this.d.store.install(domain, splitFullchain(issued.fullchain, issued.key), 'acme', webroot, method);
    } catch (e) {
      await this.d.store.rows.failed(domain.domain_name, (e as Error).message);
      throw e;
    }
  }

  /**
   * The domain (and `*.<domain>` for a wildcard), then the names its vhost also serves that
   * belong to the same account and the wildcard does not already cover.
   */
  private async names(domain: DomainInfo, wildcard: boolean): Promise<string[]> {
    const spec = await this.d.domains().vhostSpec(domain.id);
    const names = wildcard ? [domain.domain_name, `*.${domain.domain_name}`] : [domain.domain_name];
    const covered = (name: string) =>
      wildcard &&
      name.endsWith(`.${domain.domain_name}`) &&
      !name.slice(0, -domain.domain_name.length - 1).includes('.');
    for (const alias of spec?.aliases ?? []) {
      const name = alias.toLowerCase();
      if (names.includes(name) || covered(name) || !isDomainName(name) || names.length >= MAX_SANS) continue;
      const row = await this.d.domains().byName(name);
      if (row ? row.account_id === domain.account_id : name === `www.${domain.domain_name}`) names.push(name);
    }
    return names;
  }
}
