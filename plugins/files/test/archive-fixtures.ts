// Hand-built archives for the extraction tests: any header a hostile tool could write.
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { zipOf } from '../../../test/fixtures/zip.js';

export interface TarMember {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  mode?: number;
  data?: string | Buffer;
  linkname?: string;
  /** Size of a zero-filled body, streamed (compression bombs). */
  zeros?: number;
}

/** A gzip-compressed tar with exactly these headers. */
export async function tarGz(members: TarMember[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = pipeline(
    pack,
    zlib.createGzip(),
    new Writable({
      write(c, _e, cb) {
        chunks.push(c);
        cb();
      },
    }),
  );
  for (const m of members) {
    const header = {
      name: m.name,
      type: m.type ?? 'file',
      mode: m.mode ?? 0o644,
      linkname: m.linkname,
      devmajor: 1,
      devminor: 3,
    };
    if (m.zeros) {
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ ...header, size: m.zeros }, (e) => (e ? reject(e) : resolve()));
        const block = Buffer.alloc(1024 * 1024);
        let left = m.zeros!;
        const write = () => {
          while (left > 0) {
            const n = Math.min(left, block.length);
            left -= n;
            if (!entry.write(block.subarray(0, n))) return void entry.once('drain', write);
          }
          entry.end(undefined);
        };
        write();
      });
    } else {
      await new Promise<void>((resolve, reject) =>
        pack.entry(header, m.data ?? '', (e) => (e ? reject(e) : resolve())),
      );
    }
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export interface ZipMember {
  name: string;
  data?: string;
  /** Full st_mode (type and permission bits) stored as Unix external attributes. */
  mode?: number;
}

/** A stored (uncompressed) zip with exactly these names and Unix modes. */
export function zip(members: ZipMember[]): Buffer {
  return zipOf(
    members.map((m) => {
      const data = Buffer.from(m.data ?? '');
      const mode = m.mode ?? (m.name.endsWith('/') ? 0o40755 : 0o100644);
      return { name: m.name, stored: data, method: 0 as const, crc: zlib.crc32(data), size: data.length, mode };
    }),
  );
}
