import { linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  errors, failpoint, FragmentDirectory, loadTemplate, SerialQueue, type ApplyResult, type CompiledTemplate, type EngineStatus, type ExecService, type VhostChange,
  type VhostSpec, type WebServerEngine,
} from '../../sdk/index.js';
import { assembleConfig, reorder } from './assemble.js';
import { VeloServeCli, type VeloServeSettings } from './cli.js';
import { renderVeloServeVhost, suspendedRoot, veloserveFragmentName } from './render.js';
import { IncrementalCheck } from './check-incremental.js';
import { ServedConfig } from './served.js';

function unlinkQuiet(file: string): void {
  rmSync(file, { force: true });
}

/**
 * VeloServe as a web-server engine: a fragment per domain under `vhosts/`, assembled into the
 * managed section of the one TOML file VeloServe reads; checked against VeloServe's config schema,
 * then `veloserve config test` on the temp file and `config reload` when the binary is present.
 */
export class VeloServeEngine implements WebServerEngine {
  readonly id = 'veloserve';
  readonly label = 'VeloServe';
  readonly capabilities = { perHostPhp: false, phpModes: ['cgi' as const, 'lsapi' as const], tls: true, acmeWhileSuspended: false, foreignSymlinksRefused: false, accessLogs: false };
  readonly fragments: FragmentDirectory;
  private readonly template: CompiledTemplate;
  private readonly suspendedPage: CompiledTemplate;
  private readonly queue = new SerialQueue();
  /**
   * Every fragment as of the last full listing or successful apply: assembling the main file then
   * needs no second read of thousands of files. A full regenerate lists from disk and refreshes it.
   */
  private known: Map<string, string> | null = null;
  /** The names of {@link known} in the main file's (sorted) order, kept with it. */
  private order: string[] | null = null;

  /** Checks the main file against VeloServe's schema, re-parsing only the fragments that changed. */
  private readonly checker = new IncrementalCheck();
  private readonly cli: VeloServeCli;
  private readonly served: ServedConfig;

  constructor(private readonly s: VeloServeSettings, exec: ExecService) {
    this.cli = new VeloServeCli(s, exec);
    this.served = new ServedConfig(s.configPath);
    this.fragments = new FragmentDirectory(s.vhostsDir, '.toml');
    this.template = loadTemplate(s.templatesDir, 'veloserve/virtualhost.toml');
    this.suspendedPage = loadTemplate(s.templatesDir, 'pages/suspended.html');
  }

  /** Undo a change a crash interrupted (fragments and the main file). Returns files restored. */
  prepare(): number {
    let restored = this.fragments.prepare();
    const cfg = this.s.configPath;
    unlinkQuiet(`${cfg}.vp-new`);
    try {
      renameSync(`${cfg}.vp-old`, cfg);
      restored++;
    } catch {
      // nothing was interrupted
    }
    return restored;
  }

  render(spec: VhostSpec) {
    return renderVeloServeVhost(spec, this.template, this.s.suspendedDir);
  }

  fragmentName(domain: string): string {
    return veloserveFragmentName(domain);
  }

  /**
   * Fragments as VeloServe serves them: compared with its main file, so a fragment a crash left
   * out of it (or one left in it without a file) differs and the next sync or regenerate writes it.
   */
  async list(names?: string[]): Promise<Map<string, string>> {
    const found = this.fragments.readAll(names);
    if (!names) [this.known, this.order] = [new Map(found), null];
    return this.served.asServed(found, names);
  }

  apply(change: VhostChange): Promise<ApplyResult> {
    return this.serial(() => this.applyNow(change));
  }

  private async applyNow(change: VhostChange): Promise<ApplyResult> {
    if (change.write.length === 0 && change.remove.length === 0) return { written: 0, removed: 0, reloaded: false };
    const swap = this.fragments.swap(change);
    const cfg = this.s.configPath;
    const [tmp, old] = [`${cfg}.vp-new`, `${cfg}.vp-old`];
    let previous: 'kept' | 'none' | null = null;
    try {
      const order = this.known && this.order;
      const all = this.known ?? this.fragments.readAll();
      [this.known, this.order] = [null, null];
      for (const f of change.write) all.set(f.name, f.content);
      for (const name of change.remove) all.delete(name);
      const names = order ? reorder(order, change.write.map((f) => f.name), change.remove) : [...all.keys()].sort();
      const next = assembleConfig(this.served.skeleton(), names.map((n) => all.get(n)!));
      const problem = this.checker.check(next, all);
      if (problem) throw errors.externalCommand(`VeloServe configuration rejected: ${problem}`);
      mkdirSync(path.dirname(cfg), { recursive: true, mode: 0o755 });
      writeFileSync(tmp, next, { mode: 0o644 });
      failpoint('veloserve.apply.fragments-swapped');
      const t = await this.cli.testWithBinary(tmp);
      if (!t.ok) throw errors.externalCommand('VeloServe rejected the new configuration').withAdminDetail(t.message);
      this.writeSuspendedPages(change);
      unlinkQuiet(old);
      try {
        linkSync(cfg, old);
        previous = 'kept';
      } catch {
        previous = 'none';
      }
      renameSync(tmp, cfg);
      failpoint('veloserve.apply.main-swapped');
      this.served.wrote(all, next);
      const r = await this.cli.reload();
      unlinkQuiet(old);
      swap.commit();
      [this.known, this.order] = [all, names];
      return { written: swap.written, removed: swap.removed, reloaded: r.reloaded };
    } catch (e) {
      unlinkQuiet(tmp);
      if (previous === 'kept') renameSync(old, cfg);
      if (previous === 'none') unlinkQuiet(cfg);
      swap.rollback();
      if (previous) await this.cli.reload().catch(() => undefined);
      throw e;
    }
  }

  /** VeloServe cannot `return` a page: a suspended host's root is a directory with the suspended page. */
  private writeSuspendedPages(change: VhostChange): void {
    for (const f of change.write) {
      const domain = f.name.slice(0, -'.toml'.length);
      const dir = suspendedRoot(this.s.suspendedDir, domain);
      if (!f.content.includes(`root = "${dir}"`)) continue;
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      writeFileSync(path.join(dir, 'index.html'), this.suspendedPage.render({ domain }), { mode: 0o644 });
    }
    for (const name of change.remove) rmSync(suspendedRoot(this.s.suspendedDir, name.slice(0, -'.toml'.length)), { recursive: true, force: true });
  }

  test(): Promise<{ ok: boolean; message: string }> {
    return this.cli.testFile(this.s.configPath);
  }

  reload(): Promise<{ reloaded: boolean; message: string }> {
    return this.serial(() => this.cli.reload());
  }

  async status(): Promise<EngineStatus> {
    // VeloServe's configuration (veloserve.toml) has no access-log setting, global or per host.
    const access_logs = {
      measured: false, dir: null,
      detail: "VeloServe's configuration has no access-log setting (global or per virtual host): bandwidth is not measured with this engine",
    };
    return { ...(await this.cli.status(this.id, this.s.vhostsDir)), access_logs };
  }

  version(): Promise<string | null> {
    return this.cli.version();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }
}

export type { VeloServeSettings };
