import { spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { errors, PanelError, STATUS_BY_CODE, type ErrorCode } from '../../../sdk/errors.js';
import type { Logger } from '../../../sdk/logger.js';
import type { OpIO } from '../ops.js';
import type { AgentMessage, AgentRequest, PanelMessage } from './protocol.js';

const here = import.meta.url;
const fromSource = here.endsWith('.ts');
const entry = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', here));
// Running from TypeScript sources (tests): the child needs the same transpiling hooks.
const hooks = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(new URL('./ts-hooks.mjs', here).href)})`;
const nodeArgs = fromSource ? ['--import', hooks, entry] : [entry];
const KILL_AFTER_MS = 10_000;

function failure(m: Extract<AgentMessage, { t: 'fail' }>, log: Logger, op: string): Error {
  if (m.code && m.code in STATUS_BY_CODE) return new PanelError(m.code as ErrorCode, m.message);
  log.error('file agent failed', { op, error: m.message });
  return errors.internal();
}

/**
 * Run one file operation in a child process that runs as the account's uid/gid (no supplementary
 * groups, minimal environment, cwd `/`). Upload bytes go to its stdin, download bytes come from
 * its stdout, everything else over the IPC channel.
 */
export function runInAgent(req: Omit<AgentRequest, 'expectUid' | 'expectGid'>, who: { uid: number; gid: number }, io: OpIO, log: Logger): Promise<unknown> {
  if (!Number.isInteger(who.uid) || !Number.isInteger(who.gid) || who.uid <= 0 || who.gid <= 0)
    return Promise.reject(errors.conflict('This account has no system user to run file operations as'));
  // The child drops to uid/gid itself once its code is loaded (see main.ts), before any request.
  const child = spawn(process.execPath, nodeArgs, {
    cwd: '/', env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', VELOPANEL_AGENT_UID: String(who.uid), VELOPANEL_AGENT_GID: String(who.gid) },
    stdio: ['pipe', 'pipe', 'pipe', 'ipc'], serialization: 'json',
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { if (stderr.length < 16_384) stderr += d.toString(); });
  child.stdin!.on('error', () => undefined); // the agent may refuse before reading all input
  if (io.input) io.input.pipe(child.stdin!);
  else child.stdin!.end();
  if (req.op !== 'download') child.stdout!.resume();
  const stop = () => {
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS).unref();
  };
  io.signal?.addEventListener('abort', stop, { once: true });
  return new Promise((resolve, reject) => {
    let outcome: { ok: true; value: unknown } | { ok: false; error: Error } | null = null;
    let body: Promise<void> = Promise.resolve();
    child.on('message', (raw) => {
      const m = raw as AgentMessage;
      if (m.t === 'ready') child.send({ ...req, expectUid: who.uid, expectGid: who.gid } satisfies AgentRequest);
      else if (m.t === 'progress') io.progress?.(m.percent, m.message);
      else if (m.t === 'done') outcome = { ok: true, value: m.result };
      else if (m.t === 'fail') outcome = { ok: false, error: failure(m, log, req.op) };
      else if (m.t === 'meta') {
        body = (async () => {
          const out = io.output ? await io.output(m.meta) : null;
          child.send({ t: 'body', send: out !== null } satisfies PanelMessage);
          if (out) await pipeline(child.stdout!, out);
          else child.stdout!.resume();
        })();
        body.catch(stop);
      }
    });
    child.once('error', (e) => reject(errors.internal(`file agent could not start: ${e.message}`)));
    child.once('close', async (code, signal) => {
      io.signal?.removeEventListener('abort', stop);
      if (io.input) {
        io.input.unpipe(child.stdin!);
        io.input.resume();
      }
      const streamed = await body.then(() => null, (e: Error) => e);
      if (outcome?.ok === false) return reject(outcome.error);
      if (streamed) return reject(streamed);
      if (outcome?.ok) return resolve(outcome.value);
      log.error('file agent exited without an answer', { op: req.op, code, signal, stderr: stderr.slice(-2000) });
      reject(io.signal?.aborted ? errors.conflict('Operation cancelled') : errors.internal());
    });
  });
}
