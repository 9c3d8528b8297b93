// Hostile class 8: archives with `../`, absolute names, symlink, hardlink, device, FIFO and
// setuid members, a compression bomb over the quota; plus the everyday compress/extract paths.
import { chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarGz, zip, type TarMember, type ZipMember } from './archive-fixtures.js';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

const GOOD: TarMember = { name: 'site/index.html', data: '<h1>ok</h1>' };
const HOSTILE_TAR: [string, TarMember, RegExp][] = [
  ['dot-dot', { name: '../evil.txt', data: 'x' }, /archive member '\.\.\/evil\.txt': must not contain '\.\.'/],
  ['nested dot-dot', { name: 'site/../../evil.txt', data: 'x' }, /must not contain '\.\.'/],
  ['absolute', { name: '/etc/cron.d/evil', data: 'x' }, /archive member '\/etc\/cron\.d\/evil' has an absolute name/],
  [
    'symlink',
    { name: 'site/shadow', type: 'symlink', linkname: '/etc/shadow' },
    /archive member 'site\/shadow' is a symbolic link/,
  ],
  [
    'hardlink',
    { name: 'site/shadow', type: 'link', linkname: '/etc/shadow' },
    /archive member 'site\/shadow' is a hard link/,
  ],
  ['char device', { name: 'site/mem', type: 'character-device' }, /is a device node/],
  ['block device', { name: 'site/sda', type: 'block-device' }, /is a device node/],
  ['fifo', { name: 'site/pipe', type: 'fifo' }, /is a FIFO/],
  [
    'setuid',
    { name: 'site/sh', data: '#!/bin/sh', mode: 0o4755 },
    /archive member 'site\/sh' has setuid, setgid or sticky bits/,
  ],
  ['setgid dir', { name: 'site/g/', type: 'directory', mode: 0o2775 }, /setuid, setgid or sticky/],
];
const HOSTILE_ZIP: [string, ZipMember, RegExp][] = [
  ['dot-dot', { name: '../evil.txt', data: 'x' }, /invalid relative path: \.\.\/evil\.txt|must not contain '\.\.'/],
  ['absolute', { name: '/etc/evil', data: 'x' }, /absolute path: \/etc\/evil|absolute name/],
  ['symlink', { name: 'site/shadow', data: '/etc/shadow', mode: 0o120777 }, /is a symbolic link/],
  ['device', { name: 'site/mem', mode: 0o020644 }, /is a device node/],
  ['setuid', { name: 'site/sh', data: '#!/bin/sh', mode: 0o104755 }, /setuid, setgid or sticky/],
];

