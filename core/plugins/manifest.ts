import semver from 'semver';
import Type from 'typebox';
import { SDK_VERSION, type PluginManifest } from '../../sdk/plugin.js';
import { compileValidator } from '../validation.js';

const Id = Type.String({
  pattern: '^[a-z][a-z0-9-]{0,39}$',
  'x-error': 'must be lowercase letters, digits and dashes, starting with a letter',
});
const Tier = Type.Union([Type.Literal('community'), Type.Literal('pro'), Type.Literal('business')], {
  'x-error': 'must be community, pro or business',
});

const Limit = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
  'x-error': 'must be a whole number or null (unlimited)',
});
const LicenceTerms = Type.Object({
  features: Type.Optional(
    Type.Record(Type.String({ pattern: '^[a-z0-9_.-]{1,60}$' }), Tier, {
      maxProperties: 50,
      additionalProperties: false,
    }),
  ),
  limits: Type.Optional(
    Type.Record(
      Type.String({ pattern: '^max_[a-z0-9_]{1,56}$' }),
      Type.Object({
        tiers: Type.Object({ community: Limit, pro: Limit, business: Limit }),
        communitySetting: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,59}$' })),
        counter: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,59}$' })),
      }),
      { maxProperties: 20, additionalProperties: false },
    ),
  ),
});

const ManifestSchema = Type.Object({
  id: Id,
  name: Type.Optional(Type.String({ maxLength: 80 })),
  version: Type.String({ minLength: 1, maxLength: 40 }),
  sdk: Type.String({ minLength: 1, maxLength: 60 }),
  tier: Type.Optional(Tier),
  feature: Type.Optional(Type.String({ pattern: '^[a-z0-9_.-]{1,60}$' })),
  dependencies: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  optionalDependencies: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  provides: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 50 })),
  consumes: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 50 })),
  licence: Type.Optional(LicenceTerms),
  description: Type.Optional(Type.String({ maxLength: 500 })),
});

const validator = compileValidator<PluginManifest>(ManifestSchema, { where: 'manifest' });

/** Validate a manifest: schema, semver version, SDK range satisfied by this SDK. Returns a reason or null. */
export function checkManifest(input: unknown): { manifest: PluginManifest | null; problem: string | null } {
  let manifest: PluginManifest;
  try {
    manifest = validator.parse(input);
  } catch (e) {
    return { manifest: null, problem: `invalid manifest: ${(e as Error).message}` };
  }
  if (!semver.valid(manifest.version))
    return { manifest: null, problem: `invalid manifest: version: '${manifest.version}' is not semver` };
  if (!semver.validRange(manifest.sdk))
    return { manifest: null, problem: `invalid manifest: sdk: '${manifest.sdk}' is not a semver range` };
  if (!semver.satisfies(SDK_VERSION, manifest.sdk))
    return { manifest, problem: `incompatible: needs SDK ${manifest.sdk}, this panel provides SDK ${SDK_VERSION}` };
  return { manifest, problem: null };
}
