// Hostile and corrupted archives and manifests: each is refused with its reason before anything
// changes (home, settings, domains, no staging left behind); setuid bits are stripped.
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { ManifestSigner } from '../signing.js';
import { gzipBomb } from '../../../test/fixtures/bombs.js';
import { craftArchive, type CraftEntry, type CraftOptions } from './craft.js';
import { standIns, type StandInState } from '../../../test/backups/stand-ins.js';
import { fillHome, snapshot } from './tree.js';

describe('restoring hostile archives', () => {
  let panel: TestPanel;
  let state: StandInState;
  let home: string;
  let backups: string;
  let n = 0;
  const alice = () => state.accounts.get(1)!;
  const base: CraftEntry[] = [
    { name: 'home', type: '5', mode: 0o750 },
    { name: 'home/public_html', type: '5' },
    { name: 'home/public_html/index.html', data: 'restored page' },
  ];
  // Signed with the panel's own key, so each refusal below proves the check it names.
  const craft = (o: Partial<CraftOptions>) =>
    craftArchive({
      account: { id: 1, username: 'alice', home_dir: home },
      entries: base,
      sign: (m) => signer.sign(m),
      ...o,
    });
  let signer: ManifestSigner;

  beforeAll(async () => {
    const s = standIns();
    state = s.state;
    panel = await startTestPanel({
      plugins: ['backups'],
      inline: s.plugins,
      config: { plugins: { backups: { max_database_dump_mb: 1, verify_after_create: true } } },
    });
    home = state.createAccount({ username: 'alice', disk_quota_mb: 10, reseller_id: 2 }).home_dir;
    state.createAccount({ username: 'bob' });
    fs.writeFileSync(path.join(home, 'public_html/index.html'), 'current page');
    fs.symlinkSync('public_html/index.html', path.join(home, 'link'));
    backups = path.join(panel.dataDir, 'backups');
    signer = new ManifestSigner(path.join(panel.dataDir, 'backups-secrets/manifest.key'));
    fs.mkdirSync(backups, { recursive: true });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  function store(archive: Buffer): string {
    const name = `alice-20250101-0000${String(n++).padStart(2, '0')}.tar.gz`;
    fs.writeFileSync(path.join(backups, name), archive);
    return name;
  }

  async function refused(archive: Buffer, reason: RegExp, as: 'admin' | 'user' = 'admin') {
    const before = snapshot(home);
    const php = structuredClone(state.php.get(1));
    const domains = state.domains.length;
    // Crafting big archives blocks the event loop for seconds; let socket events (a kept-alive
    // connection the server closed meanwhile) be seen before the next request reuses it.
    await new Promise((r) => setTimeout(r, 50));
    const res = await panel.request('POST', `/api/backups/accounts/1/restore/${store(archive)}`, { as });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatch(/^Restore refused: .*Nothing was changed\.$/);
    expect(res.body.error).toMatch(reason);
    expect(snapshot(home)).toEqual(before);
    expect(state.php.get(1)).toEqual(php);
    expect(state.domains.length).toBe(domains);
    expect(fs.readdirSync(path.dirname(home)).filter((f) => f.startsWith('.vp-'))).toEqual([]);
  }

  it('refuses an archive with one flipped byte in its compressed data', async () => {
    fillHome(path.join(home, 'extra'));
    const made = await panel.request('POST', '/api/backups/accounts/1');
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const file = path.join(backups, made.body.data.filename);
    const bytes = fs.readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0x01, middle);
    await refused(bytes, /gzip|checksum|SHA-256/i);
  });

  it('refuses an archive whose content was altered and recompressed (checksums)', async () => {
    const made = await panel.request('POST', '/api/backups/accounts/1');
    const tar = gunzipSync(fs.readFileSync(path.join(backups, made.body.data.filename)));
    const at = tar.indexOf('current page');
    expect(at).toBeGreaterThan(0);
    tar.write('CURRENT', at);
    await refused(gzipSync(tar), /SHA-256 of the home files does not match/);
  });

  it('refuses traversal, absolute names and links or hardlinks leading out', async () => {
    await refused(
      craft({ entries: [...base, { name: 'home/../../etc/cron.d/x', data: '* * * * * root id' }] }),
      /contains '\.\.'/,
    );
    await refused(craft({ entries: [...base, { name: '/etc/passwd', data: 'x' }] }), /absolute path/);
    await refused(
      craft({ entries: [...base, { name: 'home/shadow', type: '2', linkname: '/etc/shadow' }] }),
      /symbolic link home\/shadow points outside the home/,
    );
    await refused(
      craft({ entries: [...base, { name: 'home/public_html/up', type: '2', linkname: '../../..' }] }),
      /points outside the home/,
    );
    await refused(
      craft({
        entries: [
          ...base,
          { name: 'home/a', type: '5' },
          { name: 'home/a/b', type: '5' },
          { name: 'home/a/b/up', type: '2', linkname: '../..' },
          { name: 'home/a/b/x', type: '2', linkname: 'up/..' },
        ],
      }),
      /home\/a\/b\/x points outside/,
    );
    await refused(
      craft({
        entries: [
          ...base,
          { name: 'home/lnk', type: '2', linkname: 'public_html' },
          { name: 'home/lnk/evil.php', data: '<?php' },
        ],
      }),
      /lies under the symbolic link home\/lnk/,
    );
    await refused(
      craft({ entries: [...base, { name: 'home/pw', type: '1', linkname: '/etc/passwd' }] }),
      /hard link.*outside/,
    );
    await refused(
      craft({ entries: [...base, { name: 'home/pw', type: '1', linkname: 'home/public_html/index.html' }] }),
      /hard links are not accepted/,
    );
  });

  it('refuses devices and FIFOs', async () => {
    await refused(craft({ entries: [...base, { name: 'home/null', type: '3' }] }), /device node/);
    await refused(craft({ entries: [...base, { name: 'home/sda', type: '4' }] }), /device node/);
    await refused(craft({ entries: [...base, { name: 'home/pipe', type: '6' }] }), /FIFO/);
  });

  it('refuses an archive larger than the quota and a compression bomb', async () => {
    const tooBig = craft({ entries: [...base, { name: 'home/big.bin', data: Buffer.alloc(11 * 1024 * 1024, 1) }] });
    const bomb = craft({
      databases: [
        { engine: 'mysql', database: 'alice_db', user: 'alice_db', chunks: [Buffer.alloc(100 * 1024 * 1024)] },
      ],
    });
    expect(bomb.length).toBeLessThan(200 * 1024);
    await refused(tooBig, /exceed the account's disk quota \(10 MB\)/);
    await refused(bomb, /expands beyond/);
    // 4 GiB of zeros in 4 MB: an empty tar whose end marker is followed by zeros to the last byte.
    await refused(gzipBomb(4), /more than 1048576 bytes of zeros follow the end of the archive/);
  });

  it('refuses hostile or inconsistent manifests', async () => {
    await refused(
      craft({ manifest: (m) => ({ ...m, account: { ...m.account, injected: 'x' } }) }),
      /manifest: account\.injected: unknown field/,
    );
    await refused(
      craft({
        manifest: (m) => ({
          ...m,
          account: { ...m.account, username: 'bob', home_dir: path.join(path.dirname(home), 'bob') },
        }),
      }),
      /belongs to account bob, not alice/,
    );
    await refused(
      craft({
        entries: [...base, { name: 'home/shadow', type: '2', linkname: '/etc/shadow' }],
        manifest: (m) => ({ ...m, account: { ...m.account, home_dir: '/' } }),
      }),
      /account\.home_dir: must be a normalised home path ending in \/alice/,
    );
    await refused(
      craft({ manifest: (m) => ({ ...m, account: { ...m.account, email: 'a@b.c\nuser = root' } }) }),
      /manifest: account\.email/,
    );
    await refused(
      craft({
        manifest: (m) => ({ ...m, settings: { php: { version: '8.2', mode: 'fpm', ini: { 'user = root\nx': '1' } } } }),
      }),
      /settings\.php: ini\./,
    );
    await refused(
      craft({
        databases: [{ engine: 'mysql', database: 'bob_db', user: 'bob_db', chunks: [Buffer.from('DROP DATABASE x;')] }],
      }),
      /must be named alice_/,
    );
    await refused(
      craft({
        databases: [{ engine: 'mysql', database: 'alice_db', user: 'alice_db', chunks: [Buffer.from('x')] }],
        manifest: (m) => ({ ...m, databases: [{ ...m.databases[0], sha256: '0'.repeat(64) }] }),
      }),
      /SHA-256 of the dump of database alice_db/,
    );
    await refused(
      craft({
        databases: [{ engine: 'mysql', database: 'alice_db', user: 'alice_db', chunks: [Buffer.from('x')] }],
        manifest: (m) => ({ ...m, databases: [] }),
      }),
      /does not list/,
    );
    await refused(craft({ omitManifest: true }), /manifest\.json is missing/);
    await refused(craft({ trailing: [{ name: 'home/late', data: 'x' }] }), /follow manifest\.json/);
    await refused(
      craft({
        manifest: (m) => ({
          ...m,
          domains: [
            { domain_name: 'x.example.com', domain_type: 'addon', document_root: '/../../etc', alias_of: null },
          ],
        }),
      }),
      /document_root: must not contain '\.\.'/,
    );
  });

  it('lets only an administrator restore a backup made of another account id', async () => {
    const foreign = craft({ manifest: (m) => ({ ...m, account: { ...m.account, id: 999 } }) });
    const before = snapshot(home);
    // Recorded as alice's (a file replaced on the target after the panel made it), so the manifest decides.
    const file = store(foreign);
    await panel.kernel
      .knex('backups_archives')
      .insert({ target: 'local', filename: file, account_id: 1, identity: alice().identity, created_at: '' });
    const res = await panel.request('POST', `/api/backups/accounts/1/restore/${file}`, { as: 'user' });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(snapshot(home)).toEqual(before);
  });

  it('strips setuid/setgid, forces safe modes and reports a foreign domain as failed', async () => {
    const archive = craft({
      entries: [
        ...base,
        { name: 'home/suid', data: '#!/bin/sh\n', mode: 0o6755, uid: 0 },
        { name: 'home/sgid-dir', type: '5', mode: 0o2775 },
      ],
      manifest: (m) => ({
        ...m,
        domains: [
          { domain_name: 'bob.example.com', domain_type: 'addon', document_root: '/public_html', alias_of: null },
          { domain_name: 'blog.alice.example.com', domain_type: 'subdomain', document_root: '/blog', alias_of: null },
        ],
      }),
    });
    const res = await panel.request('POST', `/api/backups/accounts/1/restore/${store(archive)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = res.body.data;
    expect(report.status).toBe('partial');
    expect(report.setuid_stripped).toBe(2);
    expect(report.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ item: 'files', status: 'restored' }),
        expect.objectContaining({
          item: 'domain:bob.example.com',
          status: 'failed',
          error: expect.stringMatching(/already exists/),
        }),
        expect.objectContaining({ item: 'domain:blog.alice.example.com', status: 'restored' }),
      ]),
    );
    expect(fs.statSync(path.join(home, 'suid')).mode & 0o7777).toBe(0o755);
    expect(fs.statSync(path.join(home, 'sgid-dir')).mode & 0o7777).toBe(0o775);
    expect(fs.readFileSync(path.join(home, 'public_html/index.html'), 'utf8')).toBe('restored page');
    expect(fs.existsSync(path.join(home, 'link'))).toBe(false);
  });
});
