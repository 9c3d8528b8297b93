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
  if (typeof zlib.crc32 !== 'function') return zlib.gzipSync(input, { level: workerData.level, chunkSize: input.length + (input.length >> 8) + 1024 });
  const body = zlib.deflateRawSync(input, { level: workerData.level, chunkSize: input.length + (input.length >> 8) + 1024 });
  const out = Buffer.allocUnsafeSlow(20 + body.length + 8);
  out.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, 8, 0, 0x56, 0x50, 4, 0]);
  out.writeUInt32LE(out.length, 16);
  body.copy(out, 20);
  out.writeUInt32LE(zlib.crc32(input) >>> 0, 20 + body.length);
  out.writeUInt32LE(input.length >>> 0, 24 + body.length);
  return out;
}
parentPort.on('message', (m) => {
  try {
    const input = new Uint8Array(m.buf, 0, m.len);
    const out = m.op === 'inflate' ? zlib.gunzipSync(input, { maxOutputLength: workerData.maxOutput }) : member(input);
    parentPort.postMessage({ seq: m.seq, out: out.buffer, offset: out.byteOffset, length: out.byteLength, buf: m.buf }, [out.buffer, m.buf]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e), buf: m.buf }, [m.buf]);
  }
});`;
