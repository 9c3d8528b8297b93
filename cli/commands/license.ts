import { readFileSync } from 'node:fs';
import type { CommandSpec } from '../command.js';
import { CliError, Exit } from '../exit-codes.js';
import { keyValues } from '../output.js';
import { readStdin } from '../prompt.js';

/** `/api/license` as the CLI shows it. */
interface Licence {
  tier: string;
  state: string;
  valid: boolean;
  customer: string | null;
  limits: Record<string, number | null>;
  usage: Record<string, number>;
  features: string[];
  expires_at: string | null;
  grace_until: string | null;
  message: string | null;
}

function describe(l: Licence): string[] {
  const limits = Object.entries(l.limits).map(([k, max]): [string, unknown] => {
    const resource = k.replace(/^max_/, '');
    return [resource, `${l.usage?.[resource] ?? '?'} / ${max === null ? 'unlimited' : max}`];
  });
  return keyValues([
    ['tier', l.tier],
    ['state', l.state],
    ['customer', l.customer],
    ['expires', l.expires_at],
    ['grace until', l.grace_until],
    ...limits,
    ['features', l.features.join(', ')],
    ...(l.message ? [['note', l.message] as [string, unknown]] : []),
  ]);
}

export const licenseShowCommand: CommandSpec = {
  path: ['license', 'show'],
  summary: 'Show the licence: tier, state, limits against usage, features, expiry',
  async run(ctx) {
    const l = await ctx.api().request<Licence>('GET', '/api/license');
    ctx.out.result(l, () => describe(l));
    return Exit.OK;
  },
};

export const licenseInstallCommand: CommandSpec = {
  path: ['license', 'install'],
  summary: 'Install a licence file (admin); refused unless it would be in force',
  args: [{ name: 'file', help: 'the licence file, or - for standard input' }],
  async run(ctx) {
    const file = ctx.args.file!;
    let text: string;
    try {
      text = file === '-' ? await readStdin(64 * 1024) : readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(
        `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        Exit.USAGE,
        'USAGE',
      );
    }
    const l = await ctx.api().request<Licence>('POST', '/api/license', { body: { license_key: text.trim() } });
    ctx.out.result(l, () => [`Licence installed: ${l.tier} (${l.state}).`, ...describe(l)]);
    return Exit.OK;
  },
};
