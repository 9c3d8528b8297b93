// Hand-made backup archives for hostile-archive tests, written with an independent ustar encoder
// so any typeflag, name or link can be produced. By default the manifest is complete and every
// checksum is right, so a refusal proves the check under test, not a checksum mismatch.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface CraftEntry {
  name: string;
  /** ustar typeflag: '0' file, '5' dir, '2' symlink, '1' hardlink, '3' char, '4' block, '6' FIFO */
  type?: string;
  mode?: number;
  data?: Buffer | string;
  /** declared size (defaults to the data's) */
  size?: number;
  linkname?: string;
  uid?: number;
}

export interface CraftOptions {
  account: {
    id: number;
    username: string;
    home_dir: string;
    disk_quota_mb?: number;
    email?: string;
    primary_domain?: string;
    identity?: string;
  };
  entries: CraftEntry[];
  databases?: { engine: string; database: string; user: string; chunks: Buffer[] }[];
  /** edit the manifest object before it is written (after checksums are filled in) */
  manifest?: (m: any) => any;
  omitManifest?: boolean;
  /** signs the finished manifest (e.g. `new ManifestSigner(keyFile).sign`); unsigned without */
  sign?: (m: any) => unknown;
  /** entries written after manifest.json */
  trailing?: CraftEntry[];
}

/** One ustar header block for `e`, declaring `size` bytes (whatever follows it). */
export function craftHeader(e: CraftEntry, size: number): Buffer {
  const b = Buffer.alloc(512);
  b.write(e.name, 0, 100, 'utf8');
  const oct = (v: number, off: number, len: number) =>
    b.write(v.toString(8).padStart(len - 1, '0') + '\0', off, len, 'ascii');
  oct(e.mode ?? (e.type === '5' ? 0o755 : 0o644), 100, 8);
  oct(e.uid ?? 1000, 108, 8);
  oct(1000, 116, 8);
  oct(size, 124, 12);
  oct(1700000000, 136, 12);
  b.write(e.type ?? '0', 156, 1, 'ascii');
  b.write(e.linkname ?? '', 157, 100, 'utf8');
  b.write('ustar\x0000', 257, 8, 'binary');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return b;
}

function entryBytes(e: CraftEntry): Buffer {
  const data = typeof e.data === 'string' ? Buffer.from(e.data) : (e.data ?? Buffer.alloc(0));
  const size = e.size ?? data.length;
  const body = Buffer.alloc(Math.ceil(size / 512) * 512);
  data.copy(body, 0, 0, Math.min(size, data.length));
  return Buffer.concat([craftHeader(e, size), body]);
}

/** A complete .tar.gz backup from the given entries. */
export function craftArchive(o: CraftOptions): Buffer {
  const home = Buffer.concat(o.entries.map(entryBytes));
  const files = o.entries.filter((e) => (e.type ?? '0') === '0');
  const dbParts: Buffer[] = [];
  const databases = (o.databases ?? []).map((d) => {
    d.chunks.forEach((c, i) =>
      dbParts.push(
        entryBytes({
          name: `databases/${d.engine}/${d.database}.sql.${String(i + 1).padStart(6, '0')}`,
          data: c,
          mode: 0o600,
        }),
      ),
    );
    const all = Buffer.concat(d.chunks);
    return {
      engine: d.engine,
      database: d.database,
      user: d.user,
      chunks: d.chunks.length,
      bytes: all.length,
      sha256: createHash('sha256').update(all).digest('hex'),
    };
  });
  const a = o.account;
  let manifest: any = {
    format: 'velopanel-backup',
    format_version: 1,
    panel_version: '0.1.0',
    created_at: '2026-01-01T00:00:00.000Z',
    server_hostname: 'crafted',
    account: {
      id: a.id,
      username: a.username,
      primary_domain: a.primary_domain ?? `${a.username}.example.com`,
      email: a.email ?? `${a.username}@example.com`,
      plan: 'free',
      status: 'active',
      home_dir: a.home_dir,
      uid: null,
      gid: null,
      disk_quota_mb: a.disk_quota_mb ?? 500,
      bandwidth_quota_mb: 10000,
      reseller_id: null,
      created_at: '2026-02-28 15:44:05',
      ...(a.identity ? { identity: a.identity } : {}),
    },
    domains: [],
    settings: {},
    files: {
      entries: o.entries.length,
      bytes: home.length,
      content_bytes: files.reduce((n, e) => n + (e.size ?? Buffer.byteLength(e.data ?? '')), 0),
      sha256: createHash('sha256').update(home).digest('hex'),
      skipped: [],
      skipped_count: 0,
    },
    databases,
    warnings: [],
  };
  if (o.manifest) manifest = o.manifest(manifest);
  if (o.sign) manifest.signature = o.sign(manifest);
  const parts = [home, ...dbParts];
  if (!o.omitManifest) parts.push(entryBytes({ name: 'manifest.json', data: JSON.stringify(manifest), mode: 0o600 }));
  for (const t of o.trailing ?? []) parts.push(entryBytes(t));
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
