// Module hooks for running the agent from TypeScript sources (tests, development). A built panel
// runs dist/…/agent/main.js and never loads this file.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/utils';

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const out = transformSync(file, readFileSync(file, 'utf8'), { lang: 'ts' });
  if (out.errors?.length) throw new Error(`${file}: ${out.errors.map((e) => e.message).join('; ')}`);
  return { format: 'module', source: out.code, shortCircuit: true };
}
