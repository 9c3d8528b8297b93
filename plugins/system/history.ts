import os from 'node:os';
import type { Migration, PluginDatabase } from '../../sdk/index.js';
import { cpuUsagePercent, memoryMb } from './stats.js';

/** One sample of the server's resources (t: epoch ms). */
export interface ResourceSample {
  t: number;
  cpu_percent: number;
  memory_used_mb: number;
  memory_total_mb: number;
  load1: number;
  load5: number;
  load15: number;
}

/** How long samples are kept: the charts show the last day. */
export const HISTORY_MS = 24 * 3600 * 1000;

export const historyMigrations: Migration[] = [
  {
    name: '001_resource_samples',
    async up(db, table) {
      await db.schema.createTable(table('samples'), (t) => {
        t.increments('id').primary();
        t.bigInteger('t').notNullable().index();
        t.float('cpu_percent').notNullable();
        t.integer('memory_used_mb').notNullable();
        t.integer('memory_total_mb').notNullable();
        t.float('load1').notNullable();
        t.float('load5').notNullable();
        t.float('load15').notNullable();
      });
    },
  },
];

const round = (x: number) => Math.round(x * 100) / 100;

/** Read the resources now (CPU over a short window). */
export async function takeSample(now = Date.now()): Promise<ResourceSample> {
  const [cpu, mem] = await Promise.all([cpuUsagePercent(500), memoryMb()]);
  const [l1 = 0, l5 = 0, l15 = 0] = os.loadavg();
  return {
    t: now,
    cpu_percent: cpu,
    memory_used_mb: mem.used_mb,
    memory_total_mb: mem.total_mb,
    load1: round(l1),
    load5: round(l5),
    load15: round(l15),
  };
}

/** Stores samples in the plugin's table and forgets those older than a day. */
export class ResourceHistory {
  constructor(private readonly db: PluginDatabase) {}

  private get table() {
    return this.db.table('samples');
  }

  async record(sample: ResourceSample): Promise<void> {
    await this.db.knex(this.table).insert(sample);
    await this.db
      .knex(this.table)
      .where('t', '<', sample.t - HISTORY_MS)
      .delete();
  }

  /** Samples of the last `hours`, oldest first. */
  async since(hours: number, now = Date.now()): Promise<ResourceSample[]> {
    const rows = await this.db
      .knex(this.table)
      .where('t', '>=', now - hours * 3600 * 1000)
      .orderBy('t', 'asc')
      .select('t', 'cpu_percent', 'memory_used_mb', 'memory_total_mb', 'load1', 'load5', 'load15');
    return rows.map((r) => ({ ...r, t: Number(r.t) }));
  }
}
