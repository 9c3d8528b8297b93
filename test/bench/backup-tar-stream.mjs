// The one-pass restore with tar-stream's extract in place of the panel's tar reader: the same
// parallel inflating, the same extraction into staging, every raw byte hashed once as it enters
// the parser — but none of the reader's header checks, part boundaries or end-marker handling,
// so its time is a lower bound of what a restore on the library would cost. Figures only.
//   VP_DIST VP_OUT VP_DEST VP_THREADS node backup-tar-stream.mjs   prints {rss_mb, entries}
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';

const d = process.env.VP_DIST;
const { inflateArchive } = await import(d + '/plugins/backups/archive/parallel-gunzip.js');
const { HomeExtractor } = await import(d + '/plugins/backups/archive/extract-home.js');
const { LocalTarget } = await import(d + '/plugins/backups/targets/local.js');
const target = new LocalTarget('local', 'server', path.dirname(process.env.VP_OUT));
mkdirSync(process.env.VP_DEST, { mode: 0o700 });
const x = new HomeExtractor(process.env.VP_DEST, { uid: null, gid: null, keepGids: [] }, null);
const hash = createHash('sha256');
const extract = tar.extract();
const feeding = (async () => {
  for await (const c of inflateArchive(
    await target.get(path.basename(process.env.VP_OUT)),
    Number(process.env.VP_THREADS),
  )) {
    hash.update(c);
    if (!extract.write(c)) await new Promise((r) => extract.once('drain', r));
  }
  extract.end();
})();
let entries = 0;
for await (const entry of extract) {
  const h = entry.header;
  entries++;
  if (h.name === 'home' || h.name.startsWith('home/')) {
    const rel = h.name === 'home' ? '' : h.name.replace(/\/$/, '').slice(5);
    await x.entry(
      rel,
      { ...h, mtime: h.mtime.getTime() / 1000, linkname: h.linkname ?? '', raw: [] },
      h.type,
      h.type === 'file' ? entry : null,
    );
  }
  for await (const _ of entry) void _;
}
await feeding;
hash.digest();
await x.finish({ from: process.env.VP_DEST, to: process.env.VP_DEST });
console.log(
  JSON.stringify({
    entries,
    rss_mb: Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024),
  }),
);
