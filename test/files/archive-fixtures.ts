// Hand-built archives for the extraction tests: any header a hostile tool could write.
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';

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
          entry.end();
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
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const data = Buffer.from(m.data ?? '');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((m.mode ?? (m.name.endsWith('/') ? 0o40755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
