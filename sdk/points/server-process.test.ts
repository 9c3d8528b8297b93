// childPids reads the kernel's children list of a process (no scan of every process on the
// machine): a shell's two background children are found, a child that exited is not, and a
// process that is gone has none.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { childPids, isAlive } from './server-process.js';

describe('childPids', () => {
  it('lists live children only, and none for a process that is gone', async () => {
    // Two sleepers, then one short-lived child that exits (and is reaped by `wait $!`).
    const sh = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 30 & true & wait $!; echo ready; read x'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve) => sh.stdout!.once('data', () => resolve()));
    const kids = childPids(sh.pid!);
    expect(kids.size).toBe(2);
    for (const k of kids) expect(isAlive(k)).toBe(true);
    for (const k of kids) process.kill(k);
    sh.kill();
    await new Promise((r) => sh.once('exit', r));
    for (let i = 0; i < 100 && isAlive(sh.pid!); i++) await sleep(10);
    expect(childPids(sh.pid!).size).toBe(0);
  });
});
