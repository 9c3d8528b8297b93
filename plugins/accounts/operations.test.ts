import { describe, expect, it } from 'vitest';
import { createAccountOperations } from './operations.js';

/** A promise and its resolver, to hold work open until the test lets it finish. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((r) => (open = r));
  return { closed, open };
}

describe('account operation lock rules', () => {
  it('a delete stops a registered backup and runs only once the backup has ended', async () => {
    const ops = createAccountOperations();
    const log: string[] = [];
    const backup = ops.claim(7, 'backup');
    const held = gate();
    const started = gate();
    const running = backup.run(async () => {
      log.push('backup');
      started.open();
      await held.closed;
      log.push('backup ended');
    });
    await started.closed;
    let stoppedWith = '';
    backup.attach('job-1', (reason) => (stoppedWith = reason));
    const del = ops.claim(7, 'delete');
    expect(stoppedWith).toBe('Backup cancelled: account 7 is being deleted; the unfinished archive was removed');
    const deleting = del.run(async () => void log.push('delete'));
    held.open();
    await running;
    backup.release();
    await deleting;
    expect(log).toEqual(['backup', 'backup ended', 'delete']);
  });

  it('a backup stopped before its job ran never runs its work', async () => {
    const ops = createAccountOperations();
    const backup = ops.claim(7, 'backup');
    ops.claim(7, 'delete');
    backup.attach('job-1', () => undefined);
    await expect(backup.run(async () => 'walked')).rejects.toThrow(/is being deleted/);
  });

  it('answers 409 naming the registered operation and its job', () => {
    const ops = createAccountOperations();
    ops.claim(1, 'restore').attach('job-r', () => undefined);
    expect(() => ops.claim(1, 'delete')).toThrow(
      'Account 1 has a restore running (job job-r); try again when it has finished',
    );
    ops.claim(2, 'delete');
    expect(() => ops.claim(2, 'backup')).toThrow('Account 2 is being deleted');
    expect(() => ops.claim(2, 'restore')).toThrow('Account 2 is being deleted');
    expect(() => ops.claim(2, 'delete')).toThrow('Account 2 is already being deleted');
    expect(ops.current(1)).toEqual([{ kind: 'restore', jobId: 'job-r' }]);
  });

  it('acquire follows the same rules on a single node (no shared store)', async () => {
    const ops = createAccountOperations();
    (await ops.acquire(4, 'restore')).attach('job-r', () => undefined);
    await expect(ops.acquire(4, 'delete')).rejects.toThrow(
      'Account 4 has a restore running (job job-r); try again when it has finished',
    );
    expect(ops.current(4)).toEqual([{ kind: 'restore', jobId: 'job-r' }]);
  });

  it('lets backups and restores queue behind each other, and frees the account on release', () => {
    const ops = createAccountOperations();
    const a = ops.claim(3, 'backup');
    const b = ops.claim(3, 'restore');
    expect(ops.current(3).map((o) => o.kind)).toEqual(['backup', 'restore']);
    a.release();
    b.release();
    b.release();
    expect(ops.current(3)).toEqual([]);
    expect(() => ops.claim(3, 'delete').release()).not.toThrow();
  });

  it('refuses file changes during a restore, and the restore waits for the changes already under way', async () => {
    const ops = createAccountOperations();
    const log: string[] = [];
    const writing = gate();
    const change = ops.fileChange(5, async () => {
      log.push('write');
      await writing.closed;
      log.push('write ended');
    });
    const restore = ops.claim(5, 'restore');
    restore.attach('job-9', () => undefined);
    await expect(ops.fileChange(5, async () => log.push('late write'))).rejects.toThrow(
      'Account 5 has a restore running (job job-9)',
    );
    const restoring = restore.run(async () => void log.push('restore'));
    writing.open();
    await Promise.all([change, restoring]);
    expect(log).toEqual(['write', 'write ended', 'restore']);
  });
});
