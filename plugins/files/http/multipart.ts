import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { errors } from '../../../sdk/errors.js';
import { parseFileName } from '../paths.js';

const HWM = 256 * 1024;

/** Browsers escape `"`, CR and LF in a multipart file name as %22, %0D, %0A (HTML form encoding). */
function browserFileName(raw: string | undefined): string | undefined {
  return raw?.replace(/%22/g, '"').replace(/%0d/gi, '\r').replace(/%0a/gi, '\n');
}

/** Stop reading a request we refused: drain what is still coming, then let the connection close. */
export function drain(req: IncomingMessage): void {
  req.unpipe();
  req.resume();
}

/**
 * Stream the first file part of a multipart/form-data request to `onFile` (busboy parses the
 * stream; nothing is buffered). The part's file name must be a plain name: busboy's own path
 * stripping is off so a name like `../../x` is refused, not silently shortened. Further file parts
 * are skipped and counted.
 */
export function receiveFilePart<R>(
  req: IncomingMessage,
  maxBytes: number,
  onFile: (name: string, stream: Readable) => Promise<R>,
): Promise<R & { ignored_files: number }> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    drain(req);
    throw errors.unsupportedMediaType('Upload must be multipart/form-data with one file part');
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        highWaterMark: HWM,
        fileHwm: HWM,
        defParamCharset: 'utf8',
        preservePath: true,
        limits: { files: 1, fileSize: maxBytes + 1, fields: 20, parts: 40, headerPairs: 50 },
      });
    } catch (e) {
      drain(req);
      return reject(errors.validation(`body: malformed multipart header (${(e as Error).message})`));
    }
    let work: Promise<R> | null = null;
    let settled = false;
    let ignored = 0;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    // Unpiping stops the parser for good, so every refusal answers at once.
    const refuse = (e: Error) => {
      drain(req);
      settle(() => reject(e));
    };
    const finish = (extra?: Error) => {
      if (!work) return refuse(extra ?? errors.validation('body: the upload has no file part'));
      work.then((r) => (extra ? refuse(extra) : settle(() => resolve({ ...r, ignored_files: ignored }))), refuse);
    };
    parser.on('file', (_field, stream, info) => {
      if (work || settled) return void stream.resume();
      let name: string;
      try {
        name = parseFileName(browserFileName(info.filename), 'filename');
      } catch (e) {
        stream.resume();
        return refuse(e as Error);
      }
      work = onFile(name, stream);
      work.catch((e: Error) => {
        stream.resume();
        refuse(e);
      });
    });
    parser.on('filesLimit', () => {
      ignored++;
    });
    parser.on('error', (e: Error) => {
      drain(req);
      finish(errors.validation(`body: malformed multipart data (${e.message})`));
    });
    parser.on('close', () => finish());
    req.pipe(parser);
  });
}
