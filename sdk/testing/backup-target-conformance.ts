import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { isPanelError } from '../errors.js';
import type { BackupTarget } from '../points/backup-targets.js';
import { defineConformanceSuite } from './conformance.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** A stream of `size` pseudo-random bytes in uneven pieces, optionally failing after `failAt` bytes. */
function source(data: Buffer, failAt?: number): Readable {
  let pos = 0;
  return new Readable({
    read() {
      if (failAt !== undefined && pos >= failAt) return this.destroy(new Error('source failed on purpose'));
      if (pos >= data.length) return this.push(null);
      const n = Math.min(data.length - pos, 1000 + ((pos * 7919) % 300_000));
      this.push(data.subarray(pos, pos + n));
      pos += n;
    },
  });
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `expected a ${code} error`).not.toBeNull();
  expect(isPanelError(e) ? e.code : (e as Error)?.message).toBe(code);
}

/**
 * The suite every backup target runs unchanged (first-party `local`, `s3`, `sftp` and third-party
 * ones): connection test, put from a stream (atomic, multi-part sized), get as a stream, list,
 * stat, delete, refusal of hostile names, and no leftovers after a failed upload. Names are
 * unique per run, so a shared bucket or directory is fine; the suite removes what it made.
 *
 * @example
 * ```ts
 * backupTargetConformance.run('local', () => localTargetFactory.create({ id: 'local', scope: 'server', ownerId: null, config: { path: dir }, dataDir }));
 * ```
 */
export const backupTargetConformance = defineConformanceSuite<BackupTarget>('backup-targets', (get) => {
  const run = `conf${randomBytes(4).toString('hex')}`;
  const made: string[] = [];
  const name = (label: string) => {
    const n = `${run}-${label}.tar.gz`;
    made.push(n);
    return n;
  };
  afterAll(async () => {
    const t = await get();
    for (const n of made) await t.delete(n).catch(() => undefined);
    await t.close?.();
  });

  it('has an id, a kind and a scope', async () => {
    const t = await get();
    expect(t.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(t.kind).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(['server', 'reseller', 'account']).toContain(t.scope);
  });

  it('passes its connection test', async () => {
    expect(await (await get()).test()).toEqual({ ok: true });
  });

  it('puts a multi-megabyte stream and gets the same bytes back', async () => {
    const t = await get();
    const data = randomBytes(11 * 1024 * 1024 + 333);
    const n = name('big');
    const put = await t.put(n, source(data));
    expect(put).toMatchObject({ name: n, size: data.length });
    const back = await readAll(await t.get(n));
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('stats, lists by prefix and deletes', async () => {
    const t = await get();
    const a = name('a');
    const b = name('b');
    await t.put(a, source(Buffer.from('first')));
    await t.put(b, source(Buffer.alloc(0)));
    const st = await t.stat(a);
    expect(st).toMatchObject({ name: a, size: 5 });
    expect(Number.isNaN(Date.parse(st!.modified))).toBe(false);
    expect(await t.stat(`${run}-missing.tar.gz`)).toBeNull();
    const listed = (await t.list(`${run}-`))
      .filter((o) => o.name === a || o.name === b)
      .sort((x, y) => x.name.localeCompare(y.name));
    expect(listed.map((o) => [o.name, o.size])).toEqual([
      [a, 5],
      [b, 0],
    ]);
    expect((await t.list(`${run}-a`)).map((o) => o.name)).toEqual([a]);
    expect(await t.delete(a)).toBe(true);
    expect(await t.delete(a)).toBe(false);
    expect(await t.stat(a)).toBeNull();
  });

  it('replaces an object put twice under one name', async () => {
    const t = await get();
    const n = name('twice');
    await t.put(n, source(Buffer.from('old content')));
    await t.put(n, source(Buffer.from('new')));
    expect((await readAll(await t.get(n))).toString()).toBe('new');
  });

  it('leaves nothing behind when the source stream fails', async () => {
    const t = await get();
    const n = name('failed');
    await expect(t.put(n, source(randomBytes(6 * 1024 * 1024), 5 * 1024 * 1024 + 1))).rejects.toThrow();
    expect(await t.stat(n)).toBeNull();
    expect((await t.list(`${run}-failed`)).map((o) => o.name)).toEqual([]);
  });

  it('answers not found for a missing object', async () => {
    await rejectsWith((await get()).get(`${run}-nothing.tar.gz`), 'NOT_FOUND');
  });

  it('refuses names that could leave its directory or prefix', async () => {
    const t = await get();
    for (const bad of ['../escape.tar.gz', '/etc/passwd', 'a/b.tar.gz', '.hidden', '', 'x\0y', '..']) {
      await rejectsWith(t.put(bad, source(Buffer.from('x'))), 'VALIDATION');
      await rejectsWith(t.get(bad), 'VALIDATION');
      await rejectsWith(t.stat(bad), 'VALIDATION');
      await rejectsWith(t.delete(bad), 'VALIDATION');
    }
    await rejectsWith(t.list('../'), 'VALIDATION');
  });
});
