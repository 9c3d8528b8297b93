import type { CommandSpec } from './command.js';
import { Exit } from './exit-codes.js';
import { table, type Column } from './output.js';

/**
 * A command that shows what one GET of the API answers: a table with these columns, or the rows
 * as JSON with `--json`.
 */
export function listCommand<T>(spec: {
  path: string[];
  summary: string;
  route: string;
  columns: Column<T>[];
}): CommandSpec {
  return {
    path: spec.path,
    summary: spec.summary,
    async run(ctx) {
      const rows = await ctx.api().request<T[]>('GET', spec.route);
      ctx.out.result(rows, () => table(rows, spec.columns));
      return Exit.OK;
    },
  };
}
