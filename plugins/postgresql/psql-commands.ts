import { Readable } from 'node:stream';
import { errors } from '../../sdk/index.js';
import { PsqlLexer } from './psql-lexer.js';

const NEWLINE = 0x0a;
/** Bytes kept back at a chunk's end so a token (tag, identifier, line head) is seen whole. */
const LOOKAHEAD = 1024;
const RESTRICT_LINE = /^\\(un)?restrict\s+\S*\s*$/;

/** The first release of each branch whose psql has `\restrict` (August 2025); 18 and later have it. */
const RESTRICT_SINCE: Record<number, number> = { 13: 22, 14: 19, 15: 14, 16: 10, 17: 6 };

/** Whether a psql of this `psql --version` output knows `\restrict` (an unknown one does not). */
export function psqlHasRestrict(versionOutput: string): boolean {
  const m = /PostgreSQL\)?\s+(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  return major >= 18 || (RESTRICT_SINCE[major] !== undefined && minor >= RESTRICT_SINCE[major]!);
}

/**
 * psql input for a psql without `\restrict`: the dump is read as psql reads it (quotes, dollar
 * quotes, comments, statement ends, COPY data) and the restore fails on the first psql command
 * outside data — `\!`, `\o |…`, `\copy … program`, `\setenv`, `\i`, anything after a backslash —
 * and on text whose reading depends on settings the dump can change (see {@link PsqlLexer}).
 * The dump's own `\restrict`/`\unrestrict` lines (new pg_dump writes them) are dropped.
 * COPY data (until its `\.` line) streams through untouched.
 *
 * @example
 * ```ts
 * await exec.stream('psql', args, { stdin: refusePsqlCommands(dump, 'SET ROLE "owner";\n') });
 * ```
 */
export function refusePsqlCommands(source: AsyncIterable<Buffer | string>, preamble: string): Readable {
  return Readable.from(scan(source, preamble), { objectMode: false });
}

async function* scan(source: AsyncIterable<Buffer | string>, preamble: string): AsyncGenerator<Buffer> {
  yield Buffer.from(preamble);
  const lexer = new PsqlLexer((what, line) =>
    errors.validation(
      `the dump holds ${what} (line ${line}); it was refused and the restore stopped there, nothing of it kept (this psql has no \\restrict)`,
    ),
  );
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const next = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const buf: Buffer = carry.length ? Buffer.concat([carry, next]) : next;
    const { end, out } = feed(lexer, buf, false);
    carry = buf.subarray(end);
    if (out.length) yield Buffer.concat(out);
  }
  const { out } = feed(lexer, carry, true);
  if (out.length) yield Buffer.concat(out);
}

/**
 * Run the lexer over `buf`, dropping restrict lines and passing COPY data by lines. Before a
 * last chunk, stops {@link LOOKAHEAD} bytes short of the end, so every token it reads is whole.
 */
function feed(lexer: PsqlLexer, buf: Buffer, final: boolean): { end: number; out: Buffer[] } {
  const out: Buffer[] = [];
  const limit = final ? buf.length : buf.length - LOOKAHEAD;
  let from = 0;
  let i = 0;
  while (i < limit) {
    if (lexer.copying) {
      if (lexer.atLineStart && endOfCopy(buf, i)) {
        i = lexer.endCopy(buf, i);
        continue;
      }
      const nl = buf.indexOf(NEWLINE, i);
      i = nl === -1 ? Math.max(i, limit) : nl + 1;
      lexer.copied(nl !== -1);
      continue;
    }
    if (lexer.atLineStart && lexer.plain && buf[i] === 0x5c) {
      const nl = buf.indexOf(NEWLINE, i);
      const stop = nl === -1 ? buf.length : nl + 1;
      if (
        stop - i < LOOKAHEAD &&
        RESTRICT_LINE.test(
          buf
            .subarray(i, stop)
            .toString('latin1')
            .replace(/\r?\n$/, ''),
        )
      ) {
        out.push(buf.subarray(from, i));
        from = i = stop;
        continue;
      }
    }
    i = lexer.step(buf, i);
  }
  out.push(buf.subarray(from, i));
  return { end: i, out };
}

/** psql ends COPY data at a line that is exactly `\.` (or the end of the input). */
function endOfCopy(buf: Buffer, at: number): boolean {
  if (buf[at] !== 0x5c || buf[at + 1] !== 0x2e) return false;
  const rest = buf.subarray(at + 2, at + 4).toString('latin1');
  return rest === '' || rest.startsWith('\n') || rest === '\r\n' || (rest === '\r' && at + 3 === buf.length);
}
