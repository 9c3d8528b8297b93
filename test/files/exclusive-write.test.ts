// `POST /api/files/write` with `overwrite: false` only creates: an existing name answers 409 and
// keeps its content (the UI's "New file" relies on it), racing creates leave exactly one winner,
// and the file is the account's own in linux mode. Without the option the seed's overwrite stays.
import { readFileSync, statSync, symlinkSync, writeFileSync, chownSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

describe.each(MODES)('exclusive create through POST /api/files/write (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const write = (p: string, content: string, extra: object = {}) =>
    bed.panel.request('POST', '/api/files/write', { body: { account_id: 1, path: p, content, ...extra }, as: 'user' });
  const file = (rel: string) => path.join(bed.home(1), rel);
  const own = (rel: string) => {
    if (bed.user) chownSync(file(rel), bed.user.uid, bed.user.gid);
  };

  beforeAll(async () => {
    bed = await startModeBed(mode);
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('answers 409 for an existing file and leaves its content, mode and owner as they were', async () => {
    writeFileSync(file('public_html/index.php'), '<?php echo "live site";\n', { mode: 0o640 });
    own('public_html/index.php');
    const before = treeState(bed.home(1));
    const res = await write('/public_html/index.php', '', { overwrite: false });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("'/public_html/index.php' already exists; pass overwrite=true to replace it");
    expect(readFileSync(file('public_html/index.php'), 'utf8')).toBe('<?php echo "live site";\n');
    expect(treeState(bed.home(1))).toEqual(before);
  });

  it('refuses to create over a folder or a link, changing nothing', async () => {
    symlinkSync('/etc/passwd', file('public_html/link.txt'));
    const before = treeState(bed.home(1));
    expect((await write('/public_html', 'x', { overwrite: false })).status).toBe(409);
    const link = await write('/public_html/link.txt', 'x', { overwrite: false });
    expect(link.status).toBe(403);
    expect(link.body.error).toMatch(/is a symbolic link/);
    expect(treeState(bed.home(1))).toEqual(before);
  });

  it('creates a new file owned by the account, with the default mode', async () => {
    const res = await write('/public_html/new.txt', 'fresh\n', { overwrite: false });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ path: '/public_html/new.txt', size: 6 });
    expect(readFileSync(file('public_html/new.txt'), 'utf8')).toBe('fresh\n');
    const st = statSync(file('public_html/new.txt'));
    expect((st.mode & 0o777).toString(8)).toBe('644');
    if (bed.user) expect([st.uid, st.gid]).toEqual([bed.user.uid, bed.user.gid]);
  });

  it('lets exactly one of several racing creates of the same name win, whole', async () => {
    const bodies = Array.from({ length: 6 }, (_, i) => `writer ${i}\n`.repeat(2000));
    const answers = await Promise.all(bodies.map((b) => write('/public_html/race.txt', b, { overwrite: false })));
    const won = answers.flatMap((r, i) => (r.status === 200 ? [i] : []));
    expect(won).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(bodies.length - 1);
    expect(readFileSync(file('public_html/race.txt'), 'utf8')).toBe(bodies[won[0]!]);
  });

  it('keeps the seed behaviour without the option, and refuses a non-boolean option', async () => {
    expect((await write('/public_html/new.txt', 'replaced')).status).toBe(200);
    expect(readFileSync(file('public_html/new.txt'), 'utf8')).toBe('replaced');
    expect((await write('/public_html/new.txt', 'again', { overwrite: true })).status).toBe(200);
    const bad = await write('/public_html/new.txt', 'x', { overwrite: 'no' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^overwrite: must be true or false/);
    expect(readFileSync(file('public_html/new.txt'), 'utf8')).toBe('again');
  });
});
