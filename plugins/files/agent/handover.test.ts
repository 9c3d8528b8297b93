import { chownSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { O_PATH } from '../sandbox/fd.js';
import { fillAgentFile, sendAgentFile } from './handover.js';
import type { TransferReply } from './protocol.js';

// This process plays the agent: the fds are its own, reopened through /proc/<pid>/fd. What the
// panel may open must stay within what the account (uid/gid below) could open itself, even if
// an agent handed over something else. Root only (files of another owner).
const isRoot = process.getuid?.() === 0;
const account = { uid: 54321, gid: 54321 };
const limits = { rel: '/x', max: null, budget: null, block: 4096, oldDisk: 0, free: 0 };

describe.runIf(isRoot)('the panel side of an agent transfer', () => {
  let dir: string;
  let fds: number[];
  const hold = (file: string, flags: number | string) => {
    const fd = openSync(file, flags);
    fds.push(fd);
    const st = statSync(file);
    return { fd, dev: st.dev, ino: st.ino };
  };
  const replies: TransferReply[] = [];
  const reply = (m: TransferReply) => void replies.push(m);
  const meta = (size: number) => ({
    t: 'meta' as const,
    meta: { status: 200 as const, start: 0, end: size - 1, name: 'x', size, modified: '' },
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vp-handover-'));
    fds = [];
    replies.length = 0;
  });
  afterEach(() => {
    for (const fd of fds) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a file the account may read, and writes a fresh file of its own', async () => {
    const readable = path.join(dir, 'page.html');
    writeFileSync(readable, 'hello', { mode: 0o640 });
    chownSync(readable, 0, account.gid);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await sendAgentFile(
      reply,
      process.pid,
      account,
      { ...meta(5), ...hold(readable, 'r') },
      { output: async () => out },
    );
    expect(Buffer.concat(chunks).toString()).toBe('hello');
    const fresh = path.join(dir, 'upload.part');
    writeFileSync(fresh, '');
    chownSync(fresh, account.uid, account.gid);
    const error = await fillAgentFile(
      reply,
      process.pid,
      account,
      { t: 'fill', limits, ...hold(fresh, 'w') },
      { input: Readable.from([Buffer.from('data')]) },
    );
    expect(error).toBeNull();
    expect(readFileSync(fresh, 'utf8')).toBe('data');
    expect(replies).toEqual([{ t: 'opened' }, { t: 'filled', size: 4 }]);
  });

  it('never reads a file the account could not read, even through an O_PATH descriptor', async () => {
    const secret = path.join(dir, 'shadow');
    writeFileSync(secret, 'root:secret', { mode: 0o600 });
    const out = new PassThrough();
    await expect(
      sendAgentFile(reply, process.pid, account, { ...meta(11), ...hold(secret, O_PATH) }, { output: async () => out }),
    ).rejects.toThrow('another file than it may use');
    expect(replies).toEqual([{ t: 'opened' }]);
  });

  it('never writes into a file that is not a fresh file of the account', async () => {
    const config = path.join(dir, 'config');
    writeFileSync(config, '');
    const error = await fillAgentFile(
      reply,
      process.pid,
      account,
      { t: 'fill', limits, ...hold(config, 'w') },
      { input: Readable.from([Buffer.from('evil')]) },
    );
    expect(error?.message).toMatch('another file than it may use');
    expect(readFileSync(config, 'utf8')).toBe('');
    expect(replies).toMatchObject([{ t: 'filled', size: -1 }]);
  });
});
