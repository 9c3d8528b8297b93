import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecService } from '../../sdk/index.js';
import { testMaster, type FpmMaster } from './master.js';

/**
 * `php-fpm -t` of the master configuration as it will be once `changes` are made, before any of
 * them touches the pool directory: a copy of the master config whose include of the pool directory
 * points at a staged one (the other pools linked, the new ones written, the removed ones left out).
 * One test where a pool test and a master test after the swap took two (each loads every PHP
 * extension: 100–300 ms here), and nothing untested is ever in the live directory. Null when the
 * master config does not include the pool directory by one plain absolute `include` line (the
 * caller then tests the pools alone and the master after the swap, as before).
 */
export async function testStaged(
  exec: ExecService,
  m: FpmMaster,
  changes: { file: string; content: string | null }[],
): Promise<{ ok: boolean; message: string } | null> {
  if (!m.config) return null;
  let text: string;
  try {
    text = readFileSync(m.config, 'utf8');
  } catch {
    return null;
  }
  const glob = path.join(m.poolDir, '*.conf');
  const includes = [...text.matchAll(/^[ \t]*include[ \t]*=[ \t]*(\S+)[ \t]*$/gm)];
  const ours = includes.filter((i) => i[1] === glob);
  if (ours.length !== 1 || includes.length !== 1) return null;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'velopanel-fpm-staged-'));
  try {
    // The master config beside the staged pool directory, not in it (its glob would include it).
    const pools = path.join(tmp, 'pool.d');
    mkdirSync(pools);
    const changed = new Map(changes.map((c) => [c.file, c.content]));
    for (const name of readdirSync(m.poolDir))
      if (name.endsWith('.conf') && !changed.has(name)) symlinkSync(path.join(m.poolDir, name), path.join(pools, name));
    for (const [name, content] of changed)
      if (content !== null) writeFileSync(path.join(pools, name), content, { mode: 0o600 });
    const conf = path.join(tmp, 'php-fpm.conf');
    writeFileSync(conf, text.replace(ours[0]![0], `include = ${path.join(pools, '*.conf')}`), { mode: 0o600 });
    return await testMaster(exec, m, conf);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
