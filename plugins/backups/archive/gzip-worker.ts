// Plain JavaScript so the worker runs the same from TypeScript sources (tests) and from dist/.
/** Source of a gzip worker thread: one gzip member per message, buffers transferred both ways. */
export const GZIP_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    // One output buffer sized for the worst case: no pieces to concatenate, nothing left behind here.
    const out = zlib.gzipSync(new Uint8Array(m.buf, 0, m.len), { level: workerData.level, chunkSize: m.len + (m.len >> 8) + 1024 });
    parentPort.postMessage({ seq: m.seq, out: out.buffer, offset: out.byteOffset, length: out.byteLength, buf: m.buf }, [out.buffer, m.buf]);
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e), buf: m.buf }, [m.buf]);
  }
});`;
