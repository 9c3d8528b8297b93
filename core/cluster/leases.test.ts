import knexFactory, { type Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kernelMigrations } from '../kernel-migrations.js';
import { createLogger } from '../logger.js';
import { LEASE_TABLE, LeaseService } from './leases.js';

const logger = createLogger({ level: 'silent' });

describe('lease rows', () => {
  let knex: Knex;
  let now = 1_000_000;
  const clock = () => now;
  const node = () => new LeaseService(knex, logger, 1000, clock);

  beforeEach(async () => {
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    for (const m of kernelMigrations) await m.up(knex, (n) => `core_${n}`);
  });
  afterEach(() => knex.destroy());

  it('gives a lease to one node while its holder renews it', async () => {
    const [a, b] = [node(), node()];
    expect(await a.acquire('work')).toBe(true);
    expect(await b.acquire('work')).toBe(false);
    now += 900;
    expect(await a.acquire('work')).toBe(true);
    now += 900;
    expect(await b.acquire('work')).toBe(false);
    expect(a.holds('work')).toBe(true);
    expect(b.holds('work')).toBe(false);
  });

  it('lets another node take a lease its dead holder left to expire', async () => {
    const [a, b] = [node(), node()];
    expect(await a.acquire('work')).toBe(true);
    a.halt();
    expect((await knex(LEASE_TABLE).where({ name: 'work' }).first()).holder).toBe(a.nodeId);
    expect(await b.acquire('work')).toBe(false);
    now += 1001;
    expect(await b.acquire('work')).toBe(true);
    expect(await a.acquire('work')).toBe(false);
  });

  it('hands a released lease over at once, and counts only live nodes', async () => {
    const [a, b] = [node(), node()];
    await a.start();
    await b.start();
    expect((await a.liveNodes()).sort()).toEqual([a.nodeId, b.nodeId].sort());
    expect(await a.acquire('work')).toBe(true);
    await a.stop();
    expect(await b.acquire('work')).toBe(true);
    expect(await b.liveNodes()).toEqual([b.nodeId]);
    b.halt();
    now += 1001;
    expect(await node().liveNodes()).toEqual([]);
  });
});
