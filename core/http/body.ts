import type { IncomingMessage } from 'node:http';
import { errors } from '../errors.js';

/**
 * Read a JSON body up to `limit` bytes. Empty bodies are `undefined`. Form and multipart bodies
 * on JSON routes are refused (415) so no second parser can disagree with the validator.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw errors.payloadTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw errors.payloadTooLarge(limit);
    }
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type && type !== 'application/json' && !type.endsWith('+json')) throw errors.unsupportedMediaType();
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let decoded: string;
  try {
    decoded = text.decode(Buffer.concat(chunks));
  } catch {
    throw errors.validation('body: is not valid UTF-8');
  }
  try {
    return JSON.parse(decoded);
  } catch {
    throw errors.validation('body: is not valid JSON');
  }
}