describe.each(MODES)('archive extraction policy (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const place = (name: string, data: Buffer) => {
    writeFileSync(path.join(bed.home(1), name), data);
    if (bed.user) chownSync(path.join(bed.home(1), name), bed.user.uid, bed.user.gid);
  };
  const extract = (p: string, destination: string) =>
    bed.panel.request('POST', '/api/files/extract', { body: { account_id: 1, path: p, destination }, as: 'user' });

  beforeAll(async () => {
    bed = await startModeBed(mode, { quotaMb: 10 });
  });
  afterAll(async () => {
    await bed.stop();
  });

  it.each(HOSTILE_TAR)('refuses a .tar.gz with a %s member, writing nothing', async (label, member, message) => {
    place('bad.tar.gz', await tarGz([GOOD, member, { name: 'site/after.txt', data: 'y' }]));
    const before = treeState(bed.root, bed.home(1), '/etc/cron.d');
    for (const destination of ['/public_html', '/new-folder']) {
      const res = await extract('/bad.tar.gz', destination);
      expect(res.status, label).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    expect(treeState(bed.root, bed.home(1), '/etc/cron.d')).toEqual(before);
    expect(existsSync(path.join(bed.home(1), '..', 'evil.txt'))).toBe(false);
  });

  it.each(HOSTILE_ZIP)('refuses a .zip with a %s member, writing nothing', async (label, member, message) => {
    place('bad.zip', zip([{ name: 'site/index.html', data: 'ok' }, member]));
    const before = treeState(bed.root, bed.home(1));
    const res = await extract('/bad.zip', '/public_html');
    expect(res.status, label).toBe(400);
    expect(res.body.error).toMatch(message);
    expect(treeState(bed.root, bed.home(1))).toEqual(before);
  });

  it('refuses a compression bomb larger than the free quota before writing', async () => {
    place('bomb.tar.gz', await tarGz([{ name: 'zeros.bin', zeros: 64 * 1024 * 1024 }]));
    expect(statSync(path.join(bed.home(1), 'bomb.tar.gz')).size).toBeLessThan(1024 * 1024);
    const before = treeState(bed.root, bed.home(1));
    const res = await extract('/bomb.tar.gz', '/public_html');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/^Disk quota exceeded: '\/public_html' needs 64\.0 MB but only \d+\.\d MB/);
    expect(treeState(bed.root, bed.home(1))).toEqual(before);
  });

  it('refuses files that are not archives, and archives posing as another format', async () => {
    place('notes.txt', Buffer.from('hello'));
    place('fake.zip', Buffer.from('not a zip at all'));
    let res = await extract('/notes.txt', '/x');
    expect(res.status).toBe(415);
    res = await extract('/fake.zip', '/x');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/is not really a zip file/);
  });

  it('extracts a clean .tar.gz into a new folder and a clean .zip into an existing one', async () => {
    place(
      'site.tar.gz',
      await tarGz([
        { name: './', type: 'directory', mode: 0o755 },
        { name: 'site/', type: 'directory', mode: 0o750 },
        { name: 'site/index.html', data: '<h1>tar</h1>', mode: 0o640 },
        { name: 'site/cgi/run.sh', data: 'echo', mode: 0o755 },
      ]),
    );
    let res = await extract('/site.tar.gz', '/unpacked');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      job_id: null,
      path: '/site.tar.gz',
      destination: '/unpacked',
      members: 3,
      bytes: 16,
    });
    const out = path.join(bed.home(1), 'unpacked');
    expect(readFileSync(path.join(out, 'site/index.html'), 'utf8')).toBe('<h1>tar</h1>');
    expect(statSync(path.join(out, 'site/index.html')).mode & 0o7777).toBe(0o640);
    expect(statSync(path.join(out, 'site/cgi/run.sh')).mode & 0o7777).toBe(0o755);
    if (bed.user) expect(statSync(path.join(out, 'site/index.html')).uid).toBe(bed.user.uid);
    place(
      'more.zip',
      zip([
        { name: 'docs/', mode: 0o40755 },
        { name: 'docs/a.txt', data: 'zip a' },
      ]),
    );
    res = await extract('/more.zip', '/unpacked');
    expect(res.status).toBe(200);
    expect(readFileSync(path.join(out, 'docs/a.txt'), 'utf8')).toBe('zip a');
    res = await extract('/more.zip', '/unpacked');
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("'/unpacked/docs' already exists; extract into an empty or new folder");
  });

  it('compresses a selection and extracts it back identically', async () => {
    let res = await bed.panel.request('POST', '/api/files/compress', {
      body: { account_id: 1, paths: ['/unpacked/site', '/unpacked/docs'], destination: '/backup.tgz' },
      as: 'user',
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ job_id: null, path: '/backup.tgz', files: 3, folders: 3, skipped_links: 0 });
    res = await extract('/backup.tgz', '/restored');
    expect(res.status).toBe(200);
    expect(readFileSync(path.join(bed.home(1), 'restored/site/index.html'), 'utf8')).toBe('<h1>tar</h1>');
    expect(readFileSync(path.join(bed.home(1), 'restored/docs/a.txt'), 'utf8')).toBe('zip a');
    res = await bed.panel.request('POST', '/api/files/compress', {
      body: { account_id: 1, paths: ['/restored'], destination: '/backup.tgz' },
      as: 'user',
    });
    expect(res.status).toBe(409);
  });
});
