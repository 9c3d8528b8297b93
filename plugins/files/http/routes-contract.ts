import { tooLarge } from '../sandbox/fd.js';
import type { FileRoutesContext } from './context.js';
import { ChmodBody, ListQuery, PathBody, PathQuery, WriteBody } from './schemas.js';

/** The six contract endpoints, exactly as the API reference names them. */
export function contractRoutes({ ctx, runner, access, account, change, textLimit }: FileRoutesContext): void {
  ctx.route({
    method: 'GET',
    path: '/api/files/list',
    summary: 'List a folder (name, size, type, permissions, modified)',
    schema: { query: ListQuery },
    access: access('files:read'),
    handler: async (req) => {
      const { path = '/', limit, offset } = req.query;
      return runner.run(await account(req), 'list', {
        path,
        ...(limit !== undefined ? { limit } : {}),
        ...(offset !== undefined ? { offset } : {}),
      });
    },
  });
  ctx.route({
    method: 'GET',
    path: '/api/files/read',
    summary: 'Read a text file (capped; use download for larger or binary files)',
    schema: { query: PathQuery },
    access: access('files:read'),
    handler: async (req) => runner.run(await account(req), 'read', { path: req.query.path }),
  });
  ctx.route({
    method: 'POST',
    path: '/api/files/write',
    summary: 'Create or overwrite a text file (overwrite: false only creates; 409 when it exists)',
    schema: { body: WriteBody },
    access: access('files:write'),
    bodyLimit: textLimit * 6 + 65536,
    handler: async (req) => {
      const bytes = Buffer.byteLength(req.body.content);
      if (bytes > textLimit)
        throw tooLarge(
          `content: is ${bytes} bytes, over the ${textLimit}-byte limit for text writes; upload larger files with POST /api/files/upload`,
        );
      const acc = await account(req);
      return change(acc, () =>
        runner.withQuota(acc, (quota, used) =>
          runner.run(acc, 'write', {
            path: req.body.path,
            content: req.body.content,
            quota,
            used,
            overwrite: req.body.overwrite ?? true,
          }),
        ),
      );
    },
  });
  ctx.route({
    method: 'POST',
    path: '/api/files/mkdir',
    summary: 'Create a folder (and missing parents)',
    schema: { body: PathBody },
    access: access('files:write'),
    handler: async (req) => {
      const acc = await account(req);
      return change(acc, () => runner.run(acc, 'mkdir', { path: req.body.path }));
    },
  });
  ctx.route({
    method: 'POST',
    path: '/api/files/chmod',
    summary: 'Set permissions (octal string, 0–777)',
    schema: { body: ChmodBody },
    access: access('files:write'),
    handler: async (req) => {
      const acc = await account(req);
      return change(acc, () => runner.run(acc, 'chmod', { path: req.body.path, mode: parseInt(req.body.mode, 8) }));
    },
  });
  ctx.route({
    method: 'DELETE',
    path: '/api/files/delete',
    summary: 'Delete a file, a link, or a folder with its content',
    schema: { body: PathBody },
    access: access('files:write'),
    handler: async (req) => {
      const acc = await account(req);
      const { trashed, ...answer } = await change(acc, () => runner.run(acc, 'delete', { path: req.body.path }));
      if (trashed) void runner.purgeLater(acc); // after the answer: the folder is already out of sight
      return answer;
    },
  });
}
