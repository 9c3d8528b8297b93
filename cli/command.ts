import type { ApiClient } from './api-client.js';
import type { Output } from './output.js';

/** An option of a command: a flag (`--yes`) or one taking a value (`--plan NAME`). */
export interface OptionSpec {
  name: string;
  /** Placeholder of the value (`NAME`); absent for a flag. */
  value?: string;
  help: string;
  short?: string;
}

/** A positional argument. */
export interface ArgSpec {
  name: string;
  help: string;
  optional?: boolean;
}

/** What a command's `run` receives. */
export interface CommandContext {
  args: Record<string, string | undefined>;
  options: Record<string, string | boolean | undefined>;
  out: Output;
  /** The panel's REST API with the resolved URL and token (online commands). */
  api(): ApiClient;
  env: NodeJS.ProcessEnv;
}

/** One `velopanel` command. `run` returns the exit code, or null to keep running (serve). */
export interface CommandSpec {
  /** `['accounts', 'create']`, or one word for top-level commands. */
  path: string[];
  summary: string;
  args?: ArgSpec[];
  options?: OptionSpec[];
  /** Extra help text: what it does, where the data goes, examples. */
  details?: string;
  /** Works without the panel running (on the database or the machine directly). */
  offline?: boolean;
  run(ctx: CommandContext): Promise<number | null>;
}

/** Options every command understands. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'url', value: 'URL', help: 'the panel (default $VELOPANEL_URL, else http://127.0.0.1:7070)' },
  {
    name: 'token',
    value: 'TOKEN',
    help: 'API or session token (default $VELOPANEL_TOKEN, else the one `velopanel login` stored)',
  },
  { name: 'json', help: 'machine-readable JSON on standard output' },
  { name: 'quiet', short: 'q', help: 'no progress output' },
  { name: 'help', short: 'h', help: 'show help' },
];

/** `--yes` of commands that cannot be undone: needed when not on a terminal. */
export const YES_OPTION: OptionSpec = {
  name: 'yes',
  short: 'y',
  help: 'do not ask for confirmation (needed when not on a terminal)',
};

/** Tokens of the command line split into words (command path and positionals) and options. */
export interface ParsedLine {
  words: string[];
  options: Record<string, string | boolean>;
}

/**
 * Parse `argv` against the options a command accepts: `--name value`, `--name=value`, `-h`,
 * flags, and `--` ending options. Throws a message for unknown or incomplete options.
 */
export function parseLine(argv: string[], accepted: OptionSpec[]): ParsedLine {
  const byName = new Map(accepted.map((o) => [o.name, o]));
  const byShort = new Map(accepted.filter((o) => o.short).map((o) => [o.short!, o]));
  const words: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (tok === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!tok.startsWith('-') || tok === '-') {
      words.push(tok);
      continue;
    }
    const long = tok.startsWith('--');
    const eq = tok.indexOf('=');
    const name = long ? tok.slice(2, eq > 0 ? eq : undefined) : tok.slice(1);
    const spec = long ? byName.get(name) : byShort.get(name);
    if (!spec) throw new Error(`unknown option ${long ? '--' : '-'}${name}`);
    if (!spec.value) {
      if (eq > 0) throw new Error(`option --${spec.name} takes no value`);
      options[spec.name] = true;
      continue;
    }
    const value = eq > 0 ? tok.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`option --${spec.name} needs a value (${spec.value})`);
    options[spec.name] = value;
  }
  return { words, options };
}

/** The first words of the line that are not option values of the global options. */
export function leadingWords(argv: string[]): string[] {
  const takesValue = new Set(GLOBAL_OPTIONS.filter((o) => o.value).map((o) => `--${o.name}`));
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const tok = argv[i]!;
    if (tok === '--') break;
    if (takesValue.has(tok)) i++;
    else if (!tok.startsWith('-')) words.push(tok);
  }
  return words;
}
