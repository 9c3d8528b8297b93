// Issue 16: a failed command's words are admin detail, not its message, so the retry on an id
// another program took (groupadd/useradd "already exists") matches on what the tool printed
// (commandOutput). A real groupadd refuses a taken GID here; anything else is not retried.
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginDatabase } from '../../../sdk/index.js';
import { testExec } from '../../../sdk/testing/index.js';
import { withFreshId } from '../ids.js';
import { requireRoot } from '../../../test/bed/index.js';

const exec = testExec();
const root = requireRoot();

describe.skipIf(root.skip)('withFreshId', () => {
  let store: Knex;
  let db: PluginDatabase;
  beforeAll(async () => {
    store = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    await store.schema.createTable('t_ids', (t) => {
      t.string('name').primary();
      t.integer('value');
    });
    await store.schema.createTable('t_accounts', (t) => {
      t.integer('uid');
      t.integer('gid');
    });
    db = { knex: store, client: 'sqlite', table: (n) => `t_${n}`, withLock: (_name, work) => store.transaction(work) };
  });
  afterAll(() => store?.destroy());

  it('tries the next id when the tool says the id is taken', async () => {
    const tried: number[] = [];
    const made = await withFreshId(db, 't_accounts', async (id) => {
      tried.push(id);
      // GID 0 is root's: groupadd answers "GID '0' already exists", as when another program took the id
      if (tried.length === 1) await exec.run('groupadd', ['--gid', '0', '--', 'vp-fresh-id-probe']);
      return id;
    });
    expect(tried).toHaveLength(2);
    expect(made).toBe(tried[1]);
    expect(tried[1]).toBeGreaterThan(tried[0]!);
  });

  it('passes any other failure on at once', async () => {
    let calls = 0;
    const failing = withFreshId(db, 't_accounts', async () => {
      calls++;
      await exec.run('groupadd', ['--gid', 'not-a-number', '--', 'vp-fresh-id-probe']);
    });
    await expect(failing).rejects.toMatchObject({
      code: 'EXTERNAL_COMMAND',
      message: expect.stringMatching(/^groupadd failed \(exit \d+\)$/),
    });
    expect(calls).toBe(1);
  });
});
