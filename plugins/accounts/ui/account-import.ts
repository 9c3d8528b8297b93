// Import accounts from a CSV (pasted or read from a file) as one job: the panel checks every row
// first (a 400 names each bad row and nothing is made), then the dialog follows the job's bar
// and ends with what was made and which rows failed.
import {
  api,
  ApiError,
  badge,
  button,
  dataTable,
  field,
  form,
  h,
  hasRoute,
  isJob,
  type JobRecord,
  liveJob,
  notify,
  openDialog,
  plural,
  routeFields,
  withQuery,
} from '../../ui/client/kit.js';

const IMPORT = '/api/accounts/import';
const COLUMNS = ['username', 'domain', 'email', 'password', 'plan'] as const;

interface ImportResult {
  status: 'ok' | 'partial' | 'failed';
  created: { row: number; username: string; primary_domain: string }[];
  failed: { row: number; username: string; error: string }[];
}

/** One CSV line's fields; a field in double quotes may hold commas ("" is a quote). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') (cur += '"'), i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

/**
 * The rows of a CSV as the import route takes them. Blank lines and a header line (its first field
 * is "username") are skipped; a line without the four required fields is refused by its number,
 * counted as the panel counts rows, so its later messages name the same rows.
 */
export function parseAccountsCsv(text: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields = splitLine(line);
    if (rows.length === 0 && fields[0]?.toLowerCase() === 'username') continue;
    if (fields.length < 4 || fields.slice(0, 4).some((f) => !f))
      throw new ApiError(`row ${rows.length + 1}: needs username, domain, email and password`, 400);
    const row: Record<string, string> = {};
    COLUMNS.forEach((c, i) => {
      if (fields[i]) row[c] = fields[i]!;
    });
    rows.push(row);
  }
  if (!rows.length) throw new ApiError('Paste at least one account line or choose a CSV file.', 400);
  return rows;
}

function report(r: ImportResult): HTMLElement {
  const tone = r.status === 'ok' ? 'ok' : r.status === 'partial' ? 'warn' : 'danger';
  return h(
    'div',
    { class: 'import-report' },
    h(
      'p',
      { class: 'report-summary' },
      'Result: ',
      badge(r.status, tone),
      ` ${plural(r.created.length, 'account')} made, ${r.failed.length} failed.`,
    ),
    r.failed.length
      ? dataTable(
          [
            { label: 'Row', cell: (f) => String(f.row) },
            { label: 'Username', cell: (f) => h('strong', null, f.username) },
            { label: 'Why it failed', cell: (f) => f.error },
          ],
          r.failed,
          { empty: '', label: 'Rows that failed', keepTable: true },
        )
      : null,
  );
}

function importDialog(done: () => void): void {
  const progress = h('div');
  const file = field({
    name: 'file',
    label: 'CSV file',
    type: 'file',
    hint: 'Or paste the lines below.',
  });
  const input = file.querySelector('input')!;
  input.accept = '.csv,text/csv,text/plain';
  const f = form(
    [
      h(
        'p',
        { class: 'hint' },
        'One account a line: username, domain, email, password and optionally the plan (free when left out). ' +
          'Every row is checked before anything is made.',
      ),
      file,
      field({
        name: 'csv',
        label: 'Accounts',
        type: 'textarea',
        placeholder: 'username,domain,email,password,plan\nacme,acme.example,owner@acme.example,Secret-Pass-1,pro',
      }),
    ],
    'Import',
    async (v) => {
      const picked = input.files?.[0];
      const accounts = parseAccountsCsv(picked ? await picked.text() : (v.csv ?? ''));
      const async = routeFields('POST', IMPORT).query.includes('async');
      const answer = await api('POST', async ? withQuery(IMPORT, { async: 'true' }) : IMPORT, { accounts });
      f.hidden = true;
      let result: unknown = answer;
      if (isJob(answer)) {
        const live = liveJob(answer, `Importing ${plural(accounts.length, 'account')}`);
        progress.replaceChildren(live.el);
        const job: JobRecord = await live.ended;
        result = job.result;
        if (job.state !== 'succeeded' || !result) {
          done();
          return;
        }
      }
      const r = result as ImportResult;
      progress.append(report(r), h('div', { class: 'form-actions' }, button('Close', { onClick: () => close() })));
      notify(`${plural(r.created.length, 'account')} imported.`, r.failed.length ? 'info' : 'success');
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  const close = openDialog('Import accounts', h('div', null, f, progress), { wide: true });
}

/** The "Import accounts" button of the accounts page; null for a login that may not import. */
export function importButton(role: string, done: () => void): HTMLButtonElement | null {
  if (role === 'user' || !hasRoute('POST', IMPORT)) return null;
  return button('Import accounts', { icon: 'upload', onClick: () => importDialog(done) });
}
