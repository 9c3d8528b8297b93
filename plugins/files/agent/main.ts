// The file agent: a child process started as the account's own uid/gid (linux mode). It runs one
// file operation through the same no-follow walk as the panel, so a mistake in that walk still
// meets the kernel's permission checks for an unprivileged user: the second wall.
import fs from 'node:fs';
import { isPanelError } from '../../../sdk/errors.js';
import { runOp, type OpContext, type OpName } from '../ops.js';
import type { AgentMessage, AgentRequest, PanelMessage } from './protocol.js';

function send(msg: AgentMessage): Promise<void> {
  return new Promise((resolve) => process.send!(msg, undefined, {}, () => resolve()));
}

function nextMessage(): Promise<PanelMessage> {
  return new Promise((resolve) => process.once('message', (m) => resolve(m as PanelMessage)));
}

async function serve(req: AgentRequest): Promise<void> {
  if (process.getuid!() !== req.expectUid || process.getgid!() !== req.expectGid || req.expectUid === 0)
    throw new Error(`agent runs as ${process.getuid!()}:${process.getgid!()}, expected ${req.expectUid}:${req.expectGid}`);
  const abort = new AbortController();
  process.once('SIGTERM', () => abort.abort());
  const ctx: OpContext = {
    home: req.home, ownerUid: req.ownerUid, textLimit: req.textLimit, maxEntries: req.maxEntries, signal: abort.signal,
    get input() {
      return fs.createReadStream('', { fd: 0, highWaterMark: 1024 * 1024 });
    },
    output: async (meta) => {
      await send({ t: 'meta', meta });
      const answer = await nextMessage();
      return answer.send ? fs.createWriteStream('', { fd: 1, highWaterMark: 1024 * 1024 }) : null;
    },
    progress: (percent, message) => void send({ t: 'progress', percent, message }),
  };
  const result = await runOp(req.op as OpName, ctx, req.args as never);
  await send({ t: 'done', result });
}

process.umask(0o022);
process.once('message', (req) => {
  serve(req as AgentRequest)
    .catch((e: unknown) => send({ t: 'fail', code: isPanelError(e) ? e.code : null, message: isPanelError(e) ? e.message : String((e as Error)?.stack ?? e) }))
    .finally(() => process.exit(0));
});
