// Planted archives (issue 16, item 9): a file put on a target by anyone but this panel — unsigned,
// signed with another panel's key, or signed and then edited — is refused on restore with the
// reason and nothing changed; an admin may still restore it with allow_unsigned, nobody else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestSigner } from '../../plugins/backups/signing.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { craftArchive, type CraftEntry, type CraftOptions } from './craft.js';
import { standIns, type StandInState } from './stand-ins.js';
import { snapshot } from './tree.js';

describe('restoring an archive this panel did not sign', () => {
  let panel: TestPanel;
  let state: StandInState;
  let home: string;
  let backups: string;
  let ours: ManifestSigner;
  let n = 0;
  const foreignKeyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-foreign-key-'));
  const theirs = new ManifestSigner(path.join(foreignKeyDir, 'manifest.key'));
  const entries: CraftEntry[] = [
    { name: 'home', type: '5', mode: 0o750 },
    { name: 'home/public_html', type: '5' },
    { name: 'home/public_html/index.html', data: 'planted page' },
  ];
  const craft = (o: Partial<CraftOptions> = {}) =>
    craftArchive({
      account: { id: 1, username: 'alice', home_dir: home, identity: state.accounts.get(1)!.identity },
      entries,
      ...o,
    });

  beforeAll(async () => {
    const s = standIns();
    state = s.state;
    panel = await startTestPanel({ plugins: ['backups'], inline: s.plugins });
    home = state.createAccount({ username: 'alice', reseller_id: 2 }).home_dir;
    fs.writeFileSync(path.join(home, 'public_html/index.html'), 'real page');
    backups = path.join(panel.dataDir, 'backups');
    ours = new ManifestSigner(path.join(panel.dataDir, 'backups-secrets/manifest.key'));
    // The first backup makes the key and records alice as the account backed up under her name.
    const made = await panel.request('POST', '/api/backups/accounts/1');
    expect(made.status, JSON.stringify(made.body)).toBe(200);
  });
  afterAll(async () => {
    await panel?.stop();
    fs.rmSync(foreignKeyDir, { recursive: true, force: true });
  });

  function plant(archive: Buffer): string {
    const name = `alice-20250101-0000${String(n++).padStart(2, '0')}.tar.gz`;
    fs.writeFileSync(path.join(backups, name), archive);
    return name;
  }

  async function refused(file: string, as: 'admin' | 'reseller' | 'user', status: number, reason: RegExp, query = '') {
    const before = snapshot(home);
    const res = await panel.request('POST', `/api/backups/accounts/1/restore/${file}${query}`, { as });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error).toMatch(reason);
    expect(snapshot(home)).toEqual(before);
  }

  it('keeps the signing key private in the data dir', () => {
    expect(fs.statSync(path.join(panel.dataDir, 'backups-secrets/manifest.key')).mode & 0o777).toBe(0o600);
  });

  /** A file put on the target in place of one of alice's own backups (the panel's record says it is hers). */
  async function replaceOwn(archive: Buffer): Promise<string> {
    const made = await panel.request('POST', '/api/backups/accounts/1');
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    fs.writeFileSync(path.join(backups, made.body.data.filename), archive);
    return made.body.data.filename;
  }

  it('refuses an unsigned archive, saying why and how an admin may override', async () => {
    const file = await replaceOwn(craft());
    for (const as of ['admin', 'reseller', 'user'] as const)
      await refused(
        file,
        as,
        400,
        /^Restore refused: the archive is not signed .*allow_unsigned=true\. Nothing was changed\.$/,
      );
  });

  it("refuses an archive signed with another panel's key", async () => {
    const file = await replaceOwn(craft({ sign: (m) => theirs.sign(m) }));
    await refused(
      file,
      'admin',
      400,
      new RegExp(`signed with another key \\(key id ${theirs.keyId()}\\), not this panel's \\(${ours.keyId()}\\)`),
    );
    await refused(file, 'user', 400, /signed with another key/);
  });

  it('refuses a manifest changed after this panel signed it', async () => {
    const file = await replaceOwn(
      craft({ sign: (m) => ({ ...ours.sign(m), value: ours.sign({ ...m, warnings: ['edited'] }).value }) }),
    );
    await refused(file, 'user', 400, /does not match its signature/);
  });

  it('shows a file nobody here made to admins only, and refuses it unsigned', async () => {
    const file = plant(craft());
    for (const as of ['reseller', 'user'] as const) {
      const list = await panel.request('GET', '/api/backups/accounts/1', { as });
      expect(list.body.data.map((b: { filename: string }) => b.filename)).not.toContain(file);
      await refused(file, as, 404, /not found/);
    }
    const list = await panel.request('GET', '/api/backups/accounts/1');
    expect(list.body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ filename: file, account_id: null })]),
    );
    await refused(file, 'admin', 400, /the archive is not signed/);
  });

  it('refuses allow_unsigned from anyone but an admin, changing nothing', async () => {
    const file = plant(craft());
    await refused(file, 'user', 403, /allow_unsigned: only an administrator/, '?allow_unsigned=true');
    await refused(file, 'reseller', 403, /allow_unsigned: only an administrator/, '?allow_unsigned=true');
  });

  it('restores an unsigned or foreign-signed archive when an admin passes allow_unsigned', async () => {
    for (const archive of [craft(), craft({ sign: (m) => theirs.sign(m) })]) {
      fs.writeFileSync(path.join(home, 'public_html/index.html'), 'real page');
      const res = await panel.request('POST', `/api/backups/accounts/1/restore/${plant(archive)}?allow_unsigned=true`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data.status).toBe('complete');
      expect(fs.readFileSync(path.join(home, 'public_html/index.html'), 'utf8')).toBe('planted page');
    }
  });

  it("restores the panel's own signed backups for the account's user", async () => {
    fs.writeFileSync(path.join(home, 'public_html/index.html'), 'signed page');
    const made = await panel.request('POST', '/api/backups/accounts/1', { as: 'user' });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    fs.writeFileSync(path.join(home, 'public_html/index.html'), 'changed later');
    const res = await panel.request('POST', `/api/backups/accounts/1/restore/${made.body.data.filename}`, {
      as: 'user',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(fs.readFileSync(path.join(home, 'public_html/index.html'), 'utf8')).toBe('signed page');
  });
});
