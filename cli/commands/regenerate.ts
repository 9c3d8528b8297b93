import type { CommandSpec } from '../command.js';
import { Exit } from '../exit-codes.js';
import { describeResult } from '../output.js';

/** `velopanel regenerate`: rebuild every web-server config from the database and reload. */
export const regenerateCommand: CommandSpec = {
  path: ['regenerate'],
  summary: 'Regenerate every vhost config from the database and reload the web server (admin)',
  details: 'Only files whose content changed are rewritten; a config the web server refuses is rolled back.',
  async run(ctx) {
    const result = await ctx.api().request('POST', '/api/webserver/regenerate');
    ctx.out.result(result, () => ['Regenerated.', ...describeResult(result)]);
    return Exit.OK;
  },
};
