import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
    await expect(exec.stream('sh', ['-c', 'echo nope >&2; exit 4'], { stdin: input })).rejects.toThrow('sh failed (exit 4): nope');
  });

  it('kills the program when the output stream fails', async () => {
    const broken = new Writable({ write: (_c, _e, cb) => cb(new Error('disk full')) });
    await expect(exec.stream('yes', [], { stdout: broken, timeoutMs: 20_000 })).rejects.toThrow(/yes/);
  });

  it('kills the program when the input stream fails', async () => {
    const input = new Readable({ read() { this.destroy(new Error('source gone')); } });
    await expect(exec.stream('cat', [], { stdin: input, timeoutMs: 20_000 })).rejects.toThrow(/cat/);
  });
});
