// The offset and rotation logic of the bandwidth collector on real files: positions move past
// complete lines only, a truncated log is read from its start, a renamed log's tail is read where
// the rotation put it and the new file from its start, and nothing is read twice.
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
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

  it('sums bytes per calendar month and stops before a line still being written', () => {
    writeFileSync(log, line(DEC, 100) + line(DEC + 5, 50) + line(JAN, 7) + 'garbage line\n' + `${JAN} 99`);
    const r = readLog(log, 0, 1 << 20);
    expect(Object.fromEntries(r.bytes)).toEqual({ '2026-12': 150, '2027-01': 7 });
    expect(r.end).toBe(Buffer.byteLength(line(DEC, 100) + line(DEC + 5, 50) + line(JAN, 7) + 'garbage line\n'));
    expect(r.finished).toBe(true);
    expect(periodOf(JAN * 1000)).toBe('2027-01');
  });

  it('goes on from the stored offset and counts nothing twice', () => {
    writeFileSync(log, line(DEC, 100));
    const first = stepLog(log, null, 1 << 20);
    expect(total(first.reads)).toBe(100);
    appendFileSync(log, line(DEC, 30));
    const second = stepLog(log, first.next, 1 << 20);
    expect(total(second.reads)).toBe(30);
    const third = stepLog(log, second.next, 1 << 20);
    expect(total(third.reads)).toBe(0);
    expect(third.next).toEqual(second.next);
  });

  it('reads a log truncated in place (copytruncate) from its start', () => {
    writeFileSync(log, line(DEC, 100) + line(DEC, 100));
    const first = stepLog(log, null, 1 << 20);
    truncateSync(log, 0);
    appendFileSync(log, line(DEC, 5));
    const second = stepLog(log, first.next, 1 << 20);
    expect(total(second.reads)).toBe(5);
    expect(second.next!.inode).toBe(first.next!.inode);
  });

  it('after a rename and a new file: the old file tail where it went, then the new file from 0', () => {
    writeFileSync(log, line(DEC, 100));
    const first = stepLog(log, null, 1 << 20);
    appendFileSync(log, line(DEC, 40)); // written after the last collection, before the rotation
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 8));
    const second = stepLog(log, first.next, 1 << 20);
    expect(second.reads.map((r) => total([r]))).toEqual([40, 8]);
    expect(second.next!.inode).not.toBe(first.next!.inode);
    expect(second.notes).toEqual([]);
    expect(total(stepLog(log, second.next, 1 << 20).reads)).toBe(0);
  });

  it('while renamed and not yet replaced, keeps following the old file by inode', () => {
    writeFileSync(log, line(DEC, 100));
    const first = stepLog(log, null, 1 << 20);
    renameSync(log, `${log}-20261207`);
    appendFileSync(`${log}-20261207`, line(DEC, 11)); // the server still writes to the renamed file
    const second = stepLog(log, first.next, 1 << 20);
    expect(total(second.reads)).toBe(11);
    expect(second.next).toEqual({ inode: first.next!.inode, offset: first.next!.offset + line(DEC, 11).length });
  });

  it('says so when the rotated file is gone (compressed or deleted) and reads the new one', () => {
    writeFileSync(log, line(DEC, 100));
    const first = stepLog(log, null, 1 << 20);
    renameSync(log, `${log}.1.gz`);
    writeFileSync(log, line(DEC, 3));
    const second = stepLog(log, first.next, 1 << 20);
    expect(total(second.reads)).toBe(3);
    expect(second.notes[0]).toMatch(/rotated file was not found/);
  });

  it('takes a backlog in bounded steps and finishes a rotated file before the new one', () => {
    writeFileSync(log, line(DEC, 1).repeat(10));
    const size = line(DEC, 1).length;
    let pos: LogPosition | null = null;
    let counted = 0;
    for (let i = 0; i < 4; i++) {
      const s = stepLog(log, pos, size * 3);
      counted += total(s.reads);
      pos = s.next;
    }
    expect(counted).toBe(10);
    const before = pos!;
    appendFileSync(log, line(DEC, 1).repeat(4));
    renameSync(log, `${log}.1`);
    writeFileSync(log, line(DEC, 1000));
    const capped = stepLog(log, before, size * 3);
    expect(total(capped.reads)).toBe(3);
    expect(capped.next!.inode).toBe(before.inode);
    const rest = stepLog(log, capped.next, size * 3);
    expect(rest.reads.map((r) => total([r]))).toEqual([1, 1000]);
  });
});
