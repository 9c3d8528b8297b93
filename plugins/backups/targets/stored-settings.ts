import type { BackupScope, PluginContext } from '../../../sdk/index.js';
import type { BackupsConfig } from '../config.js';
import type { TargetRegistry } from './registry.js';

/** What the targets table holds of a target's settings: public ones in clear, secrets sealed. */
export interface StoredSettings {
  config: string;
  secrets: string;
}

/**
 * Validate settings of `kind` like API input, build the target once (so what a kind checks
 * beyond its schema, such as SFTP's "a password or a private key", is refused now), and split
 * them into the row's public config and sealed secrets. Throws a 400 naming the field.
 */
export function storedSettings(
  ctx: PluginContext<BackupsConfig>,
  reg: TargetRegistry,
  target: { id: string; kind: string; scope: BackupScope; ownerId: number | null },
  config: Record<string, unknown>,
): StoredSettings {
  const factory = reg.factory(target.kind).value;
  const settings = reg.validate(factory, config);
  factory.create({
    id: target.id,
    scope: target.scope,
    ownerId: target.ownerId,
    config: settings,
    dataDir: ctx.settings.dataDir,
  });
  const secrets = Object.fromEntries(
    factory.secretFields
      .filter((f) => settings[f] !== undefined && settings[f] !== '')
      .map((f) => [f, String(settings[f])]),
  );
  const publicConfig = Object.fromEntries(Object.entries(settings).filter(([k]) => !factory.secretFields.includes(k)));
  return { config: JSON.stringify(publicConfig), secrets: reg.box.seal(secrets) };
}

/**
 * An edit's settings: `given` is the whole new configuration, except that a secret it leaves out
 * (or sends empty) keeps its stored value — the UI never has the secret to send back — and one
 * sent as null is removed (an SFTP login moving from a key to a password drops the key).
 */
export function withKeptSecrets(
  given: Record<string, unknown>,
  stored: Record<string, string>,
  secretFields: readonly string[],
): Record<string, unknown> {
  const out = { ...given };
  for (const f of secretFields) {
    const sent = given[f];
    if (sent !== undefined && sent !== null && sent !== '') continue;
    if (sent !== null && stored[f] !== undefined) out[f] = stored[f];
    else delete out[f];
  }
  return out;
}
