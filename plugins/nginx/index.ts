import path from 'node:path';
import {
  definePlugin,
  managedServices,
  Type,
  webServerEngines,
  type PluginContext,
  type Static,
} from '../../sdk/index.js';
import { NginxEngine, type NginxSettings } from './engine.js';
import { pidFileFromConf } from './process.js';

const PATH = {
  pattern: '^(/[A-Za-z0-9._+@=,~-]+)+$',
  'x-error': 'must be an absolute path of letters, digits and ._+@=,~-',
};
const PathString = Type.String(PATH);
const LISTEN = {
  pattern: '^((\\[[0-9a-fA-F:]+\\]|[0-9.]+|\\*):)?[0-9]{1,5}$',
  'x-error': 'must be a port or address:port',
};

const NginxConfig = Type.Object({
  binary: Type.String({
    default: 'nginx',
    pattern: '^[A-Za-z0-9._/-]+$',
    'x-error': 'must be a program name or absolute path',
  }),
  /** `-p` prefix and `-c` main config of a private instance; empty for the system nginx. */
  prefix: Type.Union([Type.Literal(''), PathString], { default: '' }),
  conf: Type.Union([Type.Literal(''), PathString], { default: '' }),
  error_log: Type.Union([Type.Literal(''), PathString], { default: '' }),
  /** Directory the main config includes (`include <dir>/*.conf;`). */
  sites_dir: Type.Union([Type.Literal(''), PathString], { default: '' }),
  pid_file: Type.Union([Type.Literal(''), PathString], { default: '' }),
  listen: Type.String({ ...LISTEN, default: '80' }),
  listen_ssl: Type.String({ ...LISTEN, default: '443' }),
  fastcgi_params: Type.String({ ...PATH, default: '/etc/nginx/fastcgi_params' }),
  /** argv of the test and reload commands; empty: `nginx [-p -c -e] -t` and `… -s reload`. */
  test_command: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  reload_command: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  /** How long a reload may take to start new workers before it counts as failed (0: do not wait). */
  reload_wait_ms: Type.Integer({ default: 30_000, minimum: 0, maximum: 300_000 }),
  /** One access log per domain with the bytes sent, for bandwidth accounting. */
  access_logs: Type.Boolean({ default: true }),
  /** Where they go; empty: /var/log/nginx/velopanel (linux) or data_dir/nginx/logs. */
  access_log_dir: Type.Union([Type.Literal(''), PathString], { default: '' }),
});
type NginxConfig = Static<typeof NginxConfig>;

/** Settings from the plugin config, with defaults by mode (system paths in linux mode, the data dir otherwise). */
export function nginxSettings(ctx: PluginContext<NginxConfig>): NginxSettings {
  const managed = ctx.services.find(managedServices)?.endpoint('nginx');
  // The panel's own nginx (local mode): its prefix, config and loopback ports replace the defaults.
  const c = managed
    ? {
        ...ctx.config,
        prefix: managed.prefix!,
        conf: managed.conf!,
        error_log: `${managed.prefix}/error.log`,
        pid_file: managed.pidFile!,
        listen: `${managed.host}:${managed.port}`,
        listen_ssl: `${managed.host}:${managed.sslPort}`,
      }
    : ctx.config;
  const linux = ctx.settings.mode === 'linux';
  const confPath = c.conf || (c.prefix ? path.join(c.prefix, 'conf/nginx.conf') : '/etc/nginx/nginx.conf');
  const baseArgs = [
    ...(c.prefix ? ['-p', c.prefix] : []),
    ...(c.conf ? ['-c', c.conf] : []),
    ...(c.error_log ? ['-e', c.error_log] : []),
  ];
  return {
    binary: c.binary,
    baseArgs,
    confPath,
    sitesDir: c.sites_dir || (linux ? '/etc/nginx/sites-enabled' : path.join(ctx.settings.dataDir, 'nginx', 'sites')),
    pidFile: c.pid_file || pidFileFromConf(confPath, c.prefix) || '/run/nginx.pid',
    listen: c.listen,
    listenSsl: c.listen_ssl,
    fastcgiParams: c.fastcgi_params,
    testCommand: c.test_command.length ? c.test_command : [c.binary, ...baseArgs, '-t'],
    reloadCommand: c.reload_command.length ? c.reload_command : [c.binary, ...baseArgs, '-s', 'reload'],
    reloadWaitMs: c.reload_wait_ms,
    templatesDir: ctx.settings.templatesDir,
    accessLogDir: !c.access_logs
      ? ''
      : c.access_log_dir || (linux ? '/var/log/nginx/velopanel' : path.join(ctx.settings.dataDir, 'nginx', 'logs')),
  };
}

/** The nginx web-server engine: one server block per domain, tested with `nginx -t`, then reloaded. */
export default definePlugin<NginxConfig>({
  manifest: {
    id: 'nginx',
    name: 'nginx engine',
    version: '1.0.0',
    sdk: '^1.0.0',
    provides: ['webserver-engines'],
    optionalDependencies: ['local-services'],
    consumes: ['local-services.managed?'],
    description: 'Web-server engine writing one nginx server block per domain',
  },
  configSchema: NginxConfig,
  start(ctx) {
    const engine = new NginxEngine(nginxSettings(ctx), ctx.exec);
    const restored = engine.fragments.prepare();
    if (restored) ctx.logger.warn('restored server blocks of an interrupted change', { restored });
    const narrowed = engine.fragments.tightenModes();
    if (narrowed.length) ctx.logger.warn('narrowed the modes of server blocks that had drifted', { files: narrowed });
    ctx.extensions.provide(webServerEngines, 'nginx', engine);
  },
});
