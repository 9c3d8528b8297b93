// A kernel module (auth, licence, audit, metrics) and the part of the kernel it is handed: what
// it registers into and the shared parts it reads, not the kernel's start-up and wiring.
import type { Knex } from 'knex';
import type { Migration } from '../sdk/database.js';
import type { LicenceTerms, LicenceView } from '../sdk/licence.js';
import type { Logger } from '../sdk/logger.js';
import type { RouteDefinition } from '../sdk/routes.js';
import type { ChangeFeed } from './cluster/change-feed.js';
import type { PanelConfig } from './config/schema.js';
import type { DbClient } from './db/database.js';
import type { ScheduleRunner } from './jobs/scheduler.js';
import type { TierTable } from './licence/tiers.js';
import type { ExtensionStore } from './plugins/extensions.js';
import type { PluginHost } from './plugins/loader.js';
import type { ServiceStore } from './plugins/services.js';
import type { Token } from './tokens.js';

/** What a kernel module may use of the kernel, in `install` and in the routes and services it makes there. */
export interface ModuleHost {
  readonly version: string;
  /** When the kernel was made (ms since the epoch). */
  readonly startedAt: number;
  readonly config: PanelConfig;
  readonly logger: Logger;
  readonly knex: Knex;
  readonly dbClient: DbClient;
  /** What other nodes sharing the store changed. */
  readonly changes: ChangeFeed;
  readonly scheduler: ScheduleRunner;
  readonly tiers: TierTable;
  /** The extension points' entries (usage counters, login subjects, reseller caps, metric sources…). */
  readonly extensions: ExtensionStore;
  readonly plugins: PluginHost;
  readonly services: ServiceStore;
  /** The licence in force. */
  licence(): LicenceView;
  /** Register what the module provides under a kernel token. */
  provide<T>(token: Token<T>, value: T): void;
  /** Register a kernel route (owned by `core`). */
  route(def: RouteDefinition): void;
}

/** A kernel module (auth, licence, audit…) that is part of the kernel rather than a plugin. */
export interface KernelModule {
  name: string;
  migrations: Migration[];
  /** Licence features it checks (declared as plugins declare theirs). */
  licence?: LicenceTerms;
  /** Register routes, and what it provides with `kernel.provide(Tokens.…, value)`, as a plugin's `start` does. */
  install(kernel: ModuleHost): Promise<void> | void;
  stop?(): Promise<void> | void;
}
