// Plain JavaScript so the worker runs the same from TypeScript sources (tests) and from dist/.
/**
 * Source of a gzip worker thread: each message is a chunk that becomes one complete gzip member.
 * Buffers are transferred both ways, and the output is sized once for the worst case, so the
 * worker joins no pieces and leaves no garbage behind.
 */
export const GZIP_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const out = zlib.gzipSync(new Uint8Array(m.buf, 0, m.len), { level: workerData.level, chunkSize: m.len + (m.len >> 8) + 1024 });
    parentPort.postMessage({ seq: m.seq, out: out.buffer, offset: out.byteOffset, length: out.byteLength, buf: m.buf }, [out.buffer, m.buf]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e), buf: m.buf }, [m.buf]);
  }
});`;
