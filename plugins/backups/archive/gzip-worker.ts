// Plain JavaScript so the workers run the same from TypeScript sources (tests) and from dist/.
// The member header written here is the one gzip-members.ts reads (keep the two in step).
/**
 * Source of a gzip worker thread: each message is a chunk that becomes one complete gzip member.
 * The member carries its own sizes in a gzip extra field (RFC 1952 FEXTRA, subfield `VP`: member
 * length and input length, 32-bit little-endian), so a restore can cut the archive into members
 * without inflating it and inflate them in parallel; gzip, tar and zlib skip the field. Buffers
 * are transferred both ways; a member comes back as its header and the rest.
 */
export const GZIP_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const z = zlib.gzipSync(new Uint8Array(m.buf, 0, m.len), { level: workerData.level, chunkSize: m.len + (m.len >> 8) + 1024 });
    // The header goes as its own small piece, zlib's buffer after it as it is (no copy: a copy
    // would leave a member's worth of garbage per member in this thread).
    const head = new Uint8Array(24);
    head.set(z.subarray(0, 10), 0);
    head[3] |= 4;
    const v = new DataView(head.buffer);
    v.setUint16(10, 12, true);
    head[12] = 0x56;
    head[13] = 0x50;
    v.setUint16(14, 8, true);
    v.setUint32(16, z.length + 14, true);
    v.setUint32(20, m.len, true);
    parentPort.postMessage({ seq: m.seq, head: head.buffer, out: z.buffer, offset: z.byteOffset + 10, length: z.length - 10, buf: m.buf }, [head.buffer, z.buffer, m.buf]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e), buf: m.buf }, [m.buf]);
  }
});`;
