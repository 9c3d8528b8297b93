const NL = 0x0a;
const BACKSLASH = 0x5c;
const QUOTE = 0x27;
const DQUOTE = 0x22;
const DOLLAR = 0x24;
/** Longest word or dollar-quote tag read in one piece (PostgreSQL names stop at 63 bytes). */
const MAX_TOKEN = 512;

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isIdentStart = (c: number | undefined) =>
  c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80);
const isIdentCont = (c: number | undefined) => isIdentStart(c) || isDigit(c) || c === DOLLAR;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*)?\$/;

type Quote = 'none' | 'string' | 'escape-string' | 'ident' | 'dollar' | 'block-comment' | 'line-comment';

/**
 * Reads SQL the way psql's own scanner (psqlscan.l) does, far enough to know where psql would
 * take a backslash as one of its commands: outside string literals (plain, E'', U&'', B'', X''),
 * quoted names, dollar quotes and comments, with psql's statement ends (`;` outside parentheses
 * and outside a CREATE FUNCTION/PROCEDURE … BEGIN … END body) and the COPY … FROM STDIN data
 * that follows such a statement. Where psql versions or settings would read the same bytes
 * differently — a plain string with `\'` (standard_conforming_strings), a dollar sign glued to a
 * number — the dump is refused rather than guessed at.
 */
export class PsqlLexer {
  private quote: Quote = 'none';
  private depth = 0;
  private tag = '';
  private line = 1;
  private lineStart = true;
  private parens = 0;
  private begins = 0;
  /** First letters of CREATE / OR / REPLACE / FUNCTION / PROCEDURE among a statement's first words. */
  private marks: string[] = [];
  private words = 0;
  private tokens = 0;
  private copyStatement = false;
  private lastWord = '';
  private copyFromStdin = false;
  private copies = 0;

  constructor(private readonly refusal: (what: string, line: number) => Error) {}

  /** COPY data is being read. */
  get copying(): boolean {
    return this.copies > 0;
  }

  get atLineStart(): boolean {
    return this.lineStart;
  }

  /** Outside every quote and comment. */
  get plain(): boolean {
    return this.quote === 'none';
  }

  /** A line of COPY data was passed (whole when `ended`). */
  copied(ended: boolean): void {
    this.lineStart = ended;
    if (ended) this.line++;
  }

  /** The `\.` line at `at` ends one COPY block; returns where the next line starts. */
  endCopy(buf: Buffer, at: number): number {
    this.copies--;
    const nl = buf.indexOf(NL, at);
    this.line++;
    this.lineStart = true;
    return nl === -1 ? buf.length : nl + 1;
  }

  /** Read the token or character at `i` (SQL, not COPY data); returns where the next one starts. */
  step(buf: Buffer, i: number): number {
    const c = buf[i]!;
    if (c === NL) {
      this.line++;
      this.lineStart = true;
      if (this.quote === 'line-comment') this.quote = 'none';
      // psql sends a statement at its `;` and reads COPY data from the next line on; the rest of
      // this line is read after the data, in the state it had.
      if (this.pendingCopies > 0) {
        this.copies = this.pendingCopies;
        this.pendingCopies = 0;
      }
      return i + 1;
    }
    this.lineStart = false;
    // psql reads lines as C strings: it never sees what follows a NUL on its line, this reader would.
    if (c === 0) throw this.refusal('a NUL byte outside COPY data (psql ignores the rest of its line)', this.line);
    switch (this.quote) {
      case 'line-comment':
        return i + 1;
      case 'block-comment':
        if (c === 0x2f && buf[i + 1] === 0x2a) return (this.depth++, i + 2);
        if (c === 0x2a && buf[i + 1] === 0x2f) return (--this.depth === 0 && (this.quote = 'none'), i + 2);
        return i + 1;
      case 'string':
        return this.inString(buf, i);
      case 'escape-string':
        if (c === BACKSLASH) {
          // In client encodings such as SJIS or GBK a backslash byte may end a character, not escape the next.
          if (this.afterHighByte)
            throw this.refusal(
              "a backslash right after a non-ASCII byte in an E'' string (its meaning depends on client_encoding)",
              this.line,
            );
          return i + 2;
        }
        this.afterHighByte = c >= 0x80;
        return this.closeOnQuote(buf, i, QUOTE);
      case 'ident':
        return this.closeOnQuote(buf, i, DQUOTE);
      case 'dollar':
        if (c === DOLLAR && buf.toString('latin1', i, i + this.tag.length) === this.tag)
          return ((this.quote = 'none'), i + this.tag.length);
        return i + 1;
      default:
        return this.outside(buf, i);
    }
  }

  private pendingCopies = 0;
  private afterHighByte = false;

  /** A plain string: a quote doubled stays inside; `\'` means different things under different settings. */
  private inString(buf: Buffer, i: number): number {
    if (buf[i] !== BACKSLASH) return this.closeOnQuote(buf, i, QUOTE);
    let j = i;
    while (buf[j] === BACKSLASH && j - i < MAX_TOKEN) j++;
    if (j - i >= MAX_TOKEN) throw this.refusal(`a run of more than ${MAX_TOKEN} backslashes in a string`, this.line);
    if ((j - i) % 2 === 1 && buf[j] === QUOTE)
      throw this.refusal("a string literal with \\' whose end depends on standard_conforming_strings", this.line);
    return j;
  }

