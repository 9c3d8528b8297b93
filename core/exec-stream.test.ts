import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { errors } from './errors.js';
import { SystemExec } from './exec.js';

const exec = new SystemExec();

function collect(): { sink: PassThrough; text: () => string } {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('SystemExec.stream', () => {
  it('streams stdin through the program into stdout', async () => {
    const out = collect();
    const input = Readable.from(['alpha\n', 'beta\n'.repeat(50_000)]);
    const r = await exec.stream('cat', [], { stdin: input, stdout: out.sink });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(out.text().startsWith('alpha\nbeta\n')).toBe(true);
    expect(out.text().length).toBe(6 + 5 * 50_000);
  });

  it('reports the exit of a failing program before a broken pipe', async () => {
    const input = Readable.from(['x'.repeat(1 << 20)]);
    await expect(exec.stream('sh', ['-c', 'echo nope >&2; exit 4'], { stdin: input })).rejects.toThrow(
      'sh failed (exit 4): nope',
    );
  });

  it('kills the program when the output stream fails', async () => {
    const broken = new Writable({ write: (_c, _e, cb) => cb(new Error('disk full')) });
    await expect(exec.stream('yes', [], { stdout: broken, timeoutMs: 20_000 })).rejects.toThrow(/yes/);
  });

  it('kills the program when the input stream fails', async () => {
    const input = new Readable({
      read() {
        this.destroy(new Error('source gone'));
      },
    });
    await expect(exec.stream('cat', [], { stdin: input, timeoutMs: 20_000 })).rejects.toThrow(/cat/);
  });

  it('reports the refusal of an input stream that refused its content, not the exit it caused', async () => {
    const input = new Readable({
      read() {
        this.push('x'.repeat(1024));
        this.destroy(errors.validation('the input holds a forbidden command'));
      },
    });
    await expect(
      exec.stream('cat', [], { stdin: input, stdout: collect().sink, timeoutMs: 20_000 }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: 'the input holds a forbidden command' });
  });

  it('kills the program before its input ends when the input stream fails (it must not act on a cut input)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-exec-'));
    const marker = path.join(dir, 'committed');
    const input = new Readable({
      read() {
        this.push('partial\n');
        this.destroy(new Error('source gone'));
      },
    });
    // Ignores SIGTERM and "commits" once its input has ended, as a transaction would on EOF.
    await expect(
      exec.stream('sh', ['-c', 'trap "" TERM; cat >/dev/null; touch "$0"', marker], {
        stdin: input,
        timeoutMs: 20_000,
      }),
    ).rejects.toThrow(/sh/);
    expect(existsSync(marker)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
