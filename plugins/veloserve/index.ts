import path from 'node:path';
import { definePlugin, Type, webServerEngines, type PluginContext, type Static } from '../../sdk/index.js';
import { VeloServeEngine, type VeloServeSettings } from './engine.js';

const PATH = {
  pattern: '^(/[A-Za-z0-9._+@=,~-]+)+$',
  'x-error': 'must be an absolute path of letters, digits and ._+@=,~-',
};
const OptionalPath = Type.Union([Type.Literal(''), Type.String(PATH)], { default: '' });

const VeloServeConfig = Type.Object({
  /** VeloServe's TOML file; also accepted at the top level of the config, as the API reference documents it. Empty: the mode's default. */
  veloserve_config_path: Type.String({ default: '' }),
  binary: Type.String({
    default: 'veloserve',
    pattern: '^[A-Za-z0-9._/-]+$',
    'x-error': 'must be a program name or absolute path',
  }),
  /** Directory of the per-domain fragments; default `vhosts/` beside the config file. */
  vhosts_dir: OptionalPath,
  /** Directory of the suspended pages; default `suspended/` beside the config file. */
  suspended_dir: OptionalPath,
  pid_file: Type.String({ ...PATH, default: '/var/run/veloserve.pid' }),
  /** argv of the test and reload commands; `{config}` is the file to act on. */
  test_command: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  reload_command: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
});
type VeloServeConfig = Static<typeof VeloServeConfig>;

/** Settings from `veloserve_config_path` and the plugin config (the data dir in local mode). */
export function veloserveSettings(ctx: PluginContext<VeloServeConfig>): VeloServeSettings {
  const c = ctx.config;
  const configPath =
    c.veloserve_config_path ||
    (ctx.settings.mode === 'linux'
      ? '/etc/veloserve/veloserve.toml'
      : path.join(ctx.settings.dataDir, 'veloserve', 'veloserve.toml'));
  if (!/^(\/[A-Za-z0-9._+@=,~-]+)+$/.test(configPath))
    throw new Error(`veloserve_config_path '${configPath}' must be an absolute path of letters, digits and ._+@=,~-`);
  const dir = path.dirname(configPath);
  return {
    binary: c.binary,
    configPath,
    vhostsDir: c.vhosts_dir || path.join(dir, 'vhosts'),
    suspendedDir: c.suspended_dir || path.join(dir, 'suspended'),
    pidFile: c.pid_file,
    testCommand: c.test_command.length ? c.test_command : [c.binary, '--config', '{config}', 'config', 'test'],
    reloadCommand: c.reload_command.length ? c.reload_command : [c.binary, '--config', '{config}', 'config', 'reload'],
    templatesDir: ctx.settings.templatesDir,
  };
}

/** The VeloServe web-server engine (the contract's default): the managed `[[virtualhost]]` section of its TOML. */
export default definePlugin<VeloServeConfig>({
  manifest: {
    id: 'veloserve',
    name: 'VeloServe engine',
    version: '1.0.0',
    sdk: '^1.0.0',
    provides: ['webserver-engines'],
    description: "Web-server engine writing VeloServe's TOML virtual hosts",
  },
  configSchema: VeloServeConfig,
  start(ctx) {
    const engine = new VeloServeEngine(veloserveSettings(ctx), ctx.exec);
    const restored = engine.prepare();
    if (restored) ctx.logger.warn('restored virtual hosts of an interrupted change', { restored });
    // A stat per fragment (50,000 at 10,000 accounts): after the API answers, not before. What it
    // narrows is only ever read by root; every fragment written meanwhile is written 0640 anyway.
    ctx.onReady(() => {
      const narrowed = engine.fragments.tightenModes();
      if (narrowed.length) ctx.logger.warn('narrowed the modes of virtual hosts that had drifted', { files: narrowed });
    });
    ctx.extensions.provide(webServerEngines, 'veloserve', engine);
  },
});
