import { Readable } from 'node:stream';

const NEWLINE = 0x0a;
const RESTRICT_LINE = /^\\(un)?restrict\s+\S*\s*$/;
const COPY_START = /^COPY\s.*\sFROM\s+stdin;\s*$/i;

/**
 * psql input that cannot run psql's own commands (`\!`, `\o |…`, `\copy … program`, `\connect`):
 * it starts with `\restrict <key>` under a key the dump cannot know, followed by `preamble`.
 * The dump's own `\restrict`/`\unrestrict` lines (pg_dump writes them) are dropped — outside COPY
 * data only, where a row may legitimately look like one.
 *
 * @example
 * ```ts
 * await exec.stream('psql', args, { stdin: restrictedPsqlInput(dump, key, 'SET ROLE "owner";\n') });
 * ```
 */
export function restrictedPsqlInput(source: Readable, key: string, preamble: string): Readable {
  if (!/^[A-Za-z0-9]{16,64}$/.test(key)) throw new Error('restrict key must be 16–64 letters or digits');
  return Readable.from(guard(source, key, preamble), { objectMode: false });
}

async function* guard(source: AsyncIterable<Buffer | string>, key: string, preamble: string): AsyncGenerator<Buffer> {
  yield Buffer.from(`\\restrict ${key}\n${preamble}`);
  let inCopy = false;
  let partial: Buffer[] = [];
  const pass = (line: Buffer): boolean => {
    if (inCopy) {
      if (line.length <= 4 && line.toString('latin1').replace(/\r?\n$/, '') === '\\.') inCopy = false;
      return true;
    }
    // A statement line longer than this is data (a huge INSERT), neither a command nor a COPY start.
    if (line.length > 65536) return true;
    const text = line.toString('utf8').replace(/\r?\n$/, '');
    if (RESTRICT_LINE.test(text)) return false;
    if (COPY_START.test(text)) inCopy = true;
    return true;
  };
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    const out: Buffer[] = [];
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      const piece = buf.subarray(start, nl + 1);
      const line = partial.length ? Buffer.concat([...partial, piece]) : piece;
      partial = [];
      if (pass(line)) out.push(line);
      start = nl + 1;
    }
    if (start < buf.length) partial.push(buf.subarray(start));
    if (out.length) yield Buffer.concat(out);
  }
  const last = Buffer.concat(partial);
  if (last.length && pass(last)) yield last;
}
