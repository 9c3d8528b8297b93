import { readFileSync } from 'node:fs';
import { errors, isAlive, readPid, uptimeSecs, type EngineStatus, type ExecService } from '../../sdk/index.js';
import { checkVeloServeConfig } from './schema.js';

/** Resolved settings of the VeloServe engine. `{config}` in a command is the file to act on. */
export interface VeloServeSettings {
  binary: string;
  configPath: string;
  vhostsDir: string;
  suspendedDir: string;
  pidFile: string;
  testCommand: string[];
  reloadCommand: string[];
  templatesDir: string;
}

/** A file's text, or '' when it does not exist yet. */
export function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * VeloServe's command line as the engine drives it: `--config FILE config test` on the temp file,
 * `config reload` (SIGHUP through the pid file), `--version`; status from the pid file and /proc.
 * Without the binary, a file is checked against VeloServe's config schema only and nothing reloads.
 */
export class VeloServeCli {
  constructor(
    private readonly s: VeloServeSettings,
    private readonly exec: ExecService,
  ) {}

  private command(template: string[], file: string): [string, string[]] {
    const [cmd, ...args] = template.map((a) => a.replaceAll('{config}', file));
    return [cmd!, args];
  }

  async installed(): Promise<boolean> {
    return Boolean(await this.exec.which(this.s.binary));
  }

  /** Schema check, then the binary's own test. */
  async testFile(file: string): Promise<{ ok: boolean; message: string }> {
    const problem = checkVeloServeConfig(readOrEmpty(file));
    return problem ? { ok: false, message: problem } : this.testWithBinary(file);
  }

  /** `veloserve --config FILE config test` (passes without the binary: nothing else can test). */
  async testWithBinary(file: string): Promise<{ ok: boolean; message: string }> {
    if (!(await this.installed()))
      return { ok: true, message: 'VeloServe is not installed: checked against its config schema only' };
    const [cmd, args] = this.command(this.s.testCommand, file);
    const r = await this.exec.run(cmd, args, { allowFailure: true, timeoutMs: 60_000 });
    return { ok: r.code === 0, message: (r.stderr || r.stdout).trim().slice(0, 1000) || `exit ${r.code}` };
  }

  async reload(): Promise<{ reloaded: boolean; message: string }> {
    if (!(await this.installed())) return { reloaded: false, message: 'VeloServe is not installed' };
    if (!isAlive(readPid(this.s.pidFile)))
      return { reloaded: false, message: 'VeloServe is not running; the configuration loads when it starts' };
    const [cmd, args] = this.command(this.s.reloadCommand, this.s.configPath);
    const r = await this.exec.run(cmd, args, { allowFailure: true, timeoutMs: 60_000 });
    if (r.code !== 0)
      throw errors
        .externalCommand('VeloServe reload failed')
        .withAdminDetail((r.stderr || r.stdout).trim().slice(0, 1000) || `exit ${r.code}`);
    return { reloaded: true, message: 'VeloServe reloaded' };
  }

  async status(engine: string, vhostsDir: string): Promise<EngineStatus> {
    const installed = await this.installed();
    const pid = readPid(this.s.pidFile);
    const running = installed && isAlive(pid);
    return {
      engine,
      installed,
      running,
      version: installed ? await this.version() : null,
      pid: running ? pid : null,
      uptime_secs: running ? uptimeSecs(pid) : null,
      config_path: this.s.configPath,
      vhosts_dir: vhostsDir,
    };
  }

  async version(): Promise<string | null> {
    if (!(await this.installed())) return null;
    const r = await this.exec.run(this.s.binary, ['--version'], { allowFailure: true, timeoutMs: 10_000 });
    return (r.stdout || r.stderr).trim().split('\n')[0] || null;
  }
}
