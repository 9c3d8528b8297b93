import { createExtensionPoint } from '../extension-points.js';
import { createServiceRef } from '../services.js';

/** PHP handling of one virtual host, as the PHP plugin contributes it. */
export interface VhostPhp {
  mode: 'cgi' | 'fpm' | 'lsapi';
  version: string;
  /** FPM/LSAPI socket path. */
  socket?: string;
  /** php-cgi binary for CGI mode. */
  binary?: string;
}

/** Everything an engine needs to render one virtual host. Values are validated before they get here. */
export interface VhostSpec {
  /** Punycode FQDN. */
  domain: string;
  /** Extra names served by the same host (aliases, `www.`). */
  aliases: string[];
  documentRoot: string;
  accountId: number;
  accountUsername: string;
  homeDir: string;
  suspended: boolean;
  tls?: { certificate: string; key: string };
  php?: VhostPhp;
}

/** Plugins (ssl, php) add their part of a vhost (certificate paths, PHP handler) before rendering. */
export interface VhostContributor {
  contribute(spec: VhostSpec): Promise<void> | void;
}

/** Extension point: vhost contributors, consumed by the `domains` plugin when it renders vhosts. */
export const vhostContributors = createExtensionPoint<VhostContributor>({ id: 'vhost-contributors', owner: 'domains' });

/** A domain as other plugins see it. */
export interface DomainInfo {
  id: number;
  account_id: number;
  domain_name: string;
  domain_type: 'primary' | 'addon' | 'subdomain' | 'alias';
  document_root: string;
  /** For an alias: the domain it serves. */
  alias_of: number | null;
  created_at: string;
}

/** Domain lookups and vhost regeneration, provided by the `domains` plugin. */
export interface DomainDirectory {
  get(id: number): Promise<DomainInfo | null>;
  byName(name: string): Promise<DomainInfo | null>;
  forAccount(accountId: number): Promise<DomainInfo[]>;
  list(): Promise<DomainInfo[]>;
  /** Re-render and apply the vhosts of one account (or all) with test-then-swap safety. */
  regenerate(accountId?: number): Promise<{ changed: number; unchanged: number }>;
  /** The vhost spec of a domain after contributors ran (for diagnostics and tests). */
  vhostSpec(domainId: number): Promise<VhostSpec | null>;
}

/** Service reference of the domain directory. */
export const domainDirectory = createServiceRef<DomainDirectory>('domains.directory');
