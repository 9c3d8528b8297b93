import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { restrictedPsqlInput } from './restricted-input.js';

const KEY = 'A'.repeat(32);

/** Feed `input` split into chunks of `size` bytes, so lines straddle chunk borders. */
async function filtered(input: string, size = 7): Promise<string> {
  const buf = Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
  return text(restrictedPsqlInput(Readable.from(chunks), KEY, 'SET ROLE "o";\n'));
}

describe('restrictedPsqlInput', () => {
  it("starts restricted under its own key and drops the dump's restrict lines", async () => {
    const out = await filtered('\\restrict theirKey\nSET x = 1;\n\\unrestrict theirKey\n');
    expect(out).toBe(`\\restrict ${KEY}\nSET ROLE "o";\nSET x = 1;\n`);
  });

  it('keeps COPY rows that look like restrict lines', async () => {
    const dump = 'COPY public.t (id, v) FROM stdin;\n\\restrict x\n\\unrestrict x\n\\.\n\\unrestrict k\nSELECT 1;\n';
    expect(await filtered(dump)).toBe(
      `\\restrict ${KEY}\nSET ROLE "o";\nCOPY public.t (id, v) FROM stdin;\n\\restrict x\n\\unrestrict x\n\\.\nSELECT 1;\n`,
    );
  });

  it('passes other commands through for psql to refuse, and keeps a last line without newline', async () => {
    const out = await filtered('\\! id\nSELECT 2;');
    expect(out).toBe(`\\restrict ${KEY}\nSET ROLE "o";\n\\! id\nSELECT 2;`);
  });

  it('keeps multi-byte text and long lines intact', async () => {
    const long = `INSERT INTO t VALUES ('${'é'.repeat(40_000)}');\n`;
    expect(await filtered(long + 'SELECT 3;\n', 1000)).toBe(`\\restrict ${KEY}\nSET ROLE "o";\n${long}SELECT 3;\n`);
  });

  it('refuses a weak key', () => {
    expect(() => restrictedPsqlInput(Readable.from([]), 'short', '')).toThrow(/restrict key/);
  });
});
