import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { JobRecord } from '../../sdk/jobs.js';
import type { CommandSpec } from '../command.js';
import { csvObjects } from '../csv.js';
import { CliError, Exit, usageError } from '../exit-codes.js';
import { cellText } from '../output.js';
import { asJob, followJob, jobFailure, progressMode } from '../progress.js';

const COLUMNS = ['username', 'domain', 'email', 'password', 'plan'] as const;

/** What the import job answers (see `POST /api/accounts/import`). */
interface ImportResult {
  status: 'ok' | 'partial' | 'failed';
  created: { row: number; id: number; username: string; primary_domain: string }[];
  failed: { row: number; username: string; error: string }[];
  reloaded: boolean;
}

/** A password for a row that gives none: 24 characters of base64url (144 random bits). */
const generated = () => randomBytes(18).toString('base64url');

export const accountsImportCommand: CommandSpec = {
  path: ['accounts', 'import'],
  summary: 'Create many accounts from a CSV file, as one job with one web-server reload',
  args: [{ name: 'file', help: 'CSV with a header line: username, domain, email, and optionally password, plan' }],
  options: [
    {
      name: 'passwords-out',
      value: 'FILE',
      help: 'write the passwords generated for rows without one to FILE (mode 0600) instead of printing them',
    },
    { name: 'no-wait', help: 'print the job and return at once (follow it with `velopanel jobs watch <id>`)' },
    { name: 'progress', value: 'MODE', help: 'bar, lines or none (default: bar on a terminal, lines otherwise)' },
  ],
  details: `Every row is checked before anything is made: one bad row (a taken name, a bad field, a
licence or reseller limit) refuses the whole file with each bad row named ("row 3" is the third
line after the header) and nothing is created. A row failing later (a name taken meanwhile) is
reported on its own; the others are made. Exit code 7 when any row failed.
  velopanel accounts import accounts.csv --passwords-out generated.csv`,
  async run(ctx) {
    const file = ctx.args.file!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw usageError(
        `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        'accounts import',
      );
    }
    const records = csvObjects(text, {
      known: COLUMNS,
      required: ['username', 'domain', 'email'],
      verbatim: ['password'],
    });
    if (!records.length) throw usageError(`${file} has a header but no rows`, 'accounts import');
    const made: { row: number; username: string; password: string }[] = [];
    const accounts = records.map(({ row }, i) => {
      if (row.password !== undefined) return row;
      const password = generated();
      made.push({ row: i + 1, username: row.username ?? '', password });
      return { ...row, password };
    });
    const api = ctx.api();
    const mode = progressMode(ctx.out, ctx.options.progress);
    const started = asJob(
      await api.request('POST', '/api/accounts/import', { query: { async: 'true' }, body: { accounts } }),
    );
    if (!started) throw new CliError('the panel did not answer with a job', Exit.ERROR);
    const out = ctx.options['passwords-out'];
    if (made.length && typeof out === 'string')
      writeFileSync(
        out,
        ['row,username,password', ...made.map((m) => `${m.row},${m.username},${m.password}`)].join('\n') + '\n',
        { mode: 0o600 },
      );
    if (ctx.options['no-wait']) {
      ctx.out.result({ job: started, generated_passwords: typeof out === 'string' ? [] : made }, () => [
        `Started job ${started.id} (${started.kind}); follow it with: velopanel jobs watch ${started.id}`,
        ...passwords(made, out),
      ]);
      return Exit.OK;
    }
    const job: JobRecord = await followJob(api, started.id, ctx.out, mode, 'import');
    const r = job.result as ImportResult | null;
    ctx.out.result({ ...job, generated_passwords: typeof out === 'string' ? [] : made }, () => {
      if (job.state !== 'succeeded' || !r) return [`import: ${job.state}: ${jobFailure(job)}`];
      return [
        `import: created ${r.created.length} of ${records.length} accounts${r.reloaded ? ' (one web-server reload)' : ''}.`,
        ...r.failed.map(
          (f) =>
            `row ${f.row} (line ${records[f.row - 1]?.line ?? '?'}) '${cellText(f.username)}': ${cellText(f.error)}`,
        ),
        ...passwords(
          made.filter((m) => r.created.some((c) => c.row === m.row)),
          out,
        ),
      ];
    });
    return job.state === 'succeeded' && r?.status === 'ok' ? Exit.OK : Exit.JOB_FAILED;
  },
};

/** The generated passwords, unless they went to a file. */
function passwords(
  made: { row: number; username: string; password: string }[],
  out: string | boolean | undefined,
): string[] {
  if (!made.length) return [];
  if (typeof out === 'string') return [`Generated passwords of ${made.length} rows written to ${out}.`];
  return ['Generated passwords (shown once):', ...made.map((m) => `  ${cellText(m.username)}  ${m.password}`)];
}
