import {
  childPids,
  errors,
  FragmentDirectory,
  isAlive,
  loadTemplate,
  readPid,
  SerialQueue,
  uptimeSecs,
  type ApplyResult,
  type EngineCapabilities,
  type EngineStatus,
  type ExecService,
  type VhostChange,
  type VhostSpec,
  type WebServerEngine,
} from '../../sdk/index.js';
import { nginxAccessLogs } from './access-logs.js';
import { isNginxProcess, servingWorkers, waitForNewWorkers } from './process.js';
import { nginxFragmentName, renderNginxVhost, type NginxRenderOptions } from './render.js';

/** Resolved settings of the nginx engine (see the plugin's config schema). */
export interface NginxSettings {
  binary: string;
  /** `-p` / `-c` / `-e` arguments for a private instance (empty for the system one). */
  baseArgs: string[];
  confPath: string;
  sitesDir: string;
  pidFile: string;
  listen: string;
  listenSsl: string;
  fastcgiParams: string;
  testCommand: string[];
  reloadCommand: string[];
  /** No reload command configured: signal the master directly (the command is the fallback). */
  reloadBySignal: boolean;
  reloadWaitMs: number;
  templatesDir: string;
  /** Directory of the per-domain bandwidth logs; empty: the engine writes none. */
  accessLogDir: string;
}

/** The server's own words from nginx output: the `[emerg]`/`[error]` lines when there are some. */
export function nginxMessage(output: string): string {
  const lines = output
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = lines.filter((l) => /\[(emerg|alert|crit|error)\]/.test(l));
  return (bad.length ? bad : lines).join('; ').slice(0, 1000);
}

/** nginx as a web-server engine: a server block per domain in the sites directory, `nginx -t`, reload. */
export class NginxEngine implements WebServerEngine {
  readonly id = 'nginx';
  readonly label = 'nginx';
  readonly capabilities: EngineCapabilities;
  readonly fragments: FragmentDirectory;
  private readonly opts: NginxRenderOptions;
  private readonly queue = new SerialQueue();

  private readonly logs: ReturnType<typeof nginxAccessLogs>;

  constructor(
    private readonly s: NginxSettings,
    private readonly exec: ExecService,
  ) {
    this.capabilities = {
      perHostPhp: true,
      phpModes: ['fpm' as const, 'lsapi' as const],
      tls: true,
      acmeWhileSuspended: true,
      foreignSymlinksRefused: true,
      accessLogs: Boolean(s.accessLogDir),
    };
    this.logs = nginxAccessLogs(s.accessLogDir);
    this.fragments = new FragmentDirectory(s.sitesDir, '.conf');
    this.opts = {
      listen: s.listen,
      listenSsl: s.listenSsl,
      fastcgiParams: s.fastcgiParams,
      accessLogDir: s.accessLogDir,
      vhost: loadTemplate(s.templatesDir, 'nginx/vhost.conf'),
      suspendedPage: loadTemplate(s.templatesDir, 'pages/suspended.html'),
    };
  }

  render(spec: VhostSpec) {
    return renderNginxVhost(spec, this.opts);
  }

  fragmentName(domain: string): string {
    return nginxFragmentName(domain);
  }

  async list(names?: string[]): Promise<Map<string, string>> {
    return this.fragments.readAll(names);
  }

  apply(change: VhostChange): Promise<ApplyResult> {
    return this.serial(() => this.applyNow(change));
  }

  private async applyNow(change: VhostChange): Promise<ApplyResult> {
    if (change.write.length === 0 && change.remove.length === 0) return { written: 0, removed: 0, reloaded: false };
    this.logs.prepare(); // nginx refuses a configuration whose log directory is missing
    const swap = this.fragments.swap(change);
    let reloading = false;
    try {
      const t = await this.test();
      if (!t.ok) throw errors.externalCommand('nginx rejected the new configuration').withAdminDetail(t.message);
      reloading = true;
      const r = await this.reloadNow();
      swap.commit();
      return { written: swap.written, removed: swap.removed, reloaded: r.reloaded };
    } catch (e) {
      swap.rollback();
      // The reload may have half-landed: load the restored files again (best effort).
      if (reloading) await this.reloadNow().catch(() => undefined);
      throw e;
    }
  }

  async test(): Promise<{ ok: boolean; message: string }> {
    if (!(await this.exec.which(this.s.binary)))
      return { ok: true, message: 'nginx is not installed: configuration not tested' };
    const [cmd, ...args] = this.s.testCommand;
    const r = await this.exec.run(cmd!, args, { allowFailure: true, timeoutMs: 120_000 });
    return { ok: r.code === 0, message: nginxMessage(r.stderr || r.stdout) || `exit ${r.code}` };
  }

  reload(): Promise<{ reloaded: boolean; message: string }> {
    return this.serial(() => this.reloadNow());
  }

  private async reloadNow(): Promise<{ reloaded: boolean; message: string }> {
    if (!(await this.exec.which(this.s.binary))) return { reloaded: false, message: 'nginx is not installed' };
    const master = readPid(this.s.pidFile);
    const running = isAlive(master);
    if (!running) return { reloaded: false, message: 'nginx is not running; the configuration loads when it starts' };
    const before = childPids(master);
    const serving = servingWorkers(before);
    await this.signalReload(master);
    if (this.s.reloadWaitMs > 0 && !(await waitForNewWorkers(master, before, this.s.reloadWaitMs, serving)))
      throw errors.externalCommand('nginx kept its previous configuration after the reload signal (see its error log)');
    return { reloaded: true, message: 'nginx reloaded' };
  }

  /**
   * SIGHUP to the master, which is all `nginx -s reload` sends — but that command first parses the
   * whole configuration (every vhost, again after the test) to find the pid file. A configured
   * reload command, a pid file naming something that is not nginx, or a refused signal goes through the command.
   */
  private async signalReload(master: number): Promise<void> {
    if (this.s.reloadBySignal && isNginxProcess(master)) {
      try {
        process.kill(master, 'SIGHUP');
        return;
      } catch {
        // Not ours to signal (another user's master): the command says why, in nginx's words.
      }
    }
    const [cmd, ...args] = this.s.reloadCommand;
    const r = await this.exec.run(cmd!, args, { allowFailure: true, timeoutMs: 60_000 });
    if (r.code !== 0)
      throw errors
        .externalCommand('nginx reload failed')
        .withAdminDetail(nginxMessage(r.stderr || r.stdout) || `exit ${r.code}`);
  }

  async status(): Promise<EngineStatus> {
    const installed = Boolean(await this.exec.which(this.s.binary));
    const pid = readPid(this.s.pidFile);
    const running = installed && isAlive(pid);
    return {
      engine: this.id,
      installed,
      running,
      version: installed ? await this.version() : null,
      pid: running ? pid : null,
      uptime_secs: running ? uptimeSecs(pid) : null,
      config_path: this.s.confPath,
      vhosts_dir: this.s.sitesDir,
      access_logs: this.logs.status(),
    };
  }

  accessLogs() {
    return this.logs.list();
  }

  async version(): Promise<string | null> {
    if (!(await this.exec.which(this.s.binary))) return null;
    const r = await this.exec.run(this.s.binary, ['-v'], { allowFailure: true, timeoutMs: 10_000 });
    return /nginx version:\s*(\S+)/.exec(r.stderr + r.stdout)?.[1] ?? null;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }
}
