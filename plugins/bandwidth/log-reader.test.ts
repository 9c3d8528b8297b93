// The offset and rotation logic of the bandwidth collector on real files: positions move past
// complete lines only, a truncated log is read from its start, a renamed log's tail is read where
// the rotation put it and the new file from its start, and nothing is read twice.
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { periodOf, readLog, stepLog, type LogPosition } from './log-reader.js';

const DEC = Date.UTC(2026, 11, 7) / 1000;
const JAN = Date.UTC(2027, 0, 1) / 1000;
const line = (sec: number, bytes: number) => `${sec}.250 ${bytes} 200 a.test\n`;
const total = (reads: { bytes: Map<string, number> }[]) =>
  reads.reduce((n, r) => n + [...r.bytes.values()].reduce((a, b) => a + b, 0), 0);

describe('bandwidth log reader', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bw-reader-'));
    log = path.join(dir, '1_a.test.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sums bytes per calendar month and stops before a line still being written', async () => {
    writeFileSync(log, line(DEC, 100) + line(DEC + 5, 50) + line(JAN, 7) + 'garbage line\n' + `${JAN} 99`);
    const r = readLog(log, 0, 1 << 20);
    expect(Object.fromEntries(r.bytes)).toEqual({ '2026-12': 150, '2027-01': 7 });
    expect(r.end).toBe(Buffer.byteLength(line(DEC, 100) + line(DEC + 5, 50) + line(JAN, 7) + 'garbage line\n'));
    expect(r.finished).toBe(true);
    expect(periodOf(JAN * 1000)).toBe('2027-01');
  });

  it('goes on from the stored offset and counts nothing twice', async () => {
    writeFileSync(log, line(DEC, 100));
    const first = await stepLog(log, null, 1 << 20);
    expect(total(first.reads)).toBe(100);
    appendFileSync(log, line(DEC, 30));
    const second = await stepLog(log, first.next, 1 << 20);
    expect(total(second.reads)).toBe(30);
    const third = await stepLog(log, second.next, 1 << 20);
    expect(total(third.reads)).toBe(0);
    expect(third.next).toEqual(second.next);
  });

  it('reads a log truncated in place (copytruncate) from its start', async () => {
    writeFileSync(log, line(DEC, 100) + line(DEC, 100));
    const first = await stepLog(log, null, 1 << 20);
    truncateSync(log, 0);
    appendFileSync(log, line(DEC, 5));
    const second = await stepLog(log, first.next, 1 << 20);
    expect(total(second.reads)).toBe(5);
    expect(second.next!.inode).toBe(first.next!.inode);
  });

  it('after a rename and a new file: the old file tail where it went, then the new file from 0', async () => {
    writeFileSync(log, line(DEC, 100));
    const first = await stepLog(log, null, 1 << 20);
    appendFileSync(log, line(DEC, 40)); // written after the last collection, before the rotation
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 8));
    const second = await stepLog(log, first.next, 1 << 20);
    expect(second.reads.map((r) => total([r]))).toEqual([40, 8]);
    expect(second.next!.inode).not.toBe(first.next!.inode);
    expect(second.notes).toEqual([]);
    expect(total((await stepLog(log, second.next, 1 << 20)).reads)).toBe(0);
  });

  it('while renamed and not yet replaced, keeps following the old file by inode', async () => {
    writeFileSync(log, line(DEC, 100));
    const first = await stepLog(log, null, 1 << 20);
    renameSync(log, `${log}-20261207`);
    appendFileSync(`${log}-20261207`, line(DEC, 11)); // the server still writes to the renamed file
    const second = await stepLog(log, first.next, 1 << 20);
    expect(total(second.reads)).toBe(11);
    expect(second.next).toMatchObject({ inode: first.next!.inode, offset: first.next!.offset + line(DEC, 11).length });
  });

  it('says so when the rotated file is gone (compressed or deleted) and reads the new one', async () => {
    writeFileSync(log, line(DEC, 100));
    const first = await stepLog(log, null, 1 << 20);
    renameSync(log, `${log}.1.gz`);
    writeFileSync(log, line(DEC, 3));
    const second = await stepLog(log, first.next, 1 << 20);
    expect(total(second.reads)).toBe(3);
    expect(second.notes[0]).toMatch(/rotated file was not found/);
  });

  it('takes a backlog in bounded steps and finishes a rotated file before the new one', async () => {
    writeFileSync(log, line(DEC, 1).repeat(10));
    const size = line(DEC, 1).length;
    let pos: LogPosition | null = null;
    let counted = 0;
    for (let i = 0; i < 4; i++) {
      const s = await stepLog(log, pos, size * 3);
      counted += total(s.reads);
      pos = s.next;
    }
    expect(counted).toBe(10);
    const before = pos!;
    appendFileSync(log, line(DEC, 1).repeat(4));
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 1000));
    const capped = await stepLog(log, before, size * 3);
    expect(total(capped.reads)).toBe(3);
    expect(capped.next!.inode).toBe(before.inode);
    const rest = await stepLog(log, capped.next, size * 3);
    expect(rest.reads.map((r) => total([r]))).toEqual([1, 1000]);
  });

  /** logrotate with `compress`: the file is gzipped into a new file and the original removed. */
  const gzip = (from: string, to: string) => {
    writeFileSync(to, gzipSync(readFileSync(from)));
    rmSync(from);
  };

  it('after two rotations: the stored file (.2) from its offset, the one between (.1) whole, then the new one', async () => {
    writeFileSync(log, line(DEC, 100));
    const first = await stepLog(log, null, 1 << 20);
    appendFileSync(log, line(DEC, 40));
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 7) + line(DEC, 6));
    renameSync(`${log}.1`, `${log}.2`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 5));
    const second = await stepLog(log, first.next, 1 << 20);
    expect(second.reads.map((r) => total([r]))).toEqual([40, 13, 5]);
    expect(second.notes).toEqual([]);
    expect(total((await stepLog(log, second.next, 1 << 20)).reads)).toBe(0);
  });

  it('finds the stored file in its gzipped copy by the fingerprint of its start, and reads its remainder', async () => {
    writeFileSync(log, line(DEC, 100));
    const first = await stepLog(log, null, 1 << 20);
    expect(first.next).toMatchObject({ fp_len: line(DEC, 100).length, fp: expect.stringMatching(/^[0-9a-f]{64}$/) });
    appendFileSync(log, line(DEC, 40));
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 7));
    gzip(`${log}.1`, `${log}.2.gz`); // delaycompress: the older copy is compressed at the next rotation
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 5));
    const second = await stepLog(log, first.next, 1 << 20);
    expect(second.reads.map((r) => total([r]))).toEqual([40, 7, 5]);
    expect(second.notes).toEqual([]);
    // both rotated copies compressed by the time of the next run: nothing counted twice
    appendFileSync(log, line(DEC, 2));
    renameSync(log, `${log}.x`);
    gzip(`${log}.1`, `${log}.3.gz`);
    renameSync(`${log}.x`, `${log}.1`);
    writeFileSync(log, line(DEC, 1));
    const third = await stepLog(log, second.next, 1 << 20);
    expect(third.reads.map((r) => total([r]))).toEqual([2, 1]);
  });

  it('reads none of the chain when the stored file is nowhere in it, and says so', async () => {
    writeFileSync(log, line(DEC, 100));
    const first = await stepLog(log, null, 1 << 20);
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 9));
    renameSync(`${log}.1`, `${log}.2.bz2`); // a compression the collector does not read
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 5));
    const second = await stepLog(log, first.next, 1 << 20);
    expect(second.reads.map((r) => total([r]))).toEqual([5]);
    expect(second.notes[0]).toMatch(/rotated file was not found .*in any file rotated since, are not counted/);
  });
});
