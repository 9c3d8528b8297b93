// Crash tests: run the built panel as a child with one failpoint armed, drive it to that point
// through the API, and see it die there of SIGKILL (nothing cleaned up, as after `kill -9`). The
// test then restarts the panel in-process on the same data and checks that rows, homes, vhost
// files, archives and jobs agree.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestPanelOptions } from '../../sdk/testing/index.js';
import { buildOnce } from '../cli/cli.js';

const CHILD = path.join(import.meta.dirname, 'child-panel.mjs');

/** The child as the test drives it: its URL and a request helper acting as its admin. */
export interface ChildPanel {
  url: string;
  /** A request as the admin; resolves null when the connection dies (the panel was killed). */
  request(method: string, route: string, body?: unknown): Promise<{ status: number; body: any } | null>;
}

/** How the child ended and everything it printed. */
export interface Killed {
  signal: NodeJS.Signals | null;
  code: number | null;
  output: string;
}

/**
 * Start the built panel with `failpoint` armed, run `drive` against it, and wait until it dies.
 * Fails unless it died of SIGKILL at that very failpoint (its stderr line says which).
 */
export async function killAt(
  failpoint: string,
  options: TestPanelOptions,
  drive: (p: ChildPanel) => Promise<void>,
): Promise<Killed> {
  buildOnce();
  const child = spawn(process.execPath, [CHILD, JSON.stringify(options)], {
    env: { PATH: process.env.PATH, VELOPANEL_FAILPOINTS: failpoint },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const ended = new Promise<Killed>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
  for (let i = 0; i < 1200 && !/^READY /m.test(output) && child.exitCode === null && child.signalCode === null; i++)
    await sleep(50);
  const ready = /^READY (.*)$/m.exec(output);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`the child panel did not start:\n${output}`);
  }
  const { url, tokens, scratch } = JSON.parse(ready[1]!) as { url: string; tokens: { admin: string }; scratch: string };
  const request: ChildPanel['request'] = async (method, route, body) => {
    try {
      const res = await fetch(url + route, {
        method,
        headers: {
          authorization: `Bearer ${tokens.admin}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    } catch {
      return null;
    }
  };
  try {
    await drive({ url, request });
  } finally {
    // A drive that never reached the failpoint must not leave the child running.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await ended;
    clearTimeout(timer);
    if (scratch !== options.config?.data_dir) rmSync(scratch, { recursive: true, force: true });
  }
  const end = await ended;
  if (end.signal !== 'SIGKILL' || !output.includes(`velopanel: failpoint ${failpoint}\n`))
    throw new Error(
      `the panel did not die at failpoint ${failpoint} (exit ${end.code}, signal ${end.signal}):\n${output}`,
    );
  return end;
}

/** Wait (bounded) until the child's start-up reconciliation has run, so it cannot race the test's requests. */
export async function childReconciled(p: ChildPanel): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const state = (await p.request('GET', '/api/veloserve/status'))?.body?.data?.reconciliation?.vhosts?.state;
    if (state && state !== 'pending') return;
    await sleep(25);
  }
  throw new Error('the child panel did not finish its reconciliation');
}
