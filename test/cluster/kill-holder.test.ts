import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { until } from './helpers.js';
import { startPanelProcess, stopPanelProcess, type PanelProcess } from './panel-process.js';

const bed = useServices('postgres');
const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(import.meta.dirname, 'fixtures/schedule-panel.mjs');

describe.skipIf(bed.skip)('the scheduler lease when its holder is killed (two panel processes, one PostgreSQL)', () => {
  const db = `vp_lease_${randomBytes(4).toString('hex')}`;
  const admin = () => knexFactory({ client: 'pg', connection: bed.postgres.adminUrl });
  const nodes: Record<string, PanelProcess> = {};
  let store: Knex;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { cwd: root, stdio: 'pipe' });
    const k = admin();
    await k.raw(`CREATE DATABASE ${db}`).finally(() => k.destroy());
    const url = bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${db}`);
    const config = {
      database_url: url,
      jwt_secret: randomBytes(32).toString('hex'),
      lease_ttl_ms: 2000,
      log_level: 'error',
    };
    // One after the other: the first creates the schema.
    nodes.a = await startPanelProcess(fixture, 'a', config);
    nodes.b = await startPanelProcess(fixture, 'b', config);
    store = knexFactory({ client: 'pg', connection: url });
  }, 300_000);

  afterAll(async () => {
    await store?.destroy();
    for (const n of Object.values(nodes)) await stopPanelProcess(n);
    const k = admin();
    await k.raw(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).finally(() => k.destroy());
  });

  it('runs the schedule on one process; SIGKILLed mid-run, the other takes the lease over and runs it', async () => {
    const runs = async () =>
      (await store('lease_probe_runs').orderBy('id').select('node')).map((r: { node: string }) => r.node);
    await until(async () => (await runs()).length > 0, 30_000);
    const [holder] = await runs();
    const other = holder === 'a' ? 'b' : 'a';
    const lease = () => store('core_leases').where({ name: 'core:scheduler' }).first();
    const first = await lease();
    // Two renewals later (over a second, so the other node's 1 s schedule came due meanwhile and
    // was refused), the holder is still in its run for good and nobody else ran.
    let renewals = 0;
    let last = Number(first.expires_at);
    await until(async () => {
      const now = Number((await lease()).expires_at);
      if (now > last) [renewals, last] = [renewals + 1, now];
      return renewals >= 3;
    });
    expect((await lease()).holder).toBe(first.holder);
    expect(await runs()).toEqual([holder]);
    nodes[holder!]!.child.kill('SIGKILL');
    await until(async () => (await runs()).includes(other), 30_000);
    expect(await runs()).toEqual([holder, other]);
    expect((await lease()).holder).not.toBe(first.holder);
  }, 90_000);
});
