import { describe, expect, it } from 'vitest';
import { commandOutput } from '../sdk/exec.js';
import type { PanelError } from './errors.js';
import { SystemExec } from './exec.js';

const exec = new SystemExec();

describe('SystemExec', () => {
  it('passes arguments verbatim, never through a shell', async () => {
    const r = await exec.run('printf', ['%s|', '; id #', '$(id)', '`id`', '&& echo pwned']);
    expect(r.stdout).toBe('; id #|$(id)|`id`|&& echo pwned|');
  });

  it('feeds secrets through stdin and scrubs them from errors', async () => {
    expect((await exec.run('cat', [], { input: 's3cret' })).stdout).toBe('s3cret');
    const failed = await exec
      .run('sh', ['-c', 'echo "bad password s3cret" >&2; exit 3'], { secrets: ['s3cret'] })
      .catch((e: PanelError) => e);
    expect(failed).toMatchObject({
      code: 'EXTERNAL_COMMAND',
      message: 'sh failed (exit 3)',
      adminDetail: 'bad password ***',
    });
  });

  it("keeps the program's words (sockets, paths) for admins: the message says only what failed", async () => {
    const failed = await exec
      .run('sh', ['-c', "echo \"Can't connect through socket '/run/mysqld/mysqld.sock'\" >&2; exit 2"])
      .then(
        () => expect.unreachable('sh exited 2'),
        (e: PanelError) => e,
      );
    expect(failed.messageFor({ role: 'user' })).toBe('sh failed (exit 2)');
    expect(failed.messageFor({ role: 'reseller' })).toBe('sh failed (exit 2)');
    expect(failed.messageFor({ role: 'admin' })).toBe(
      "sh failed (exit 2): Can't connect through socket '/run/mysqld/mysqld.sock'",
    );
    expect(commandOutput(failed)).toBe("Can't connect through socket '/run/mysqld/mysqld.sock'");
    expect(commandOutput(new Error('sh failed'))).toBe('');
  });

  it('names the signal that ended a program', async () => {
    await expect(exec.run('sh', ['-c', 'kill -TERM $$'])).rejects.toMatchObject({
      message: 'sh failed (signal SIGTERM)',
    });
  });

  it('names a missing program and enforces the timeout', async () => {
    await expect(exec.run('definitely-not-a-program', [])).rejects.toThrow(
      'definitely-not-a-program: command not found',
    );
    await expect(exec.run('sleep', ['5'], { timeoutMs: 100 })).rejects.toThrow('sleep timed out after 100 ms');
  });

  it('refuses NUL bytes in arguments', async () => {
    await expect(exec.run('echo', ['a\0b'])).rejects.toThrow(/without NUL/);
  });

  it('runs with a minimal environment', async () => {
    process.env.VELOPANEL_SECRET_TEST = 'leak';
    const r = await exec.run('env', []);
    expect(r.stdout).not.toContain('leak');
    delete process.env.VELOPANEL_SECRET_TEST;
  });
});
