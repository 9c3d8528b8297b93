// Compression bombs built cheaply: zeros are compressed once and the compressed block repeated,
// so a few MB on disk expand to many GB without the test ever holding or deflating them.
import { closeSync, openSync, writeSync } from 'node:fs';
import zlib from 'node:zlib';
import { encodeHeader } from '../../plugins/backups/archive/tar-header.js';

const MiB = 1024 * 1024;
const ZEROS = Buffer.alloc(64 * MiB);

/**
 * Write `prefix` (gzipped) followed by `gib` GiB of zeros as a multi-member gzip file: gunzip
 * reads the members as one stream, so the whole file inflates to prefix + zeros.
 */
export function writeGzipBomb(file: string, gib: number, prefix: Buffer = Buffer.alloc(0)): void {
  const member = zlib.gzipSync(ZEROS, { level: 9 });
  const fd = openSync(file, 'w');
  try {
    if (prefix.length) writeSync(fd, zlib.gzipSync(prefix));
    for (let i = 0; i < gib * 16; i++) writeSync(fd, member);
  } finally {
    closeSync(fd);
  }
}

/** A tar header alone, declaring a regular file of `size` bytes (whatever follows it). */
export function tarHeader(name: string, size: number): Buffer {
  return encodeHeader({ name, size, type: 'file', mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', mtime: 0, linkname: '' });
}

/**
 * A zip holding one deflated member of `mib` MiB of zeros that declares `declared` bytes
 * (default: the truth). The deflate stream is one fully flushed block of 1 MiB of zeros
 * repeated, then an empty final block: valid, and about 1 KB per MiB.
 */
export function zipBomb(mib: number, declared = mib * MiB): Buffer {
  const block = zlib.deflateRawSync(ZEROS.subarray(0, MiB), { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const data = Buffer.concat([...Array<Buffer>(mib).fill(block), Buffer.from([0x03, 0x00])]);
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = zlib.crc32(ZEROS.subarray(0, MiB), crc);
  const name = Buffer.from('zeros.bin');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8);
  local.writeUInt16LE(0, 10); local.writeUInt16LE(0x21, 12); local.writeUInt32LE(crc >>> 0, 14); local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22); local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE((3 << 8) | 20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10); central.writeUInt16LE(0, 12); central.writeUInt16LE(0x21, 14); central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(declared, 24); central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38); central.writeUInt32LE(0, 42);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12); end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}
