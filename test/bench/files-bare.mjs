// Bare node:http streaming a file in and out (no kernel, no multipart), in its own process with
// the panel's runtime env, so its RSS is the floor Node itself sets for the same transfers.
//   node files-bare.mjs <src> <dest>      prints {url} and serves until SIGTERM
import { createReadStream, createWriteStream } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';

const [src, dest] = process.argv.slice(2);
const server = http.createServer((req, res) => {
  if (req.method === 'GET')
    return void pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), res).catch(() => undefined);
  void pipeline(req, createWriteStream(dest, { highWaterMark: 1 << 20 })).then(() => res.end('ok'));
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/` })}\n`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
