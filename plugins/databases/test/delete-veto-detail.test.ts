// An account delete that one of its databases refuses to drop is vetoed (409) by the databases
// plugin with a catalogue error: the reseller reads which database and what failed, an admin also
// the engine's own words (a socket path, a tool's stderr) — never the reseller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, type DatabaseGrant } from '../../../sdk/index.js';
import { createTestAccount, startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { MemoryEngine, memoryEnginePlugin } from './memory-engine.js';

/** MemDB whose drop fails with the error a test sets. */
class StuckEngine extends MemoryEngine {
  dropError: unknown = null;
  override async drop(n: Pick<DatabaseGrant, 'database' | 'user'>) {
    if (this.dropError) throw this.dropError;
    return super.drop(n);
  }
}

const PLAIN = "connect ENOENT /run/secret-memdb/memdb.sock (as user 'memdb_root')";
const TOOL = "memdb-tool: ERROR 2002: can't connect through '/run/secret-memdb/memdb.sock'";

describe('an account delete vetoed by a database that cannot be dropped', () => {
  let panel: TestPanel;
  const mem = new StuckEngine();
  let accountId: number;
  const del = (as: 'admin' | 'reseller') => panel.request('DELETE', `/api/accounts/${accountId}`, { as });

  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'databases'],
      inline: [memoryEnginePlugin(mem)],
    });
    accountId = (await createTestAccount(panel, 'vera')).id;
    const db = await panel.request('POST', '/api/databases', {
      as: 'reseller',
      body: { account_id: accountId, db_name: 'shop', db_password: 'Shop-pass-1234', engine: 'memdb' },
    });
    expect(db.status, JSON.stringify(db.body)).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it("keeps a plain error's text from the reseller and shows it to an admin", async () => {
    mem.dropError = new Error(PLAIN);
    const refused = await del('reseller');
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'VETOED',
      error: "Refused by plugin 'databases': could not drop database vera_shop",
    });
    expect(JSON.stringify(refused.body)).not.toContain('secret-memdb');
    const admin = await del('admin');
    expect(admin.status).toBe(409);
    expect(admin.body.error).toBe(`Refused by plugin 'databases': could not drop database vera_shop: ${PLAIN}`);
  });

  it("names the engine's failure to the reseller, with its detail for an admin only", async () => {
    mem.dropError = errors.externalCommand('memdb-tool failed (exit 1)').withAdminDetail(TOOL);
    const refused = await del('reseller');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe(
      "Refused by plugin 'databases': could not drop database vera_shop: memdb-tool failed (exit 1)",
    );
    expect((await del('admin')).body.error).toBe(`${refused.body.error}: ${TOOL}`);
    // nothing was dropped meanwhile, and the delete goes through once the engine can drop again
    expect((await panel.request('GET', `/api/databases/${accountId}`)).body.data).toHaveLength(1);
    mem.dropError = null;
    expect((await del('reseller')).status).toBe(200);
    expect(mem.databases.size).toBe(0);
  });
});
