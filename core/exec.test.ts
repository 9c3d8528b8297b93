import { describe, expect, it } from 'vitest';
import { SystemExec } from './exec.js';

const exec = new SystemExec();

describe('SystemExec', () => {
  it('passes arguments verbatim, never through a shell', async () => {
    const r = await exec.run('printf', ['%s|', '; id #', '$(id)', '`id`', '&& echo pwned']);
    expect(r.stdout).toBe('; id #|$(id)|`id`|&& echo pwned|');
  });

  it('feeds secrets through stdin and scrubs them from errors', async () => {
    expect((await exec.run('cat', [], { input: 's3cret' })).stdout).toBe('s3cret');
    await expect(
      exec.run('sh', ['-c', 'echo "bad password s3cret" >&2; exit 3'], { secrets: ['s3cret'] }),
    ).rejects.toThrow('sh failed (exit 3): bad password ***');
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
