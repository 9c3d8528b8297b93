// The two servers of the HTTP benchmark, each in its own process as production runs it (the
// built panel from dist/, config/runtime.env applied by the caller):
//   node http-servers.mjs kernel          a test panel with one route through the full kernel path
//   node http-servers.mjs bare <file>     bare node:http answering the bytes in <file>
//   node http-servers.mjs json <file>     bare node:http serialising <file>'s object per request with
//                                         a fresh request id: the least any JSON API server does
// Prints one JSON line {url, token?} and serves until SIGTERM.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import 'reflect-metadata';
import { definePlugin, Type } from '../../dist/sdk/index.js';
import { startTestPanel } from '../../dist/sdk/testing/harness.js';

const [kind, file] = process.argv.slice(2);
const ready = (info) => process.stdout.write(`${JSON.stringify(info)}\n`);

if (kind === 'kernel') {
  const payload = {
    items: Array.from({ length: 12 }, (_, i) => ({ id: i, name: `item-${i}`, status: 'active', size_mb: i * 10 })),
  };
  const bench = definePlugin({
    manifest: { id: 'bench', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      ctx.route({
        method: 'GET',
        path: '/api/bench/:id',
        access: { scope: 'bench:read' },
        schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) },
        handler: () => payload,
      });
    },
  });
  const panel = await startTestPanel({ inline: [bench] });
  process.on('SIGTERM', () => void panel.stop().finally(() => process.exit(0)));
  ready({ url: `${panel.url}/api/bench/7`, token: panel.tokens.admin });
} else {
  // The same bytes as the panel's answer: body and header lines (its request id is a fixed one here).
  const bytes = readFileSync(file);
  const headersFor = (length, id) => [
    'Content-Type',
    'application/json; charset=utf-8',
    'Content-Length',
    String(length),
    'X-Content-Type-Options',
    'nosniff',
    'Cache-Control',
    'no-store',
    'X-Request-Id',
    id,
  ];
  const headers = headersFor(bytes.length, '00000000-0000-4000-8000-000000000000');
  const data = JSON.parse(bytes.toString()).data;
  const server = http.createServer(
    kind === 'json'
      ? (_req, res) => {
          const body = JSON.stringify({ ok: true, data });
          res.writeHead(200, headersFor(Buffer.byteLength(body), randomUUID()));
          res.end(body);
        }
      : (_req, res) => {
          res.writeHead(200, headers);
          res.end(bytes);
        },
  );
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  server.listen(0, '127.0.0.1', () => ready({ url: `http://127.0.0.1:${server.address().port}/api/bench/7` }));
}
