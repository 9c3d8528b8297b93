/** A column of a table: header and how to show a row's cell. */
export interface Column<T> {
  header: string;
  cell(row: T): unknown;
  /** Right-align (numbers). */
  right?: boolean;
}

/** Where the CLI writes: data to stdout, messages and progress to stderr. */
export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Print a command's result: JSON with `--json`, else the human form from `human()`. */
  result(data: unknown, human: () => string | string[]): void;
  /** A line on stderr (never with `--quiet`). */
  note(line: string): void;
  /** stderr, for progress bars. */
  readonly err: NodeJS.WriteStream;
  readonly errIsTty: boolean;
}

export function createOutput(opts: {
  json: boolean;
  quiet: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}): Output {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  return {
    json: opts.json,
    quiet: opts.quiet,
    err: stderr,
    errIsTty: stderr.isTTY === true,
    result(data, human) {
      if (opts.json) return void stdout.write(JSON.stringify(data ?? null, null, 2) + '\n');
      const text = human();
      const lines = Array.isArray(text) ? text : [text];
      if (lines.length) stdout.write(lines.join('\n') + '\n');
    },
    note(line) {
      if (!opts.quiet) stderr.write(line + '\n');
    },
  };
}

/** A cell as text: no control characters (a hostile name cannot move the cursor or fake lines). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '-';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

/** Rows as an aligned text table with a header line; "(none)" when empty. */
export function table<T>(rows: T[], columns: Column<T>[]): string[] {
  if (!rows.length) return ['(none)'];
  const cells = rows.map((r) => columns.map((c) => cellText(c.cell(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)];
}

/** `key: value` lines with aligned keys. */
export function keyValues(pairs: [string, unknown][]): string[] {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${cellText(v)}`);
}

/** Columns for rows whose shape is not known in advance: the keys of the first row. */
export function columnsOf(rows: Record<string, unknown>[], prefer: string[] = []): Column<Record<string, unknown>>[] {
  const keys = Object.keys(rows[0] ?? {});
  const ordered = [...prefer.filter((k) => keys.includes(k)), ...keys.filter((k) => !prefer.includes(k))];
  return ordered.map((k) => ({ header: k.toUpperCase(), cell: (r) => r[k], right: typeof rows[0]?.[k] === 'number' }));
}

/** A byte count for people: `1.5 MB`. */
export function humanBytes(n: unknown): string {
  const v = Number(n);
  if (!Number.isFinite(v)) return cellText(n);
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = v;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${x.toFixed(1)} ${units[i]}`;
}

/** A finished job's result in lines: per-item reports as a table, other fields as `key: value`. */
export function describeResult(result: unknown): string[] {
  if (result === null || typeof result !== 'object')
    return result === null || result === undefined ? [] : [cellText(result)];
  const r = result as Record<string, unknown>;
  const scalars = Object.entries(r).filter(([, v]) => v === null || typeof v !== 'object');
  const lines = scalars.length
    ? keyValues(scalars.map(([k, v]) => [k, k.includes('size') || k.endsWith('bytes') ? humanBytes(v) : v]))
    : [];
  for (const [k, v] of Object.entries(r)) {
    if (Array.isArray(v) && v.length && typeof v[0] === 'object')
      lines.push(
        '',
        `${k}:`,
        ...table(
          v as Record<string, unknown>[],
          columnsOf(v as Record<string, unknown>[], ['item', 'name', 'status', 'error']),
        ),
      );
  }
  return lines;
}
