import { errors, isPanelError } from '../../../sdk/errors.js';
import type { OpIO } from '../ops.js';
import { streamRange } from '../sandbox/download.js';
import { closeFd, fstatFd, O_RDONLY, O_WRONLY, openFd } from '../sandbox/fd.js';
import { writeCounted } from '../sandbox/fill.js';
import type { AgentReport, AgentUser, TransferReply } from './protocol.js';

// The panel's side of a transfer in linux mode. The agent, as the account, walks to the file,
// checks it and holds it open; the panel (root) opens that very inode through the agent's
// /proc/<pid>/fd link and moves the bytes itself: no pipe between the processes, one copy less,
// and the panel never resolves a tenant's path.

type Handover = { fd: number; dev: number; ino: number };
/** Answers the agent about the operation (the caller adds its id). */
type Reply = (msg: TransferReply) => void;

/**
 * Open the file an agent holds, verified to be the regular file (dev, inode) it checked, and one
 * the account itself may use that way: readable by its uid/gid (the agent's only identity), or,
 * to be written, a fresh file of its own. Root's open never reaches more than the agent could.
 */
async function reopenAgentFile(pid: number, who: AgentUser, m: Handover, write: boolean): Promise<number> {
  if (!Number.isSafeInteger(m.fd) || m.fd < 3) throw errors.internal('file agent handed over an invalid descriptor');
  const fd = await openFd(`/proc/${pid}/fd/${m.fd}`, write ? O_WRONLY : O_RDONLY);
  const st = await fstatFd(fd).catch(() => null);
  const readable = st && (st.mode & (st.uid === who.uid ? 0o400 : st.gid === who.gid ? 0o040 : 0o004)) !== 0;
  const fresh = st && st.uid === who.uid && st.nlink === 1 && st.size === 0;
  if (!st?.isFile() || st.dev !== m.dev || st.ino !== m.ino || !(write ? fresh : readable)) {
    await closeFd(fd);
    throw errors.internal('file agent handed over another file than it may use');
  }
  return fd;
}

/**
 * A download: once the panel holds its own fd, the headers are sent and the agent is told it
 * may close its fd and finish; the panel then sends the range from its fd.
 */
export async function sendAgentFile(
  reply: Reply,
  pid: number,
  who: AgentUser,
  m: Extract<AgentReport, { t: 'meta' }>,
  io: OpIO,
): Promise<void> {
  let released = false;
  const release = () => {
    if (!released) reply({ t: 'opened' });
    released = true;
  };
  let fd: number | null = null;
  try {
    fd = await reopenAgentFile(pid, who, m, false);
    const out = io.output ? await io.output(m.meta, fd) : null;
    release();
    if (out) await streamRange(fd, m.meta.start, m.meta.end, out);
  } finally {
    release();
    if (fd !== null) await closeFd(fd);
  }
}

/**
 * An upload: write the request's file part into the temp file the agent created (as the
 * account, O_EXCL, no links followed), within the limits the agent computed, and tell it the
 * size or the error. Resolves to that error, if any, for the caller to answer with.
 */
export async function fillAgentFile(
  reply: Reply,
  pid: number,
  who: AgentUser,
  m: Extract<AgentReport, { t: 'fill' }>,
  io: OpIO,
): Promise<Error | null> {
  try {
    if (!io.input) throw errors.internal('file agent asked for upload bytes, but there are none');
    const fd = await reopenAgentFile(pid, who, m, true);
    try {
      reply({ t: 'filled', size: await writeCounted(io.input, fd, m.limits) });
    } finally {
      await closeFd(fd);
    }
    return null;
  } catch (e) {
    io.input?.resume();
    reply({ t: 'filled', size: -1, error: { code: isPanelError(e) ? e.code : null, message: (e as Error).message } });
    return e as Error;
  }
}
