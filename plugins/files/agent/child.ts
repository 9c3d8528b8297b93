import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errors, PanelError, STATUS_BY_CODE, type ErrorCode } from '../../../sdk/errors.js';
import type { Logger } from '../../../sdk/logger.js';
import type { OpIO } from '../ops.js';
import { fillAgentFile, sendAgentFile } from './handover.js';
import type { AgentMessage, AgentReport, AgentRequest, AgentUser, PanelMessage, TransferReply } from './protocol.js';

const here = import.meta.url;
const fromSource = here.endsWith('.ts');
// Built, this module may be joined into the plugin's index.js (scripts/pack.mjs): the agent is then in ./agent/.
const entry = fromSource
  ? fileURLToPath(new URL('./main.ts', here))
  : [new URL('./main.js', here), new URL('./agent/main.js', here)]
      .map((u) => fileURLToPath(u))
      .find((p) => existsSync(p))!;
// Running from TypeScript sources (tests): the child needs the same transpiling hooks.
const hooks = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(new URL('./ts-hooks.mjs', here).href)})`;
// An agent's work is small and short-lived: a small young generation and two malloc arenas keep
// a warm agent near Node's own footprint (its RSS is the account's cost while it waits).
const nodeArgs = ['--max-semi-space-size=1', ...(fromSource ? ['--import', hooks, entry] : [entry])];
const KILL_AFTER_MS = 10_000;

/** The agent ended before it received the operation: nothing ran, another agent may run it. */
export class AgentGone extends Error {
  constructor() {
    super('file agent ended before it received the operation');
  }
}

/** One operation in flight: its IO, how it ends, and the transfers the panel runs for it. */
interface Operation {
  op: string;
  io: OpIO;
  end: { resolve: (v: unknown) => void; reject: (e: Error) => void };
  report: Extract<AgentReport, { t: 'done' } | { t: 'fail' }> | null;
  /** The agent got the request (false: it died before; the operation may be retried elsewhere). */
  delivered: boolean;
  body: Promise<void>;
  filled: Promise<Error | null>;
}

/**
 * A file agent child process, running as one account's uid/gid (no supplementary groups, minimal
 * environment, cwd `/`), serving operations over its IPC channel until closed. Upload and
 * download bytes are moved by the panel through the file the agent checked (see handover.ts).
 */
export class AgentChild {
  private readonly child: ChildProcess;
  private readonly operations = new Map<number, Operation>();
  private readonly ready: Promise<void>;
  private nextId = 1;
  private stderr = '';
  private released = false;
  private ended = false;
  private gone: () => void = () => undefined;
  /** Settles when the process is gone. */
  readonly exited: Promise<void>;

  constructor(
    private readonly who: AgentUser,
    private readonly log: Logger,
  ) {
    // The child drops to uid/gid itself once its code is loaded (see main.ts), before any request.
    this.child = spawn(process.execPath, nodeArgs, {
      cwd: '/',
      env: {
        PATH: '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        MALLOC_ARENA_MAX: '2',
        VELOPANEL_AGENT_UID: String(who.uid),
        VELOPANEL_AGENT_GID: String(who.gid),
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length < 16_384) this.stderr += d.toString();
    });
    let started: () => void = () => undefined;
    this.ready = new Promise((resolve) => {
      started = resolve;
    });
    this.child.on('message', (raw) => {
      const m = raw as AgentMessage;
      if (m.t === 'ready') return started();
      if (m.id === 0 && m.t === 'fail') return this.log.error('file agent could not start', { error: m.message });
      this.onReport(m.id, m);
    });
    this.exited = new Promise((resolve) => {
      this.gone = resolve;
    });
    this.child.once('close', (code, signal) => this.end(code, signal));
    // Node counts the IPC channel among the streams 'close' waits for, and a channel the panel
    // closed itself is never counted: once let go, the exit is the end.
    this.child.once('exit', (code, signal) => {
      if (this.released) this.end(code, signal);
    });
    // Spawning failed (there is no process to wait for), or a message could not be sent (the
    // agent died: its exit answers the rest).
    this.child.on('error', (e) => {
      this.log.warn('file agent error', { error: e.message });
      if (this.child.pid === undefined) this.end(null, null);
    });
  }

  /** The process is gone: operations it did not answer fail. */
  private end(code: number | null, signal: string | null): void {
    if (this.ended) return;
    this.ended = true;
    for (const [id, o] of this.operations) if (!o.report) this.finish(id, o, null, { code, signal });
    this.gone();
  }

  /** Operations in flight (transfers included). */
  get busy(): number {
    return this.operations.size;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.connected;
  }

  /** Run one operation in this agent. */
  run(req: Omit<AgentRequest, 'expectUid' | 'expectGid'>, io: OpIO): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.operations.set(id, {
        op: req.op,
        io,
        end: { resolve, reject },
        report: null,
        delivered: false,
        body: Promise.resolve(),
        filled: Promise.resolve(null),
      });
      void this.ready.then(() =>
        this.send({ t: 'run', id, req: { ...req, expectUid: this.who.uid, expectGid: this.who.gid } }, () => {
          const o = this.operations.get(id);
          if (o) o.delivered = true;
        }),
      );
    });
  }

  private send(msg: PanelMessage, sent?: () => void): void {
    if (this.child.connected)
      this.child.send(msg, (e: Error | null) => {
        if (!e) sent?.();
      });
  }

  private onReport(id: number, m: AgentReport): void {
    const o = this.operations.get(id);
    if (!o || o.report) return;
    const reply = (msg: TransferReply) => this.send({ ...msg, id });
    if (m.t === 'progress') o.io.progress?.(m.percent, m.message);
    else if (m.t === 'meta') {
      o.body = sendAgentFile(reply, this.child.pid!, this.who, m, o.io);
      o.body.catch(() => undefined);
    } else if (m.t === 'fill') o.filled = fillAgentFile(reply, this.child.pid!, this.who, m, o.io);
    else this.finish(id, o, m, null);
  }

  /** End an operation once its transfers are done too (a download's body outlives the agent's answer). */
  private finish(
    id: number,
    o: Operation,
    report: Operation['report'],
    exit: { code: number | null; signal: string | null } | null,
  ): void {
    o.report = report ?? { t: 'fail', code: null, message: '' };
    void (async () => {
      const streamed = await o.body.then(
        () => null,
        (e: Error) => e,
      );
      const fillError = await o.filled;
      this.operations.delete(id);
      o.io.input?.resume(); // unread when the agent refused before asking for the bytes
      if (report?.t === 'done' && !streamed) return o.end.resolve(report.result);
      if (report?.t === 'fail') return o.end.reject(fillError ?? this.failure(report, o.op));
      if (streamed) return o.end.reject(streamed);
      if (!o.delivered) return o.end.reject(new AgentGone());
      this.log.error('file agent exited without an answer', { op: o.op, ...exit, stderr: this.stderr.slice(-2000) });
      o.end.reject(o.io.signal?.aborted ? errors.conflict('Operation cancelled') : errors.internal());
    })();
  }

  private failure(m: Extract<AgentReport, { t: 'fail' }>, op: string): Error {
    if (m.code && m.code in STATUS_BY_CODE) return new PanelError(m.code as ErrorCode, m.message);
    this.log.error('file agent failed', { op, error: m.message });
    return errors.internal();
  }

  /** Stop: SIGTERM aborts the operations in flight (they answer 'cancelled'); SIGKILL if it hangs. */
  kill(): void {
    this.child.kill('SIGTERM');
    setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_MS).unref();
  }

  /** Let the agent go: it exits once the channel closes. */
  close(): void {
    this.released = true;
    if (this.child.connected) this.child.disconnect();
    setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_MS).unref();
  }
}
