// A delete that fails past the point of no return on a plain error (here the home cannot be
// removed: its parent is immutable, and Node's error names the home's path) tells the reseller
// which step failed and to repeat the DELETE; only an admin reads the error's own text. A home that
// is no longer a directory under the home base (a link put in its place) is refused at that step,
// its paths told to admins only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, startTestPanel, type TestAccount, type TestPanel } from '../../../sdk/testing/index.js';
import { whileImmutable } from '../../../test/bed/helpers/immutable.js';

describe('an account delete failing at a step on a plain error', () => {
  let panel: TestPanel;
  let dora: TestAccount;
  let homes: string;
  const del = (as: 'admin' | 'reseller', id = dora.id) => panel.request('DELETE', `/api/accounts/${id}`, { as });

  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['accounts', 'domains', 'veloserve'] });
    dora = await createTestAccount(panel, 'dora');
    homes = path.join(panel.dataDir, 'home');
  }, 60_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it("names the step to the reseller, the error's text to an admin only", async () => {
    const said =
      "Deleting account 'dora' failed at step 'home'. The account is marked 'deleting'; repeat the DELETE to finish it.";
    // An immutable home base: even root cannot remove a directory from it.
    const refused = await whileImmutable(homes, async () => [await del('reseller'), await del('admin')]);
    expect(refused[0]).toMatchObject({ status: 500, body: { code: 'INTERNAL', error: said } });
    expect(JSON.stringify(refused[0]!.body)).not.toContain(panel.dataDir);
    expect(refused[1]!.status).toBe(500);
    expect(refused[1]!.body.error).toBe(`${said}: EPERM: operation not permitted, rmdir '${path.join(homes, 'dora')}'`);
    // repeated once the home can go, the delete finishes
    expect((await del('reseller')).status).toBe(200);
  });

  it('refuses to remove what is not a home: why to the reseller, the paths to an admin only', async () => {
    const edna = await createTestAccount(panel, 'edna');
    const home = path.join(homes, 'edna');
    const kept = path.join(homes, '.edna-kept');
    fs.renameSync(home, kept);
    fs.symlinkSync(kept, home);
    const said =
      "Deleting account 'edna' failed at step 'home': Refusing to remove the account's home: it is not a home directory under the home base. The account is marked 'deleting'; repeat the DELETE to finish it.";
    const reseller = await del('reseller', edna.id);
    expect(reseller).toMatchObject({ status: 500, body: { code: 'INTERNAL', error: said } });
    expect(JSON.stringify(reseller.body)).not.toContain(panel.dataDir);
    const admin = await del('admin', edna.id);
    expect(admin.status).toBe(500);
    expect(admin.body.error).toBe(`${said}: ${home} is not a home directory under ${homes}`);
    // the link was left alone, and so was what it points to
    expect(fs.readlinkSync(home)).toBe(kept);
    fs.unlinkSync(home);
    fs.renameSync(kept, home);
    expect((await del('reseller', edna.id)).status).toBe(200);
  });
});
