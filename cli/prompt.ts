import { createInterface } from 'node:readline/promises';
import { CliError, Exit, usageError } from './exit-codes.js';

/** All of standard input, as text (for `--password-stdin` and `license install -`). */
export async function readStdin(limit = 1024 * 1024): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += chunk.length;
    if (size > limit) throw usageError(`standard input is larger than ${limit} bytes`);
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Ask a question on the terminal (visible answer). */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Read a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new CliError('interrupted', Exit.INTERRUPTED));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A password: the first line of standard input with `--password-stdin`, else asked on the
 * terminal (twice for a new one). Never taken from the command line, where `ps` would show it.
 */
export async function readPassword(opts: {
  fromStdin: boolean;
  confirm: boolean;
  label?: string;
  hint: string;
}): Promise<string> {
  const label = opts.label ?? 'Password';
  if (opts.fromStdin) {
    const line = (await readStdin()).split(/\r?\n/)[0] ?? '';
    if (!line) throw usageError('--password-stdin: standard input holds no password');
    return line;
  }
  if (!process.stdin.isTTY)
    throw usageError(
      'no password given: pipe it in with --password-stdin (passwords are never taken as arguments)',
      opts.hint,
    );
  const first = await askHidden(`${label}: `);
  if (opts.confirm && (await askHidden(`${label} again: `)) !== first)
    throw new CliError('the passwords do not match', Exit.USAGE, 'USAGE');
  return first;
}

/** The first `count` lines of standard input, each required (e.g. the current and the new password). */
export async function readStdinLines(count: number, what: string): Promise<string[]> {
  const lines = (await readStdin()).split(/\r?\n/).slice(0, count);
  if (lines.length < count || lines.some((l) => !l))
    throw usageError(`--password-stdin: standard input must hold ${what}, one a line`);
  return lines;
}

/** Ask before something that cannot be undone; `--yes` answers for scripts. Throws when declined. */
export async function confirm(yes: unknown, what: string): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw usageError(`refusing to ${what} without --yes`);
  if (!/^y(es)?$/i.test(await ask(`${what[0]!.toUpperCase()}${what.slice(1)}? This cannot be undone. [y/N] `)))
    throw new CliError('cancelled', Exit.ERROR, 'CANCELLED');
}

/**
 * Before asking for a new password on a terminal: say what it ends, so nobody is surprised
 * when their scripts' API tokens stop working. Scripts (`--password-stdin`) read it in the help.
 */
export function warnEndsAccess(fromStdin: unknown, whose: string): void {
  if (!fromStdin && process.stdin.isTTY)
    process.stderr.write(`A new password ends every session and deletes every API token of ${whose}.\n`);
}

/** What a password change ended, for the answer line. */
export function endedAccess(apiTokensRevoked: number): string {
  return `its sessions have ended and ${apiTokensRevoked} API token${apiTokensRevoked === 1 ? ' was' : 's were'} deleted`;
}
