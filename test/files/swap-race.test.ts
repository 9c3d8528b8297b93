// Hostile class 7 (time of check to time of use): while operations run, another process keeps
// swapping a folder of the home for a symlink to a folder outside it. A bounded race loop.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

const MARK = 'OUTSIDE-THE-HOME';
// Swaps <work>/sub for a link to <outside> and back, a bounded number of times.
const RACER = `
const fs = require('node:fs');
const [work, outside, rounds] = process.argv.slice(1);
for (let i = 0; i < Number(rounds); i++) {
  try { fs.renameSync(work + '/sub', work + '/sub.real'); fs.symlinkSync(outside, work + '/sub');
        fs.unlinkSync(work + '/sub'); fs.renameSync(work + '/sub.real', work + '/sub'); } catch {}
}`;

function files(dir: string): string[] {
  if (!existsSync(dir) || lstatSync(dir).isSymbolicLink()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : [],
  );
}

describe.each(MODES)('a folder swapped for a symlink during operations (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  let outside: string;
  let before: Record<string, string>;
  const rounds = mode === 'linux' ? 4 : 25;
  const call = (method: string, route: string, body: object) =>
    bed.panel.request(method, `/api/files/${route}`, { body: { account_id: 1, ...body }, as: 'user' });

  beforeAll(async () => {
    bed = await startModeBed(mode);
    outside = path.join(bed.root, 'outside');
    for (const f of ['a.txt', 'tree/x/y.txt', 'tree/z.txt']) {
      mkdirSync(path.dirname(path.join(outside, f)), { recursive: true });
      writeFileSync(path.join(outside, f), `${MARK} ${f}\n`, { mode: 0o644 });
    }
    const sub = path.join(bed.home(1), 'work', 'sub');
    for (let i = 0; i < 40; i++) {
      mkdirSync(path.join(sub, 'tree', `d${i % 5}`), { recursive: true });
      writeFileSync(path.join(sub, 'tree', `d${i % 5}`, `f${i}.txt`), `inside ${i}\n`);
    }
    writeFileSync(path.join(sub, 'a.txt'), 'inside a\n');
    if (bed.user)
      execFileSync('chown', ['-R', `${bed.user.uid}:${bed.user.gid}`, '--', path.join(bed.home(1), 'work')]);
    before = treeState(outside);
  });
  afterAll(async () => {
    await bed.stop();
  });

  it(`keeps every operation inside the home over ${rounds} rounds of racing`, async () => {
    const work = path.join(bed.home(1), 'work');
    const racer = spawn(process.execPath, ['-e', RACER, work, outside, '200000'], {
      stdio: 'ignore',
      ...(bed.user ? { uid: bed.user.uid, gid: bed.user.gid } : {}),
    });
    const exited = new Promise((r) => racer.once('exit', r));
    const statuses = new Set<number>();
    const bodies: string[] = [];
    try {
      for (let i = 0; i < rounds; i++) {
        const results = await Promise.all([
          call('POST', 'chmod', { path: '/work/sub/a.txt', mode: '600' }),
          call('POST', 'write', { path: `/work/sub/new-${i}.txt`, content: 'written' }),
          bed.panel.request('GET', '/api/files/read?account_id=1&path=/work/sub/a.txt', { as: 'user' }),
          bed.panel.request('GET', '/api/files/list?account_id=1&path=/work/sub/tree', { as: 'user' }),
          call('POST', 'copy', { from: '/work', to: `/copy-${i}` }),
          call('POST', 'compress', { paths: ['/work'], destination: `/w-${i}.tar.gz` }),
          call('DELETE', 'delete', { path: '/work/sub/tree' }),
          call('POST', 'mkdir', { path: '/work/sub/tree/again' }),
        ]);
        for (const r of results) {
          statuses.add(r.status);
          bodies.push(JSON.stringify(r.body));
        }
      }
      const last = await call('DELETE', 'delete', { path: '/work' });
      statuses.add(last.status);
    } finally {
      racer.kill('SIGKILL');
      await exited;
    }
    expect(
      [...statuses].filter((s) => ![200, 403, 404, 409].includes(s)),
      bodies.filter((b) => !/"ok":true|"code":"(FORBIDDEN|NOT_FOUND|CONFLICT)"/.test(b)).join('\n'),
    ).toEqual([]);
    expect(treeState(outside)).toEqual(before);
    expect(bodies.join('\n')).not.toContain(MARK);
    const home = bed.home(1);
    for (const f of files(home)) {
      if (f.endsWith('.tar.gz')) expect(execFileSync('tar', ['-xzOf', f], { encoding: 'utf8' }), f).not.toContain(MARK);
      else expect(readFileSync(f, 'utf8'), f).not.toContain(MARK);
    }
    if (existsSync(path.join(home, 'work'))) rmSync(path.join(home, 'work'), { recursive: true, force: true });
    if (bed.user) chownSync(home, bed.user.uid, bed.user.gid);
  }, 600_000); // each linux-mode operation spawns a child as the account: slow on a loaded machine
});
