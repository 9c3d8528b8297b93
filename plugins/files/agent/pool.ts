import { errors } from '../../../sdk/errors.js';
import type { Logger } from '../../../sdk/logger.js';
import type { OpIO } from '../ops.js';
import { AgentChild, AgentGone } from './child.js';
import type { AgentRequest, AgentUser } from './protocol.js';

/** How many agents stay warm, and for how long once idle. */
export interface AgentPoolOptions {
  /** Warm agents at most (one per account user); 0: a new agent for every operation. */
  size: number;
  idleMs: number;
}

interface Warm {
  agent: AgentChild;
  idle: NodeJS.Timeout | null;
}

/**
 * The file agents of linux mode. Starting an agent (a Node process that loads its code, then
 * becomes the account's user) costs more than most operations, so one agent per account user
 * stays warm for a while after its last operation and serves the next ones. Operations that may
 * be cancelled (jobs, the trash purge) get an agent of their own, which a cancel stops.
 */
export class AgentPool {
  /** Warm agents, least recently used first. */
  private readonly warm = new Map<string, Warm>();
  private closing = false;

  constructor(
    private readonly log: Logger,
    private readonly opts: AgentPoolOptions,
  ) {}

  run(who: AgentUser, req: Omit<AgentRequest, 'expectUid' | 'expectGid'>, io: OpIO): Promise<unknown> {
    if (!Number.isInteger(who.uid) || !Number.isInteger(who.gid) || who.uid <= 0 || who.gid <= 0)
      return Promise.reject(errors.conflict('This account has no system user to run file operations as'));
    const warm = io.signal || this.closing ? null : this.warmFor(who);
    if (!warm) return this.runOnce(who, req, io);
    // A warm agent may have died since its last operation (killed by the tenant, say): one more try.
    return this.runWarm(warm, req, io).catch((e) => {
      if (!(e instanceof AgentGone)) throw e;
      const next = this.warmFor(who);
      return next ? this.runWarm(next, req, io) : this.runOnce(who, req, io);
    });
  }

  private async runWarm(warm: Warm, req: Omit<AgentRequest, 'expectUid' | 'expectGid'>, io: OpIO): Promise<unknown> {
    if (warm.idle) clearTimeout(warm.idle);
    warm.idle = null;
    try {
      return await warm.agent.run(req, io);
    } finally {
      if (warm.agent.busy === 0 && !warm.idle) {
        warm.idle = setTimeout(() => this.retire(warm), this.opts.idleMs);
        warm.idle.unref();
      }
    }
  }

  private async runOnce(
    who: AgentUser,
    req: Omit<AgentRequest, 'expectUid' | 'expectGid'>,
    io: OpIO,
  ): Promise<unknown> {
    const agent = new AgentChild(who, this.log);
    const cancel = () => agent.kill();
    io.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await agent.run(req, io);
    } finally {
      io.signal?.removeEventListener('abort', cancel);
      agent.close();
    }
  }

  /** The warm agent of this user, started when missing; null when every slot is busy. */
  private warmFor(who: AgentUser): Warm | null {
    if (this.opts.size <= 0) return null;
    const key = `${who.uid}:${who.gid}`;
    let warm = this.warm.get(key);
    if (warm && !warm.agent.alive) {
      this.retire(warm);
      warm = undefined;
    }
    if (warm) {
      this.warm.delete(key); // most recently used last
      this.warm.set(key, warm);
      return warm;
    }
    if (this.warm.size >= this.opts.size) {
      const idle = [...this.warm.values()].find((w) => w.agent.busy === 0);
      if (!idle) return null;
      this.retire(idle);
    }
    const agent = new AgentChild(who, this.log);
    const created: Warm = { agent, idle: null };
    this.warm.set(key, created);
    void agent.exited.then(() => {
      if (this.warm.get(key) === created) this.warm.delete(key);
    });
    return created;
  }

  private retire(warm: Warm): void {
    if (warm.idle) clearTimeout(warm.idle);
    for (const [key, w] of this.warm) if (w === warm) this.warm.delete(key);
    warm.agent.close();
  }

  /** Shutdown: let every warm agent go; new operations get one-shot agents meanwhile. */
  async stop(): Promise<void> {
    this.closing = true;
    const agents = [...this.warm.values()];
    for (const w of agents) this.retire(w);
    await Promise.all(agents.map((w) => w.agent.exited));
  }
}
