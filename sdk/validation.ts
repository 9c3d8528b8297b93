/**
 * Schema validation as the kernel does it for requests: compile once, apply defaults, and throw
 * a 400 naming the field (with `x-error` messages) — for values that arrive another way than a
 * request, e.g. a backup manifest or a plugin-defined settings object.
 *
 * @example
 * ```ts
 * const manifest = compileValidator<Manifest>(ManifestSchema, { where: 'manifest' }).parse(json);
 * ```
 */
export { compileValidator } from '../core/validation.js';
export type { Validator } from '../core/validation.js';
