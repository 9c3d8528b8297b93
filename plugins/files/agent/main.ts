// The file agent: a child process that becomes the account's own user and runs one file
// operation through the same no-follow walk as the panel, so a mistake in that walk still meets
// the kernel's permission checks for an unprivileged user: the second wall.
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

/**
 * Load every module first (the code may sit where the account user cannot read it), then drop to
 * the account's uid/gid with no supplementary groups, for good: a process that set all its uids
 * can never regain root. Its own /proc/self/fd stays reachable to it.
 */
async function becomeAccountUser(): Promise<{ uid: number; gid: number }> {
  await Promise.all([import('../archive/pack.js'), import('../archive/extract.js')]);
  const uid = Number(process.env.VELOPANEL_AGENT_UID);
  const gid = Number(process.env.VELOPANEL_AGENT_GID);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0 || gid <= 0) throw new Error('agent: no account uid/gid to run as');
  process.setgroups!([]);
  process.setgid!(gid);
  process.setuid!(uid);
  if (process.getuid!() !== uid || process.geteuid!() !== uid || process.getgid!() !== gid || process.getegid!() !== gid || process.getgroups!().some((g) => g !== gid))
    throw new Error(`agent: still running as ${process.geteuid!()}:${process.getegid!()}`);
  return { uid, gid };
}

async function serve(req: AgentRequest, me: { uid: number; gid: number }): Promise<void> {
  if (req.expectUid !== me.uid || req.expectGid !== me.gid) throw new Error('agent: request for another user');
  const abort = new AbortController();
  process.once('SIGTERM', () => abort.abort());
  const ctx: OpContext = {
    home: req.home, ownerUid: req.ownerUid, textLimit: req.textLimit, maxEntries: req.maxEntries, signal: abort.signal,
    get input() {
      return fs.createReadStream('', { fd: 0, highWaterMark: 1024 * 1024 });
    },
    output: async (meta) => {
      const answer = nextMessage(); // listening before asking: the reply cannot slip past
      await send({ t: 'meta', meta });
      return (await answer).send ? fs.createWriteStream('', { fd: 1, highWaterMark: 1024 * 1024 }) : null;
    },
    progress: (percent, message) => void send({ t: 'progress', percent, message }),
  };
  await send({ t: 'done', result: await runOp(req.op as OpName, ctx, req.args as never) });
}

const fail = (e: unknown) => send({ t: 'fail', code: isPanelError(e) ? e.code : null, message: isPanelError(e) ? e.message : String((e as Error)?.stack ?? e) });
process.umask(0o022);
becomeAccountUser().then(
  (me) => {
    process.once('message', (req) => void serve(req as AgentRequest, me).catch(fail).finally(() => process.exit(0)));
    void send({ t: 'ready' });
  },
  (e) => void fail(e).finally(() => process.exit(1)),
);
