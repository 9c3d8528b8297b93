// Plain JavaScript so the workers run the same from TypeScript sources (tests) and from dist/.
// The member header written here is the one gzip-members.ts reads (keep the two in step).
/**
 * Source of a gzip worker thread: each message is a chunk that becomes one complete gzip member.
 * The member carries its own sizes in a gzip extra field (RFC 1952 FEXTRA, subfield `VP`: member
 * length and input length, 32-bit little-endian), so a restore can cut the archive into members
 * without inflating it and inflate them in parallel; gzip, tar and zlib skip the field. Buffers
 * are transferred both ways; the output is a fresh buffer of exactly the member's size.
 */
export const GZIP_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const z = zlib.gzipSync(new Uint8Array(m.buf, 0, m.len), { level: workerData.level, chunkSize: m.len + (m.len >> 8) + 1024 });
    const out = new Uint8Array(z.length + 14);
    out.set(z.subarray(0, 10), 0);
    out[3] |= 4;
    const v = new DataView(out.buffer);
    v.setUint16(10, 12, true);
    out[12] = 0x56;
    out[13] = 0x50;
    v.setUint16(14, 8, true);
    v.setUint32(16, out.length, true);
    v.setUint32(20, m.len, true);
    out.set(z.subarray(10), 24);
    parentPort.postMessage({ seq: m.seq, out: out.buffer, offset: 0, length: out.length, buf: m.buf }, [out.buffer, m.buf]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e), buf: m.buf }, [m.buf]);
  }
});`;

/**
 * Source of a gunzip worker thread: each message is one member as cut by its declared sizes
 * (`max`: the input length it declares). Output beyond that is refused while inflating, so a
 * lying member cannot make a worker allocate more; less is refused after.
 */
export const GUNZIP_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const z = zlib.gunzipSync(new Uint8Array(m.buf, 0, m.len), { maxOutputLength: Math.max(1, m.max), chunkSize: Math.max(1024, m.max + 64) });
    if (z.length !== m.max) throw new Error('a gzip member does not hold the size it declares');
    let out = z;
    if (z.byteOffset !== 0 || z.buffer.byteLength !== z.length) {
      out = new Uint8Array(z.length);
      out.set(z);
    }
    parentPort.postMessage({ seq: m.seq, out: out.buffer, offset: 0, length: out.length, buf: m.buf }, [out.buffer, m.buf]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e), buf: m.buf }, [m.buf]);
  }
});`;
