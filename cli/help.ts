import { GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from './command.js';
import { EXIT_CODE_HELP } from './exit-codes.js';

function optionLines(options: OptionSpec[]): string[] {
  const label = (o: OptionSpec) => `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`;
  const width = Math.max(...options.map((o) => label(o).length));
  return options.map((o) => `  ${label(o).padEnd(width)}  ${o.help}`);
}

function usageLine(c: CommandSpec): string {
  const args = (c.args ?? []).map((a) => (a.optional ? `[${a.name}]` : `<${a.name}>`)).join(' ');
  return `velopanel ${c.path.join(' ')}${args ? ` ${args}` : ''}${c.options?.length ? ' [options]' : ''}`;
}

function commandList(commands: CommandSpec[]): string[] {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  return commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
}

/** `velopanel --help`: every command, the global options, environment and exit codes. */
export function topHelp(commands: CommandSpec[], version: string): string {
  return [
    `velopanel ${version}: run and manage a VeloPanel`,
    '',
    'Usage: velopanel <command> [arguments] [options]',
    '',
    'Commands:',
    ...commandList(commands),
    '',
    'Global options:',
    ...optionLines([...GLOBAL_OPTIONS, { name: 'version', help: 'print the version' }]),
    '',
    'Environment:',
    '  VELOPANEL_URL, VELOPANEL_TOKEN  the panel and the token of online commands',
    '  VELOPANEL_CONFIG, VELOPANEL_DATA_DIR, VELOPANEL_DATABASE_URL  the config and store of `serve` and `admin`',
    '',
    "Online commands talk to the panel's REST API; `serve` and `admin` work on this machine.",
    'Help for one command: velopanel <command> --help',
    '',
    EXIT_CODE_HELP,
  ].join('\n');
}

/** Help for a group (`velopanel accounts --help`): its subcommands. */
export function groupHelp(group: string, commands: CommandSpec[]): string {
  return [
    `Usage: velopanel ${group} <command> [arguments] [options]`,
    '',
    'Commands:',
    ...commandList(commands),
    '',
    `Help for one: velopanel ${group} <command> --help`,
  ].join('\n');
}

/** Help for one command: usage, arguments, options, details. */
export function commandHelp(c: CommandSpec): string {
  const args = c.args ?? [];
  const argWidth = Math.max(0, ...args.map((a) => a.name.length + 2));
  return [
    `Usage: ${usageLine(c)}`,
    '',
    c.summary + (c.offline ? ' (works without the panel running)' : ''),
    ...(args.length ? ['', 'Arguments:', ...args.map((a) => `  ${`<${a.name}>`.padEnd(argWidth)}  ${a.help}`)] : []),
    ...(c.options?.length ? ['', 'Options:', ...optionLines(c.options)] : []),
    '',
    'Global options:',
    ...optionLines(c.offline ? GLOBAL_OPTIONS.filter((o) => o.name !== 'url' && o.name !== 'token') : GLOBAL_OPTIONS),
    ...(c.details ? ['', c.details] : []),
  ].join('\n');
}
