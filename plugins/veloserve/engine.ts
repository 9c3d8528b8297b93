import { linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  errors,
  failpoint,
  FragmentDirectory,
  loadTemplate,
  SerialQueue,
  type ApplyResult,
  type CompiledTemplate,
  type EngineStatus,
  type ExecService,
  type VhostChange,
  type VhostSpec,
  type WebServerEngine,
} from '../../sdk/index.js';
import { VeloServeCli, type VeloServeSettings } from './cli.js';
import { renderVeloServeVhost, suspendedRoot, veloserveFragmentName } from './render.js';
import { IncrementalCheck } from './check-incremental.js';
import { PreviousFile, writeParts } from './main-file.js';
import { ManagedSection } from './section.js';
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
  readonly capabilities = {
    perHostPhp: false,
    phpModes: ['cgi' as const, 'lsapi' as const],
    tls: true,
    acmeWhileSuspended: false,
    foreignSymlinksRefused: false,
    accessLogs: false,
  };
  readonly fragments: FragmentDirectory;
  private readonly template: CompiledTemplate;
  private readonly suspendedPage: CompiledTemplate;
  private readonly queue = new SerialQueue();
  private readonly previous: PreviousFile;
  /**
   * Every fragment as of the last full listing: the next change builds {@link section} from it,
   * with no second read of thousands of files.
   */
  private known: Map<string, string> | null = null;
  /** The managed section as the main file holds it since the last successful change. */
  private section: ManagedSection | null = null;

  /** Checks the main file against VeloServe's schema, re-parsing only the fragments that changed. */
  private readonly checker = new IncrementalCheck();
  private readonly cli: VeloServeCli;
  private readonly served: ServedConfig;

  constructor(
    private readonly s: VeloServeSettings,
    exec: ExecService,
  ) {
    this.cli = new VeloServeCli(s, exec);
    this.served = new ServedConfig(s.configPath);
    this.previous = new PreviousFile(s.configPath);
    this.fragments = new FragmentDirectory(s.vhostsDir, '.toml');
    this.template = loadTemplate(s.templatesDir, 'veloserve/virtualhost.toml');
    this.suspendedPage = loadTemplate(s.templatesDir, 'pages/suspended.html');
  }

  /** Undo a change a crash interrupted (fragments and the main file). Returns files restored. */
  prepare(): number {
    let restored = this.fragments.prepare();
    const cfg = this.s.configPath;
    unlinkQuiet(`${cfg}.vp-new`);
    this.previous.prepare();
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
    if (!names) [this.known, this.section] = [new Map(found), null];
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
    await this.previous.discarded();
    try {
      // Built from all fragments only after a full listing or a failed change; kept otherwise.
      const section = this.section ?? new ManagedSection(this.known ?? this.fragments.readAll());
      [this.section, this.known] = [null, null];
      const delta = ManagedSection.change(change.write, change.remove);
      const skeleton = this.served.skeleton();
      const next = section.preview(skeleton, delta);
      const checked = this.checker.check(skeleton, section, delta, () => Buffer.concat(next.parts).toString());
      if (checked.problem) throw errors.externalCommand(`VeloServe configuration rejected: ${checked.problem}`);
      mkdirSync(path.dirname(cfg), { recursive: true, mode: 0o755 });
      writeParts(tmp, next.parts);
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
      next.commit();
      checked.commit();
      this.served.wrote(section.fragments, skeleton);
      const r = await this.cli.reload();
      if (previous === 'kept') this.previous.discard(old);
      swap.commit();
      this.section = section;
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
    for (const name of change.remove)
      rmSync(suspendedRoot(this.s.suspendedDir, name.slice(0, -'.toml'.length)), { recursive: true, force: true });
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
      measured: false,
      dir: null,
      detail:
        "VeloServe's configuration has no access-log setting (global or per virtual host): bandwidth is not measured with this engine",
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
