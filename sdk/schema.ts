/**
 * Schema builder for route params, query, bodies and config sections (TypeBox 1.x).
 * Objects are closed by the kernel (unknown fields are rejected) unless a schema says otherwise.
 *
 * @example
 * ```ts
 * const Body = Type.Object({ name: Type.String({ minLength: 1 }) });
 * type Body = Static<typeof Body>;
 * ```
 */
export { default as Type } from 'typebox';
export type { Static, TSchema, TObject } from 'typebox';
