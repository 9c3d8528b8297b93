import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { errors } from './errors.js';

/** A compiled schema: checks, applies defaults and reports the first problem by field name. */
export interface Validator<T = unknown> {
  schema: TSchema;
  /** Returns the cleaned value (defaults applied) or throws a 400 naming the field. */
  parse(value: unknown, where?: string): T;
}

/** Close every object schema that does not say otherwise, so unknown fields are rejected. */
export function closeObjects(schema: any): any {
  if (schema === null || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map(closeObjects);
  // Keep TypeBox's non-enumerable and symbol markers: copy descriptors, then recurse.
  const out = Object.create(Object.getPrototypeOf(schema), Object.getOwnPropertyDescriptors(schema));
  for (const key of Object.keys(schema)) out[key] = closeObjects(schema[key]);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

function fieldName(path: string, where?: string): string {
  const field = path.replace(/^\//, '').replace(/\//g, '.');
  return field || where || 'body';
}

/** Turn TypeBox's error list into one human line naming the field. */
export function describeError(schema: TSchema, value: unknown, list: any[], where?: string): string {
  const extra = list.find((e) => e.keyword === 'additionalProperties');
  if (extra) {
    const names: string[] = extra.params?.additionalProperties ?? [];
    const prefix = extra.instancePath ? `${fieldName(extra.instancePath)}.` : '';
    return `${prefix}${names[0] ?? 'field'}: unknown field`;
  }
  const req = list.find((e) => e.keyword === 'required');
  if (req) {
    const missing: string[] = req.params?.requiredProperties ?? [];
    const prefix = req.instancePath ? `${fieldName(req.instancePath)}.` : '';
    return `${prefix}${missing[0]}: is required`;
  }
  const first = list.find((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf') ?? list[0];
  if (!first) return `${where ?? 'body'}: is invalid`;
  const custom = customMessage(schema, first.schemaPath);
  return `${fieldName(first.instancePath, where)}: ${custom ?? first.message}`;
}

/** The nearest `x-error` from the failing sub-schema up to the property it belongs to (unions included). */
function customMessage(schema: any, schemaPath: string): string | undefined {
  const parts = String(schemaPath).replace(/^#\/?/, '').split('/').filter(Boolean);
  for (let i = parts.length; i >= 0; i--) {
    const node = pointer(schema, '#/' + parts.slice(0, i).join('/'));
    if (node && typeof node['x-error'] === 'string') return node['x-error'];
    if (parts[i - 2] === 'properties' || parts[i - 1] === 'items') break;
  }
  return undefined;
}

function pointer(schema: any, path: string): any {
  let node = schema;
  for (const part of String(path).replace(/^#\/?/, '').split('/').filter(Boolean)) {
    if (node == null) return undefined;
    node = node[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))];
  }
  return node;
}

/**
 * Compile a schema once, on first use. `convert` coerces strings (query and path params) to the schema's types.
 * Custom messages: put `'x-error': 'must be …'` on any sub-schema.
 */
export function compileValidator<T = unknown>(
  input: TSchema,
  opts: { convert?: boolean; where?: string } = {},
): Validator<T> {
  const schema = closeObjects(input) as TSchema;
  // Compiled on first use: a panel registers hundreds of routes and most are never called early.
  let compiled: { check: ReturnType<typeof Compile<TSchema>>; hasDefaults: boolean } | null = null;
  return {
    schema,
    parse(value: unknown, where = opts.where): T {
      const { check, hasDefaults } = (compiled ??= {
        check: Compile(schema),
        hasDefaults: JSON.stringify(schema).includes('"default"'),
      });
      // Fast path: already valid and nothing to fill in.
      if (!hasDefaults && check.Check(value)) return value as T;
      let v = opts.convert ? convertFlat(schema, value) : value;
      if (hasDefaults) v = Value.Default(schema, v === value ? Value.Clone(v) : v);
      if (check.Check(v)) return v as T;
      const list = [...check.Errors(v)];
      throw errors.validation(describeError(schema, v, list, where), { field: list[0]?.instancePath ?? '' });
    },
  };
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** Query and path values arrive as strings: coerce them to the property's declared type. */
function convertFlat(schema: any, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !schema.properties)
    return Value.Convert(schema, Value.Clone(value));
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(value as Record<string, unknown>)) {
    const type = schema.properties[k]?.type;
    if (typeof raw === 'string' && (type === 'integer' || type === 'number') && NUMERIC.test(raw)) out[k] = Number(raw);
    else if (typeof raw === 'string' && type === 'boolean' && (raw === 'true' || raw === 'false'))
      out[k] = raw === 'true';
    else out[k] = raw;
  }
  return out;
}
