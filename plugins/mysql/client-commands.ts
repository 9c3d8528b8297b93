import { Readable } from 'node:stream';
import { errors } from '../../sdk/index.js';

const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const QUOTES = new Set([0x27, 0x22, 0x60]); // ' " `
/** After a backslash outside strings: `\N` is NULL and `\-` the client's own sandbox switch (mariadb-dump writes it). */
const HARMLESS_AFTER_BACKSLASH = new Set([0x4e, 0x2d]);
/** The client's named commands, recognised at the start of a line when no statement is pending. */
const NAMED = new Set([
  '?',
  'charset',
  'clear',
  'connect',
  'edit',
  'ego',
  'exit',
  'go',
  'help',
  'nopager',
  'notee',
  'nowarning',
  'pager',
  'print',
  'prompt',
  'quit',
  'rehash',
  'sandbox',
  'source',
  'status',
  'system',
  'tee',
  'use',
  'warnings',
]);
const FIRST_WORD = /^[ \t\r]*([?\w]+)[ \t\r]*(\S*)/;
/** Bytes kept back at a chunk's end so the look-ahead of `/*M!` or `-- ` never crosses chunks. */
const LOOKAHEAD = 3;

const space = (c: number | undefined) => c === undefined || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Refuse a dump that holds a command of the mysql/mariadb client — `\!` (shell), `\.` or
 * `source` (read a file), `\T`/`tee` (write one), `system`, `pager`, `connect`, `use`, … —
 * anywhere the client would run it: outside string literals, quoted names and comments, a
 * backslash anywhere in a line and a named command at the start of a statement. This is the
 * wall for a client without `--sandbox`; string data with backslashes streams through as it is.
 * Scans as the client does with its default escapes (`\'` inside a string does not end it).
 */
export function refuseClientCommands(source: AsyncIterable<Buffer | string>): Readable {
  return Readable.from(scan(source), { objectMode: false });
}

async function* scan(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const s = new ClientScanner();
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const next = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const buf: Buffer = carry.length ? Buffer.concat([carry, next]) : next;
    const end = s.feed(buf, buf.length - LOOKAHEAD, false);
    carry = buf.subarray(end);
    if (end > 0) yield buf.subarray(0, end);
  }
  s.feed(carry, carry.length, true);
  if (carry.length) yield carry;
}

class ClientScanner {
  private quote = 0;
  private blockComment = false;
  private lineComment = false;
  /** No statement pending: a line starting now may be a named command. */
  private idle = true;
  private lineStart = true;
  private delimiter = Buffer.from(';');
  private line = 1;

  /**
   * Scan `buf` up to `limit` (a look-ahead may read past it); returns where it stopped, early
   * when a line that may be a command is not whole yet and more is to come (not `final`).
   */
  feed(buf: Buffer, limit: number, final: boolean): number {
    let i = 0;
    for (; i < limit; i++) {
      const c = buf[i]!;
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = !this.quote && !this.blockComment;
        this.lineComment = false;
        continue;
      }
      if (this.blockComment) {
        if (c === 0x2a && buf[i + 1] === 0x2f) (this.blockComment = false), i++;
        continue;
      }
      if (this.lineComment) continue;
      if (this.quote) {
        if (c === BACKSLASH && this.quote !== 0x60) i++;
        else if (c === this.quote) this.quote = 0;
        continue;
      }
      if (this.lineStart) {
        this.lineStart = false;
        if (this.idle) {
          const skip = this.named(buf, i, final);
          if (skip < 0) {
            this.lineStart = true;
            return i;
          }
          if (skip > 0) {
            i += skip - 1;
            continue;
          }
        }
      }
      if (space(c)) continue;
      if (c === BACKSLASH) {
        if (!HARMLESS_AFTER_BACKSLASH.has(buf[i + 1]!))
          throw this.refuse(`\\${String.fromCharCode(buf[i + 1] ?? 0x20).trim()}`);
        i++;
      } else if (QUOTES.has(c)) this.quote = c;
      else if (c === 0x23 || (c === 0x2d && buf[i + 1] === 0x2d && space(buf[i + 2]))) this.lineComment = true;
      else if (
        c === 0x2f &&
        buf[i + 1] === 0x2a &&
        !(buf[i + 2] === 0x21 || (buf[i + 2] === 0x4d && buf[i + 3] === 0x21))
      )
        (this.blockComment = true), i++;
      else if (c === this.delimiter[0] && buf.subarray(i, i + this.delimiter.length).equals(this.delimiter)) {
        this.idle = true;
        i += this.delimiter.length - 1;
        continue;
      }
      if (!this.lineComment && !this.blockComment) this.idle = false;
    }
    return i;
  }

  /** A named command at `at` (start of a line, no statement pending): refused, or a DELIMITER line taken whole. */
  private named(buf: Buffer, at: number, final: boolean): number {
    const nl = buf.indexOf(NEWLINE, at);
    if (nl === -1 && !final && buf.length - at < 256) return -1;
    const text = buf.subarray(at, nl === -1 ? Math.min(buf.length, at + 256) : nl).toString('latin1');
    const m = FIRST_WORD.exec(text);
    const word = m?.[1]!.toLowerCase();
    if (word === 'delimiter' && m![2]) {
      this.delimiter = Buffer.from(m![2], 'latin1');
      return nl === -1 ? 0 : nl - at;
    }
    if (word && NAMED.has(word) && /^[ \t\r]*[?\w]+(?:$|[\s;])/.test(text)) throw this.refuse(word);
    return 0;
  }

  private refuse(command: string): Error {
    return errors.validation(
      `the dump holds the mysql client command '${command}' (line ${this.line}); it was refused and the restore stopped there, before the client could run it (this client has no --sandbox)`,
    );
  }
}
