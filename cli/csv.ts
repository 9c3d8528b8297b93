import { CliError, Exit } from './exit-codes.js';

/**
 * Records of a CSV text (RFC 4180: commas, double-quoted fields with `""` for a quote, CRLF or
 * LF line ends), each with the line it starts on so errors can point into the file. Blank lines
 * are skipped.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  const endRecord = () => {
    fields.push(field);
    if (touched || fields.length > 1 || field !== '') out.push({ line: start, fields });
    fields = [];
    field = '';
    touched = false;
  };
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') (quoted = true), (touched = true);
    else if (c === ',') fields.push(field), (field = ''), (touched = true);
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
    } else field += c;
  }
  if (quoted) throw new CliError(`line ${start}: a quoted field is not closed`, Exit.USAGE, 'USAGE');
  if (field !== '' || fields.length || touched) endRecord();
  return out;
}

/**
 * Rows of a CSV file with a header line as objects keyed by the header's names (lower-cased,
 * trimmed). Only `known` columns are allowed; an empty cell is left out of its row. Cells are
 * trimmed except in the `verbatim` columns (a password may start or end with a space).
 */
export function csvObjects(
  text: string,
  cols: { known: readonly string[]; required: readonly string[]; verbatim?: readonly string[] },
): { line: number; row: Record<string, string> }[] {
  const { known, required } = cols;
  const [header, ...records] = parseCsv(text);
  if (!header) throw new CliError('the file is empty: it needs a header line naming its columns', Exit.USAGE, 'USAGE');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length)
    throw new CliError(`header: unknown column '${unknown[0]}' (columns: ${known.join(', ')})`, Exit.USAGE, 'USAGE');
  const missing = required.filter((n) => !names.includes(n));
  if (missing.length)
    throw new CliError(
      `header: column '${missing[0]}' is required (columns: ${known.join(', ')})`,
      Exit.USAGE,
      'USAGE',
    );
  return records.map(({ line, fields }) => {
    if (fields.length > names.length)
      throw new CliError(
        `line ${line}: ${fields.length} fields, the header names ${names.length}`,
        Exit.USAGE,
        'USAGE',
      );
    const row: Record<string, string> = {};
    fields.forEach((v, i) => {
      const value = cols.verbatim?.includes(names[i]!) ? v : v.trim();
      if (value !== '') row[names[i]!] = value;
    });
    return { line, row };
  });
}
