// A third-party engine as a plugin author would write one (SDK imports only): databases kept in
// memory. `broken` makes every call fail as an unreachable server would.
import {
  assertDatabaseNames,
  databaseEngines,
  definePlugin,
  errors,
  type DatabaseEngine,
  type DatabaseGrant,
} from '../../sdk/index.js';

export class MemoryEngine implements DatabaseEngine {
  readonly id = 'memdb';
  readonly name = 'MemDB';
  readonly limits = { database: 40, user: 40 };
  readonly clientHost = 'mem.local';
  readonly databases = new Map<string, DatabaseGrant>();
  broken = false;

  private reach(): void {
    if (this.broken) throw errors.unavailable('MemDB (memdb) is unreachable: switched off by the test');
  }

  async health() {
    return this.broken
      ? { available: false, version: null, error: 'MemDB (memdb) is unreachable' }
      : { available: true, version: '1.0-mem' };
  }

  async create(g: DatabaseGrant) {
    assertDatabaseNames(g, this.limits);
    this.reach();
    if (this.databases.has(g.database)) throw errors.conflict(`Database ${g.database} already exists on MemDB`);
    this.databases.set(g.database, { ...g });
  }

  async list(names: string[]) {
    this.reach();
    return names.filter((n) => this.databases.has(n)).map((database) => ({ database, size: 42, tables: 0 }));
  }

  async exists(n: { database: string; user: string }) {
    this.reach();
    return {
      database: this.databases.has(n.database),
      user: [...this.databases.values()].some((g) => g.user === n.user),
    };
  }

  async drop(n: { database: string; user: string }) {
    this.reach();
    this.databases.delete(n.database);
  }

  async dump(): Promise<void> {
    throw errors.internal('not supported');
  }

  async restore(): Promise<void> {
    throw errors.internal('not supported');
  }
}

export function memoryEnginePlugin(engine: MemoryEngine) {
  return definePlugin({
    manifest: { id: 'memdb', version: '1.0.0', sdk: '^1.0.0', provides: ['database-engines'] },
    start(ctx) {
      ctx.extensions.provide(databaseEngines, 'memdb', engine);
    },
  });
}
