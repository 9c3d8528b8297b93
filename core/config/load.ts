import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { compileValidator } from '../validation.js';
import { ConfigSchema, type PanelConfig } from './schema.js';

/** A configuration problem that stops start-up with one line. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const validator = compileValidator<PanelConfig>(ConfigSchema, { where: 'config' });

/** Where the TOML file is: `VELOPANEL_CONFIG`, else `config/velopanel.toml` when it exists. */
export function configPath(env: NodeJS.ProcessEnv, cwd: string): string | null {
  if (env.VELOPANEL_CONFIG) return path.resolve(cwd, env.VELOPANEL_CONFIG);
  const fallback = path.resolve(cwd, 'config/velopanel.toml');
  return existsSync(fallback) ? fallback : null;
}

/**
 * Load, override from the environment, validate and resolve paths. Throws {@link ConfigError}
 * naming the key on any problem.
 */
export function loadConfig(
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; overrides?: Partial<PanelConfig> & Record<string, unknown> } = {},
): PanelConfig & { source: string | null } {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const file = configPath(env, cwd);
  let raw: Record<string, unknown> = {};
  if (file) {
    if (!existsSync(file)) throw new ConfigError(`config: file not found: ${file}`);
    try {
      raw = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`config: ${file} is not valid TOML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  raw = { ...raw, ...fromEnv(env), ...(opts.overrides ?? {}) };
  // Keys the kernel does not know are the plugins' (checked when they load, see `top_level`).
  const top_level: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (key in ConfigSchema.properties) continue;
    top_level[key] = raw[key];
    delete raw[key];
  }
  let cfg: PanelConfig;
  try {
    cfg = { ...validator.parse(raw), top_level };
  } catch (e) {
    throw new ConfigError(`config: ${(e as Error).message}`);
  }
  // Relative paths are relative to the directory the panel is started from.
  const base = cwd;
  cfg.data_dir = path.resolve(base, cfg.data_dir);
  if (!cfg.server_hostname) cfg.server_hostname = os.hostname();
  if (cfg.plugins_dir) cfg.plugins_dir = path.resolve(base, cfg.plugins_dir);
  if (cfg.license_key_path) cfg.license_key_path = path.resolve(base, cfg.license_key_path);
  if (Boolean(cfg.tls_cert_path) !== Boolean(cfg.tls_key_path))
    throw new ConfigError('config: tls_cert_path and tls_key_path: set both or neither');
  if (cfg.tls_cert_path) cfg.tls_cert_path = path.resolve(base, cfg.tls_cert_path);
  if (cfg.tls_key_path) cfg.tls_key_path = path.resolve(base, cfg.tls_key_path);
  return { ...cfg, source: file };
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.VELOPANEL_HOST) out.bind_address = env.VELOPANEL_HOST;
  if (env.VELOPANEL_PORT !== undefined && env.VELOPANEL_PORT !== '') {
    const port = Number(env.VELOPANEL_PORT);
    if (!Number.isInteger(port)) throw new ConfigError(`config: VELOPANEL_PORT: must be a port number 0–65535`);
    out.bind_port = port;
  }
  if (env.VELOPANEL_DATA_DIR) out.data_dir = env.VELOPANEL_DATA_DIR;
  if (env.VELOPANEL_DATABASE_URL) out.database_url = env.VELOPANEL_DATABASE_URL;
  return out;
}
