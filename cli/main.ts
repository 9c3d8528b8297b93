import { panelVersion } from '../core/paths.js';
import { ApiClient, DEFAULT_URL, panelUrl } from './api-client.js';
import { GLOBAL_OPTIONS, leadingWords, parseLine, type CommandContext, type CommandSpec } from './command.js';
import * as access from './commands/access.js';
import * as accounts from './commands/accounts.js';
import { accountsImportCommand } from './commands/accounts-import.js';
import { adminCreateCommand, adminReset2faCommand, adminResetCommand } from './commands/admin.js';
import * as backup from './commands/backups.js';
import * as dns from './commands/dns.js';
import * as jobs from './commands/jobs.js';
import { licenseInstallCommand, licenseShowCommand } from './commands/license.js';
import * as plans from './commands/plans.js';
import * as plugins from './commands/plugins.js';
import { regenerateCommand } from './commands/regenerate.js';
import { serveCommand } from './commands/serve.js';
import { loginCommand, logoutCommand, whoamiCommand } from './commands/session.js';
import { CredentialStore } from './credentials.js';
import { CliError, Exit, usageError } from './exit-codes.js';
import { commandHelp, groupHelp, topHelp } from './help.js';
import { createOutput } from './output.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CommandSpec[] = [
  serveCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
  adminCreateCommand,
  adminResetCommand,
  adminReset2faCommand,
  accounts.accountsListCommand,
  accounts.accountsCreateCommand,
  accounts.accountsPasswordCommand,
  accounts.accountsSuspendCommand,
  accounts.accountsUnsuspendCommand,
  accounts.accountsDeleteCommand,
  plans.accountsPlanCommand,
  accountsImportCommand,
  plans.plansListCommand,
  plans.plansCreateCommand,
  plans.plansSetCommand,
  plans.plansDeleteCommand,
  access.sshKeysListCommand,
  access.sshKeysAddCommand,
  access.sshKeysRemoveCommand,
  access.shellSetCommand,
  access.cronListCommand,
  access.cronAddCommand,
  access.cronSetCommand,
  access.cronRemoveCommand,
  backup.backupListCommand,
  backup.backupCreateCommand,
  backup.backupRestoreCommand,
  backup.backupDeleteCommand,
  dns.dnsZonesCommand,
  dns.dnsShowCommand,
  dns.dnsSetCommand,
  dns.dnsDeleteCommand,
  dns.dnsStatusCommand,
  jobs.jobsListCommand,
  jobs.jobsWatchCommand,
  jobs.jobsCancelCommand,
  licenseShowCommand,
  licenseInstallCommand,
  plugins.pluginsListCommand,
  plugins.pluginsEnableCommand,
  plugins.pluginsDisableCommand,
  plugins.pluginsAllowCommand,
  plugins.pluginsDenyCommand,
  regenerateCommand,
];

type Resolved = { command: CommandSpec } | { help: string };

/** Find the command the leading words name, or the help to show instead. */
function resolve(words: string[], wantsHelp: boolean): Resolved {
  const [first, second] = words;
  if (!first) return { help: topHelp(COMMANDS, panelVersion()) };
  const single = COMMANDS.find((c) => c.path.length === 1 && c.path[0] === first);
  if (single) return { command: single };
  const group = COMMANDS.filter((c) => c.path[0] === first);
  if (!group.length) throw usageError(`unknown command '${first}'`, '');
  const sub = group.find((c) => c.path[1] === second);
  if (sub) return { command: sub };
  if (!second || wantsHelp) return { help: groupHelp(first, group) };
  throw usageError(`unknown command '${first} ${second}'`, first);
}

/** Positional arguments by name, checking their number. */
function bindArgs(c: CommandSpec, positionals: string[]): Record<string, string | undefined> {
  const specs = c.args ?? [];
  const required = specs.filter((a) => !a.optional).length;
  const name = c.path.join(' ');
  if (positionals.length < required) throw usageError(`missing <${specs[positionals.length]!.name}>`, name);
  if (positionals.length > specs.length) throw usageError(`unexpected argument '${positionals[specs.length]}'`, name);
  return Object.fromEntries(specs.map((a, i) => [a.name, positionals[i]]));
}

function apiFor(options: CommandContext['options'], env: NodeJS.ProcessEnv): () => ApiClient {
  let client: ApiClient | null = null;
  return () => {
    if (client) return client;
    const store = new CredentialStore(env);
    const url = panelUrl((options.url as string | undefined) ?? env.VELOPANEL_URL ?? store.defaultUrl() ?? DEFAULT_URL);
    const token = (options.token as string | undefined) ?? env.VELOPANEL_TOKEN ?? store.get(url)?.token ?? null;
    return (client = new ApiClient(url, token || null));
  };
}

/**
 * Run one `velopanel` command line. Returns the exit code, or null when the command keeps the
 * process running (`serve`).
 */
export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number | null> {
  if (argv[0] === 'help') argv = [...argv.slice(1), '--help'];
  const json = argv.includes('--json');
  const out = createOutput({ json, quiet: argv.includes('--quiet') || argv.includes('-q') });
  try {
    const words = leadingWords(argv);
    if (!words.length && argv.includes('--version')) {
      out.result({ version: panelVersion() }, () => panelVersion());
      return Exit.OK;
    }
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    const found = resolve(words, wantsHelp);
    if ('help' in found) {
      (wantsHelp ? process.stdout : process.stderr).write(found.help + '\n');
      return wantsHelp ? Exit.OK : Exit.USAGE;
    }
    const c = found.command;
    let line;
    try {
      line = parseLine(argv, [...GLOBAL_OPTIONS, ...(c.options ?? [])]);
    } catch (e) {
      throw usageError((e as Error).message, c.path.join(' '));
    }
    if (line.options.help) {
      process.stdout.write(commandHelp(c) + '\n');
      return Exit.OK;
    }
    const rest = [...line.words];
    for (const w of c.path) rest.splice(rest.indexOf(w), 1);
    const ctx: CommandContext = {
      args: bindArgs(c, rest),
      options: line.options,
      out,
      env,
      api: apiFor(line.options, env),
    };
    return await c.run(ctx);
  } catch (e) {
    const err =
      e instanceof CliError ? e : new CliError(`unexpected error: ${(e as Error)?.message ?? String(e)}`, Exit.ERROR);
    if (json)
      process.stderr.write(
        JSON.stringify({ ok: false, error: err.message, code: err.code ?? null, exit_code: err.exitCode }) + '\n',
      );
    else process.stderr.write(`velopanel: ${err.message}\n`);
    return err.exitCode;
  }
}
