// Helpers of the file manager benchmark: timing a command, sampling the RSS of the panel and of
// its children separately, bare node:http as a reference server (its own process, like the panel), starting the bench panel.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnBenchServer } from './runtime-env.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Run a command asynchronously (samplers and the bare server keep running), timed in ms. */
export async function timed(cmd: string, args: string[]): Promise<number> {
  const t = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${cmd} failed (${code}): ${err}`);
  return performance.now() - t;
}

/** The smallest of `n` runs of `fn` (ms): the run least disturbed by other work on the machine. */
export async function fastest(n: number, fn: () => Promise<number>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, await fn());
  return Math.round(best);
}

function statusKb(pid: number | string, field: string): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // exited meanwhile
  }
}

/** RSS (MB) of a process and, separately, the sum over all its descendants (file agents, tools). */
export function treeRss(pid: number): { self: number; children: number } {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const below = (p: number): boolean => {
    for (let q = parent.get(p), hops = 0; q !== undefined && hops < 64; q = parent.get(q), hops++)
      if (q === pid) return true;
    return false;
  };
  let children = 0;
  for (const p of parent.keys()) if (below(p)) children += statusKb(p, 'VmRSS');
  return { self: Math.round(statusKb(pid, 'VmRSS') / 1024), children: Math.round(children / 1024) };
}

/** Peak RSS of the panel and of its children while `work` runs, sampled every 20 ms. */
export async function sampleRss(
  pid: number,
  work: () => Promise<number>,
): Promise<{ ms: number; panelMb: number; childrenMb: number }> {
  let panelMb = 0;
  let childrenMb = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const r = treeRss(pid);
      panelMb = Math.max(panelMb, r.self);
      childrenMb = Math.max(childrenMb, r.children);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    return { ms: await work(), panelMb, childrenMb };
  } finally {
    running = false;
    await sampler;
  }
}

const spawnServer = (args: string[]) => spawnBenchServer<{ url: string; setup_code?: string }>(root, args);

/** Bare node:http (test/bench/files-bare.mjs) streaming the same bytes: times and its RSS growth. */
export async function bareNode(src: string, dest: string) {
  const server = await spawnServer([path.join(root, 'test/bench/files-bare.mjs'), src, dest]);
  try {
    const idle = treeRss(server.child.pid!).self;
    const up = await sampleRss(server.child.pid!, () =>
      timed('curl', ['-sS', '-f', '-o', '/dev/null', '-T', src, server.url]),
    );
    const down = await sampleRss(server.child.pid!, () =>
      timed('curl', ['-sS', '-f', '-o', `${dest}.down`, server.url]),
    );
    return { up: up.ms, down: down.ms, idleMb: idle, upPeakMb: up.panelMb, downPeakMb: down.panelMb };
  } finally {
    await server.stop();
    rmSync(dest, { force: true });
    rmSync(`${dest}.down`, { force: true });
  }
}

/** Start test/bench/files-panel.mjs (built panel, files plugin only) in its own process; create the admin and log in. */
export async function startPanel(home: string, mode: 'local' | 'linux', user?: { uid: number; gid: number }) {
  // Started with production's memory settings (config/runtime.env); BENCH_FILES_NODE_ARGS adds node flags to compare.
  const flags = (process.env.BENCH_FILES_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { child, url, setup_code, stop } = await spawnServer([
    ...flags,
    path.join(root, 'test/bench/files-panel.mjs'),
    home,
    mode,
    ...(user ? [String(user.uid), String(user.gid)] : []),
  ]);
  const post = async (route: string, body: object) => {
    const res = (await (
      await fetch(url + route, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as { ok: boolean; data?: { token?: string }; error?: string };
    if (!res.ok) throw new Error(`bench panel ${route}: ${res.error}`);
    return res.data!;
  };
  const admin = { username: 'bench-admin', password: 'Bench-Password-123' };
  await post('/api/auth/setup', { ...admin, setup_code });
  const { token } = await post('/api/auth/login', admin);
  return { child, url, token: token!, stop };
}
