// Bundles libraries that ship as hundreds of small ES modules (typebox: ~700 files) into a few
// files under dist/vendor/, and points the compiled imports at them. Loading them module by
// module costs most of the panel's cold start; the bundle loads ~10× faster. Without rolldown
// (a production install without dev dependencies) the step is skipped and node_modules is used.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const VENDORED = { typebox: 'index', 'typebox/compile': 'compile', 'typebox/value': 'value' };

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'vendor') return [];
    return statSync(p).isDirectory() ? jsFiles(p) : name.endsWith('.js') ? [p] : [];
  });
}

export async function vendor(root) {
  let build;
  try {
    ({ build } = await import('rolldown'));
  } catch {
    return false;
  }
  const outDir = path.join(root, 'dist/vendor/typebox');
  const input = Object.fromEntries(Object.entries(VENDORED).map(([spec, name]) => [name, spec]));
  await build({
    cwd: root,
    input,
    platform: 'node',
    logLevel: 'silent',
    output: { dir: outDir, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
  });
  const pattern = /(from\s*|import\s*\(\s*)(['"])(typebox(?:\/compile|\/value)?)\2/g;
  for (const file of jsFiles(path.join(root, 'dist'))) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('typebox')) continue;
    const rel = path.relative(path.dirname(file), outDir).split(path.sep).join('/');
    const next = text.replace(
      pattern,
      (_, head, q, spec) => `${head}${q}${rel.startsWith('.') ? rel : './' + rel}/${VENDORED[spec]}.mjs${q}`,
    );
    if (next !== text) writeFileSync(file, next);
  }
  return true;
}
