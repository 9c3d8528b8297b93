import { createServiceRef } from '../services.js';

/** What a managed server answers about itself (`GET /api/system/services`). */
export interface ManagedServiceState {
  /** `nginx`, `mariadb`, `postgresql`… */
  name: string;
  /** `starting`, `running`, `restarting` (after a crash, with backoff), `stopped`, `unavailable` (not installed or cannot run here). */
  state: 'starting' | 'running' | 'restarting' | 'stopped' | 'unavailable';
  pid: number | null;
  /** Loopback TCP port, when it listens on one. */
  port: number | null;
  /** Unix socket (or socket directory for PostgreSQL), when it has one. */
  socket: string | null;
  version: string | null;
  restarts: number;
  /** Why it is unavailable or last failed, e.g. `not installed: mariadbd (run scripts/install-services.sh)`. */
  reason: string | null;
}

/** Where a managed server listens and with which admin login (password-less over its socket). */
export interface ManagedEndpoint {
  socket: string;
  host: string;
  port: number;
  user: string;
  /** For nginx: the `-p` prefix, main config and pid file of the private instance. */
  prefix?: string;
  conf?: string;
  pidFile?: string;
  /** For nginx: the loopback port of TLS vhosts. */
  sslPort?: number;
  /** For php-fpm: the master's binary ('' when not installed), the directory it includes pools from and the one their sockets go in. */
  binary?: string;
  poolDir?: string;
  socketDir?: string;
  /** For PowerDNS (`pdns`): its HTTP API and the key the panel gave it (`port` is the DNS port). */
  apiUrl?: string;
  apiKey?: string;
}

/**
 * Servers the panel runs itself in local mode (the `local-services` plugin): the web server,
 * php-fpm, the database servers and PowerDNS, under the data dir, supervised. Engines ask it where their server is;
 * when it is absent (linux mode, or `managed_services = false`), they use their own config.
 *
 * @example
 * ```ts
 * const managed = ctx.services.find(managedServices)?.endpoint('mariadb');
 * const config = managed ? { ...ctx.config, socket: managed.socket, host: '', user: managed.user } : ctx.config;
 * ```
 */
export interface ManagedServices {
  /** The endpoint of a managed server, or null when the panel does not manage it. */
  endpoint(name: string): ManagedEndpoint | null;
  /**
   * Resolves once the managed `name` answers (waiting, bounded, while it starts or restarts);
   * rejects with a 503 naming what to install, or why it cannot run, otherwise.
   */
  whenUsable(name: string): Promise<void>;
  /** Every managed server's state. */
  list(): ManagedServiceState[];
}

/** The managed-services registry (see {@link ManagedServices}). */
export const managedServices = createServiceRef<ManagedServices>('local-services.managed');
