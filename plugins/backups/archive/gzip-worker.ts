/** Most a single inflated member may produce (ours hold 1 MiB; this bounds hostile ones). */
export const MAX_MEMBER_OUTPUT = 64 * 1024 * 1024;

// Plain JavaScript so the worker runs the same from TypeScript sources (tests) and from dist/.
/**
 * Source of a gzip worker thread. `deflate` makes one gzip member of a chunk; when zlib has
 * `crc32` the member carries its own length in an extra field (subfield `VP`, like BGZF's `BC`),
 * so a reader can split the stream into members without inflating it and inflate them in
 * parallel (`inflate`). Buffers are transferred both ways; output buffers are sized once.
 */
export const GZIP_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
function member(input) {
  const opts = { level: workerData.level, chunkSize: input.length + (input.length >> 8) + 1024 };
  if (typeof zlib.crc32 !== 'function') return { out: zlib.gzipSync(input, opts) };
  const out = zlib.deflateRawSync(input, opts);
  const head = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, 8, 0, 0x56, 0x50, 4, 0, 0, 0, 0, 0]);
  head.writeUInt32LE(20 + out.length + 8, 16);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(zlib.crc32(input) >>> 0, 0);
  tail.writeUInt32LE(input.length >>> 0, 4);
  return { head, out, tail };
}
function inflate(input) {
  // The trailer's size makes the output one allocation (no pieces to join, no garbage left here).
  const isize = input.length >= 4 ? Buffer.from(input.buffer, input.length - 4, 4).readUInt32LE(0) : 0;
  return zlib.gunzipSync(input, { maxOutputLength: workerData.maxOutput, chunkSize: Math.min(Math.max(isize + 1, 65536), 4 << 20) });
}
parentPort.on('message', (m) => {
  try {
    const input = new Uint8Array(m.buf, 0, m.len);
    const r = m.op === 'inflate' ? { out: inflate(input) } : member(input);
    // The body is transferred, not copied; header and trailer (28 bytes) travel by copy.
    parentPort.postMessage({ seq: m.seq, head: r.head, tail: r.tail, out: r.out.buffer, offset: r.out.byteOffset, length: r.out.byteLength, buf: m.buf }, [r.out.buffer, m.buf]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e), buf: m.buf }, [m.buf]);
  }
});`;
