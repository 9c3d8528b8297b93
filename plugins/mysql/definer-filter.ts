import { Readable } from 'node:stream';

const NEWLINE = 0x0a;
/** Bytes of one line looked at for its header; the rest of a longer line (data) streams through untouched. */
const HEAD_BYTES = 1024 * 1024;

const QUOTED = '`(?:[^`]|``)*`|\'(?:[^\'\\\\]|\\\\.|\'\')*\'|"(?:[^"\\\\]|\\\\.|"")*"|[\\w$.%-]+';
const ACCOUNT = `(?:CURRENT_USER(?:\\s*\\(\\s*\\))?|(?:${QUOTED})(?:\\s*@\\s*(?:${QUOTED}))?)`;
/**
 * One clause of a statement's header, i.e. what may stand before the object keyword (VIEW,
 * TRIGGER, PROCEDURE, FUNCTION, EVENT): versioned-comment brackets, CREATE/ALTER, OR REPLACE,
 * ALGORITHM=…, SQL SECURITY …, and DEFINER=… — the only one removed.
 */
const CLAUSE = new RegExp(
  `\\s*(?:(/\\*M?!\\d{5,6})|(\\*/)|(DEFINER\\s*=\\s*${ACCOUNT})|(CREATE|ALTER)\\b|OR\\s+REPLACE\\b|ALGORITHM\\s*=\\s*\\w+|SQL\\s+SECURITY\\s+(?:DEFINER|INVOKER)\\b)`,
  'iy',
);
const DELIMITER_LINE = /^\s*delimiter\s+(\S+)/i;
const NEUTRAL_LINE = /^\s*(?:$|--|#|\/\*M!999999\\- )/;

type Clause = { text: string; kind: 'open' | 'close' | 'definer' | 'verb' | 'other' };

/**
 * Remove `DEFINER=…` from the headers of the statements in a mysqldump/mariadb-dump stream, so a
 * restore creates views, triggers, routines and events defined by the user it runs as. Only the
 * leading clauses of a statement are looked at — a statement starts on the line after one ending
 * in the current delimiter (`DELIMITER` lines tracked) — so row data, which the dump tools write
 * with escaped newlines and never at a statement's start, passes byte for byte. Bounded memory:
 * at most {@link HEAD_BYTES} of a line are held.
 *
 * @example
 * ```ts
 * await exec.stream('mariadb', args, { stdin: withoutDefiners(dump) });
 * ```
 */
export function withoutDefiners(source: AsyncIterable<Buffer | string>): Readable {
  return Readable.from(strip(source), { objectMode: false });
}

async function* strip(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const lines = new StatementHeaders();
  let held: Buffer[] = [];
  let heldBytes = 0;
  let passing = false;
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      const piece = buf.subarray(start, nl + 1);
      if (passing) out.push(lines.rest(piece));
      else out.push(lines.head(heldBytes ? Buffer.concat([...held, piece]) : piece));
      lines.end();
      held = [];
      heldBytes = 0;
      passing = false;
      start = nl + 1;
    }
    const rest = buf.subarray(start);
    if (passing) out.push(lines.rest(rest));
    else if (rest.length) {
      held.push(rest);
      heldBytes += rest.length;
      if (heldBytes >= HEAD_BYTES) {
        out.push(lines.head(Buffer.concat(held)));
        held = [];
        heldBytes = 0;
        passing = true;
      }
    }
    if (out.length) yield Buffer.concat(out);
  }
  if (heldBytes) yield lines.head(Buffer.concat(held));
}

/** Line-by-line state: the current delimiter, and whether a line starts or continues a statement header. */
class StatementHeaders {
  private delimiter = ';';
  private atStart = true;
  private inHeader = false;
  private sawVerb = false;
  private neutral = false;
  private headerOnly = false;
  private tail = '';

  /** The first (or only) part of a line, rewritten when it opens or continues a statement header. */
  head(buf: Buffer): Buffer {
    const text = buf.toString('latin1');
    this.tail = '';
    this.headerOnly = false;
    this.neutral = NEUTRAL_LINE.test(text);
    const delimiter = this.atStart ? DELIMITER_LINE.exec(text) : null;
    if (delimiter) {
      this.delimiter = delimiter[1]!;
      this.neutral = true;
      return buf;
    }
    this.track(text);
    if (this.neutral || !(this.atStart || this.inHeader)) return buf;
    if (this.atStart) this.sawVerb = false;
    const { clauses, end } = this.clauses(text);
    this.headerOnly = text.slice(end).trim() === '';
    if (!this.sawVerb || !clauses.some((c) => c.kind === 'definer')) return buf;
    const kept = clauses.filter((c) => c.kind !== 'definer');
    const joined = kept.filter(
      (c, i) =>
        !(c.kind === 'open' && kept[i + 1]?.kind === 'close') && !(c.kind === 'close' && kept[i - 1]?.kind === 'open'),
    );
    return Buffer.from(joined.map((c) => c.text).join('') + text.slice(end), 'latin1');
  }

  /** A later part of a long line: passed through, only its end remembered. */
  rest(buf: Buffer): Buffer {
    this.track(buf.toString('latin1'));
    return buf;
  }

  /** The line ended: a line ending in the delimiter ends its statement; a header-only line continues the header. */
  end(): void {
    if (this.neutral) return;
    if (this.tail.endsWith(this.delimiter)) {
      this.atStart = true;
      this.inHeader = false;
      return;
    }
    this.inHeader = (this.atStart || this.inHeader) && this.headerOnly;
    this.atStart = false;
  }

  private track(text: string): void {
    const trimmed = text.trimEnd();
    if (trimmed) this.tail = (this.tail + trimmed).slice(-16);
  }

  private clauses(text: string): { clauses: Clause[]; end: number } {
    const clauses: Clause[] = [];
    let at = 0;
    for (let m: RegExpExecArray | null; (CLAUSE.lastIndex = at), (m = CLAUSE.exec(text)); at = CLAUSE.lastIndex) {
      const kind = m[1] ? 'open' : m[2] ? 'close' : m[3] ? 'definer' : m[4] ? 'verb' : 'other';
      if (kind === 'verb') this.sawVerb = true;
      clauses.push({ text: m[0], kind });
      if (CLAUSE.lastIndex === at) break;
    }
    return { clauses, end: at };
  }
}
