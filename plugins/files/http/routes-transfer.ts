import { RAW_RESPONSE } from '../../../sdk/routes.js';
import { parseHomePath } from '../paths.js';
import { contentDisposition, contentTypeOf } from '../range.js';
import { tooLarge } from '../sandbox/fd.js';
import type { FileRoutesContext } from './context.js';
import { drain, receiveFilePart } from './multipart.js';
import { PathQuery, UploadQuery } from './schemas.js';

// Multipart framing around one file is a few hundred bytes; a body this much over the limit is refused unread.
const FRAMING_SLACK = 64 * 1024;

/** Streaming download (ranges, disposition) and streaming multipart upload. */
export function transferRoutes({ ctx, runner, access, account, change, uploadLimit }: FileRoutesContext): void {
  ctx.route({
    method: 'GET',
    path: '/api/files/download',
    summary: 'Download a file (streamed; supports Range)',
    schema: { query: PathQuery },
    access: access('files:read'),
    handler: async (req) => {
      const acc = await account(req);
      const res = req.res;
      const range = typeof req.headers.range === 'string' ? req.headers.range : null;
      try {
        await runner.run(
          acc,
          'download',
          { path: req.query.path, range },
          {
            output: async (meta) => {
              res.setHeader('Accept-Ranges', 'bytes');
              res.setHeader('Last-Modified', meta.modified);
              res.setHeader('Cache-Control', 'private, no-store');
              res.setHeader('X-Content-Type-Options', 'nosniff');
              res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
              if (meta.status === 416) {
                res.writeHead(416, { 'Content-Range': `bytes */${meta.size}`, 'Content-Length': 0 });
                res.end();
                return null;
              }
              const length = meta.end - meta.start + 1;
              res.writeHead(meta.status, {
                'Content-Type': contentTypeOf(meta.name),
                'Content-Disposition': contentDisposition(meta.name),
                'Content-Length': length,
                ...(meta.status === 206 ? { 'Content-Range': `bytes ${meta.start}-${meta.end}/${meta.size}` } : {}),
              });
              if (req.raw.method === 'HEAD' || length === 0) {
                res.end();
                return null;
              }
              return res;
            },
          },
        );
      } catch (e) {
        if (!res.headersSent) throw e;
        res.destroy(); // the body broke off mid-way: the client must see a truncated transfer
      }
      return RAW_RESPONSE;
    },
  });

  ctx.route({
    method: 'POST',
    path: '/api/files/upload',
    summary: 'Upload one file (multipart/form-data, streamed) into a folder',
    schema: { query: UploadQuery },
    access: access('files:write'),
    rawBody: true,
    handler: async (req) => {
      const acc = await account(req);
      const folder = parseHomePath(req.query.path);
      const overwrite = req.query.overwrite ?? false;
      const declared = Number(req.headers['content-length'] ?? NaN);
      const refuse = (e: Error) => {
        req.res.setHeader('Connection', 'close');
        drain(req.raw);
        return e;
      };
      if (declared > uploadLimit + FRAMING_SLACK)
        throw refuse(tooLarge(`Upload is ${declared} bytes, over the limit of ${uploadLimit} bytes`));
      return change(acc, () =>
        runner.withQuota(acc, (quota, used) =>
          receiveFilePart(req.raw, uploadLimit, (name, stream) =>
            runner.run(
              acc,
              'upload',
              {
                folder: folder.text,
                name,
                overwrite,
                quota,
                used,
                maxBytes: uploadLimit,
                declared: Number.isFinite(declared) ? declared : null,
              },
              { input: stream },
            ),
          ),
        ),
      ).catch((e: Error) => {
        throw refuse(e);
      });
    },
  });
}