  private closeOnQuote(buf: Buffer, i: number, q: number): number {
    if (buf[i] !== q) return i + 1;
    if (buf[i + 1] === q) return i + 2;
    this.quote = 'none';
    return i + 1;
  }

  private outside(buf: Buffer, i: number): number {
    const c = buf[i]!;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c) return i + 1;
    if (c === BACKSLASH) {
      const name = /^\\[^\s\\]{0,20}/.exec(buf.toString('latin1', i, i + 24))![0];
      throw this.refusal(`the psql command '${name}'`, this.line);
    }
    if (c === 0x2d && buf[i + 1] === 0x2d) return ((this.quote = 'line-comment'), i + 2);
    if (c === 0x2f && buf[i + 1] === 0x2a) return ((this.quote = 'block-comment'), (this.depth = 1), i + 2);
    if (c === QUOTE) return (this.token(), (this.quote = 'string'), i + 1);
    if (c === DQUOTE) return (this.token(), (this.quote = 'ident'), i + 1);
    if (c === DOLLAR) return this.dollar(buf, i);
    if (isIdentStart(c)) return this.word(buf, i);
    if (isDigit(c)) {
      let j = i;
      while (isIdentCont(buf[j]) && j - i < MAX_TOKEN) j++;
      if (j - i >= MAX_TOKEN) throw this.refusal(`a number longer than ${MAX_TOKEN} bytes`, this.line);
      if (buf.subarray(i, j).includes(DOLLAR))
        throw this.refusal('a dollar sign right after a number (psql versions read it differently)', this.line);
      return (this.token(), j);
    }
    if (c === 0x28) this.parens++;
    else if (c === 0x29 && this.parens > 0) this.parens--;
    else if (c === 0x3b && this.parens === 0 && this.begins === 0) return (this.statementEnd(), i + 1);
    this.token();
    return i + 1;
  }

  /** `$1` (a parameter), `$tag$` (a dollar quote opens) or a lone `$`. */
  private dollar(buf: Buffer, i: number): number {
    this.token();
    if (isDigit(buf[i + 1])) {
      let j = i + 1;
      while (isDigit(buf[j])) j++;
      if (isIdentCont(buf[j]))
        throw this.refusal(
          'a dollar sign right after a parameter number (psql versions read it differently)',
          this.line,
        );
      return j;
    }
    const m = DOLLAR_TAG.exec(buf.toString('latin1', i, i + MAX_TOKEN));
    if (!m) return i + 1;
    this.quote = 'dollar';
    this.tag = m[0];
    return i + m[0].length;
  }

  /** A word (keyword or name, `$` included as psql reads it), or the prefix of E'', B'', X'', N'', U&''. */
  private word(buf: Buffer, i: number): number {
    let j = i;
    while (isIdentCont(buf[j])) j++;
    if (j - i > MAX_TOKEN) throw this.refusal(`a word longer than ${MAX_TOKEN} bytes`, this.line);
    const w = buf.toString('latin1', i, j).toLowerCase();
    if (j - i === 1 && buf[j] === QUOTE) {
      this.token();
      this.quote = w === 'e' ? 'escape-string' : 'string';
      this.afterHighByte = false;
      return j + 1;
    }
    if (w === 'u' && buf[j] === 0x26 && (buf[j + 1] === QUOTE || buf[j + 1] === DQUOTE)) {
      this.token();
      this.quote = buf[j + 1] === QUOTE ? 'string' : 'ident';
      return j + 2;
    }
    this.trackWord(w);
    return j;
  }

  /** psql's heuristic for SQL-standard function bodies, and whether this is COPY … FROM STDIN. */
  private trackWord(w: string): void {
    if (this.tokens === 0 && w === 'copy') this.copyStatement = true;
    if (this.copyStatement && this.parens === 0 && this.lastWord === 'from' && w === 'stdin') this.copyFromStdin = true;
    this.token();
    this.lastWord = w;
    if (this.words < 4 && ['create', 'or', 'replace', 'function', 'procedure'].includes(w))
      this.marks[this.words] = w[0]!;
    this.words++;
    const m = this.marks;
    const routine =
      m[0] === 'c' &&
      (m[1] === 'f' || m[1] === 'p' || (m[1] === 'o' && m[2] === 'r' && (m[3] === 'f' || m[3] === 'p')));
    if (!routine || this.parens !== 0) return;
    if (w === 'begin') this.begins++;
    else if (w === 'case' && this.begins > 0) this.begins++;
    else if (w === 'end' && this.begins > 0) this.begins--;
  }

  private token(): void {
    this.tokens++;
    this.lastWord = '';
  }

  private statementEnd(): void {
    if (this.copyFromStdin) this.pendingCopies++;
    this.marks = [];
    this.words = 0;
    this.tokens = 0;
    this.copyStatement = false;
    this.copyFromStdin = false;
    this.lastWord = '';
  }
}
