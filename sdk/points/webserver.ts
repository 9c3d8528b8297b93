import { domainToASCII } from 'node:url';
import { createExtensionPoint } from '../extension-points.js';
import { createServiceRef } from '../services.js';
import type { EngineCapabilities } from './webserver-engines.js';

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
  /**
   * Optional: the same for many specs at once (a whole-server render of 50,000 hosts), with a
   * query or two instead of one per spec. The result must equal {@link contribute} on each spec.
   */
  contributeAll?(specs: VhostSpec[]): Promise<void> | void;
}

/** Extension point: vhost contributors, consumed by the `domains` plugin when it renders vhosts. */
export const vhostContributors = createExtensionPoint<VhostContributor>({ id: 'vhost-contributors', owner: 'domains' });

/**
 * A domain as other plugins see it. The domains plugin keeps its own row type: a field is
 * published here when another plugin consumes it.
 */
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

/** Hook payload of domain events. */
export interface DomainEvent {
  domain: DomainInfo;
}

declare module '../hooks.js' {
  interface HookEvents {
    /**
     * after: a domain was added (`POST /api/domains`, an account's primary domain, a restore). Its
     * row exists; with `apply: false` its vhost follows when the caller regenerates.
     */
    'domain.created': DomainEvent;
    /**
     * after: one domain was removed with `DELETE /api/domains/:id` (its vhost is gone and its row
     * deleted). Not emitted for the domains of a deleted account: `account.deleted` covers those.
     */
    'domain.deleted': DomainEvent;
  }
}

/** Domain lookups and vhost regeneration, provided by the `domains` plugin. */
export interface DomainDirectory {
  get(id: number): Promise<DomainInfo | null>;
  byName(name: string): Promise<DomainInfo | null>;
  forAccount(accountId: number): Promise<DomainInfo[]>;
  list(): Promise<DomainInfo[]>;
  /**
   * Re-render and apply the vhosts of one account (or all) with test-then-swap safety. A list of
   * account ids applies all of theirs in one config test and one reload (a bulk import).
   */
  regenerate(
    accountId?: number | readonly number[],
  ): Promise<{ changed: number; unchanged: number; reloaded?: boolean }>;
  /**
   * Announce that one account's {@link regenerate} follows shortly (an account create past its
   * first steps): changes being gathered into one test and reload wait for it (bounded) instead
   * of going without it and leaving it a test and reload of its own. Call the function it answers
   * once that regenerate is called, or will not be (the create failed); a second call does nothing.
   *
   * @example
   * ```ts
   * const done = domains.expectChange?.() ?? (() => {});
   * try {
   *   await makeHome();
   *   const live = domains.regenerate(accountId); // in the gathered batch from here on
   *   done();
   *   await live;
   * } finally {
   *   done();
   * }
   * ```
   */
  expectChange?(): () => void;
  /** The vhost spec of a domain after contributors ran (for diagnostics and tests). */
  vhostSpec(domainId: number): Promise<VhostSpec | null>;
  /**
   * Validate and add a domain: name, type rules, document root inside the home (created if
   * missing), server-wide uniqueness (409) and the licence's domain limit (403), race-free.
   * With `apply: false` the vhost is not written yet (the caller runs {@link regenerate}).
   * Names are owned: a name under (or above) a domain of another account, or the panel's own
   * `server_hostname` or a name under it, is a 409; `asAdmin` names the holder in that message
   * and honours {@link DomainCreate.allow_cross_account}.
   */
  create(input: DomainCreate, opts?: { apply?: boolean; asAdmin?: boolean }): Promise<DomainInfo>;
  /**
   * The name checks {@link create} makes, for a domain of an account that does not exist yet
   * (a new account's primary): 400 for a bad name, 409 when the server or another account holds
   * it. Lets a caller refuse before it makes anything.
   */
  checkNewName?(name: string, opts?: { asAdmin?: boolean; allowCrossAccount?: boolean }): Promise<void>;
  /** Remove every domain of an account and its vhosts, then reload; returns how many went. */
  removeForAccount(accountId: number): Promise<number>;
  /** The configured web-server engine and what it can express; null when it is not available. */
  engine(): { id: string; capabilities: EngineCapabilities } | null;
}

/** Input of {@link DomainDirectory.create} (the `POST /api/domains` body). */
export interface DomainCreate {
  account_id: number;
  domain_name: string;
  domain_type: DomainInfo['domain_type'];
  /** Absolute path inside the account's home; defaults to `public_html` (primary) or `<home>/<domain>`. */
  document_root?: string;
  /**
   * For an alias: the id of the domain it serves (a non-alias domain of the same account); the
   * primary when left out. A restore uses it to put an alias back on its former target.
   */
  alias_of?: number;
  /**
   * Admin only (honoured with `asAdmin`): place the name although it is under, or above, a
   * domain of another account.
   */
  allow_cross_account?: boolean;
}

/** Service reference of the domain directory. */
export const domainDirectory = createServiceRef<DomainDirectory>('domains.directory');

/** What the accounts plugin asks of the plugin that keeps an account's domains and vhosts. */
export type AccountDomains = Pick<
  DomainDirectory,
  'checkNewName' | 'byName' | 'create' | 'removeForAccount' | 'regenerate' | 'expectChange'
>;

/**
 * The accounts plugin's point for the domains of an account (its primary domain at creation,
 * vhosts on suspend and delete): the domains plugin contributes to it, so accounts needs no
 * domains plugin to start and the two do not depend on each other.
 */
export const accountDomains = createExtensionPoint<AccountDomains>({ id: 'account-domains', owner: 'accounts' });

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A domain name as the panel stores it: lowercase punycode FQDN (an IDN is converted, one trailing
 * dot dropped), or null when the value is not a fully qualified domain name. Wildcards, IP
 * addresses, single labels, whitespace and control characters are all refused.
 *
 * @example
 * ```ts
 * normalizeDomainName('Bücher.Example'); // 'xn--bcher-kva.example'
 * normalizeDomainName('a.test;\n');       // null
 * ```
 */
export function normalizeDomainName(input: unknown): string | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 300) return null;
  if (/[\s\x00-\x1f\x7f*_\/\\:@]/.test(input)) return null;
  const ascii = domainToASCII(input.endsWith('.') ? input.slice(0, -1) : input).toLowerCase();
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  const tld = labels.at(-1)!;
  return /^[a-z]{2,63}$/.test(tld) || /^xn--[a-z0-9-]+$/.test(tld) ? ascii : null;
}
