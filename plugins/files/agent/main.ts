// The file agent: a child process that becomes the account's own user and runs file operations
// through the same no-follow walk as the panel, so a mistake in that walk still meets the
// kernel's permission checks for an unprivileged user: the second wall. It serves operations
// until the panel disconnects (a warm agent of the pool serves many, a one-shot agent one).
import { type ErrorCode, isPanelError, PanelError, STATUS_BY_CODE } from '../../../sdk/errors.js';
import { runOp, type OpContext, type OpName } from '../ops.js';
import { fstatFd } from '../sandbox/fd.js';
import type { AgentMessage, AgentRequest, PanelMessage } from './protocol.js';

type Reply = Exclude<PanelMessage, { t: 'run' }>;

const running = new Map<number, AbortController>();
const replies = new Map<number, (m: Reply) => void>();

function send(msg: AgentMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(msg, undefined, {}, () => resolve());
  });
}

/** The panel's next reply for operation `id`; listening before asking, so it cannot slip past. */
function replyTo(id: number): Promise<Reply> {
  return new Promise((resolve) => replies.set(id, resolve));
}

/**
 * Load every module first (the code may sit where the account user cannot read it), then drop to
 * the account's uid/gid with no supplementary groups, for good: a process that set all its uids
 * can never regain root (nor be traced by the account: it is no longer dumpable).
 */
async function becomeAccountUser(): Promise<{ uid: number; gid: number }> {
  await Promise.all([import('../archive/pack.js'), import('../archive/extract.js')]);
  const uid = Number(process.env.VELOPANEL_AGENT_UID);
  const gid = Number(process.env.VELOPANEL_AGENT_GID);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0 || gid <= 0)
    throw new Error('agent: no account uid/gid to run as');
  process.setgroups!([]);
  process.setgid!(gid);
  process.setuid!(uid);
  if (
    process.getuid!() !== uid ||
    process.geteuid!() !== uid ||
    process.getgid!() !== gid ||
    process.getegid!() !== gid ||
    process.getgroups!().some((g) => g !== gid)
  )
    throw new Error(`agent: still running as ${process.geteuid!()}:${process.getegid!()}`);
  return { uid, gid };
}

function contextOf(id: number, req: AgentRequest, signal: AbortSignal): OpContext {
  return {
    home: req.home,
    ownerUid: req.ownerUid,
    textLimit: req.textLimit,
    maxEntries: req.maxEntries,
    expansion: req.expansion,
    signal,
    asAccount: true,
    // The panel (root) reopens the temp file created here through /proc and writes the upload
    // into it, within the limits computed here; no pipe between the two processes.
    fill: async (fd, limits) => {
      const st = await fstatFd(fd);
      const answer = replyTo(id);
      await send({ t: 'fill', id, fd, dev: st.dev, ino: st.ino, limits });
      const reply = await answer;
      if (reply.t !== 'filled') throw new Error('agent: unexpected reply to fill');
      if (!reply.error) return reply.size;
      const { code, message } = reply.error;
      throw code && code in STATUS_BY_CODE ? new PanelError(code as ErrorCode, message) : new Error(message);
    },
    // The panel reopens the checked fd the same way and sends the body itself.
    output: async (meta, fd) => {
      const st = await fstatFd(fd);
      const answer = replyTo(id);
      await send({ t: 'meta', id, meta, fd, dev: st.dev, ino: st.ino });
      await answer;
      return null;
    },
    progress: (percent, message) => void send({ t: 'progress', id, percent, message }),
  };
}

const failure = (id: number, e: unknown): AgentMessage => ({
  t: 'fail',
  id,
  code: isPanelError(e) ? e.code : null,
  message: isPanelError(e) ? e.message : String((e as Error)?.stack ?? e),
});

async function serve(id: number, req: AgentRequest, me: { uid: number; gid: number }): Promise<void> {
  const abort = new AbortController();
  running.set(id, abort);
  try {
    if (req.expectUid !== me.uid || req.expectGid !== me.gid) throw new Error('agent: request for another user');
    await send({
      t: 'done',
      id,
      result: await runOp(req.op as OpName, contextOf(id, req, abort.signal), req.args as never),
    });
  } catch (e) {
    await send(failure(id, e));
  } finally {
    running.delete(id);
    replies.delete(id);
  }
}

process.umask(0o022);
// The panel gone (or done with this agent): nothing more can be asked or answered.
process.on('disconnect', () => process.exit(0));
// Cancelling a job: every operation in flight stops at its next check and reports the failure.
process.on('SIGTERM', () => {
  if (running.size === 0) process.exit(0);
  for (const abort of running.values()) abort.abort();
});
becomeAccountUser().then(
  (me) => {
    process.on('message', (raw) => {
      const m = raw as PanelMessage;
      if (m.t === 'run') return void serve(m.id, m.req, me);
      const resolve = replies.get(m.id);
      replies.delete(m.id);
      resolve?.(m);
    });
    void send({ t: 'ready' });
  },
  // id 0: the agent itself could not start; the panel fails whatever it asked.
  (e) => void send(failure(0, e)).finally(() => process.exit(1)),
);
