// Joins the compiled modules of each entry point (the kernel, the CLI, the SDK, every plugin) into
// a few files, in place under dist/: the entry files keep their paths and import shared code from
// dist/chunks/. Node's ES module loader costs about a millisecond per module on these machines and
// the panel is ~250 of them, most of its cold start. The modules left beside the entries are not
// loaded by the panel; code that imports one of them directly gets its own copy.
// Without rolldown (a production install without dev dependencies) the step is skipped.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Files that are loaded by path, so their path and their exports must stay. */
function entries(dist) {
  const fixed = [
    'core/main',
    'core/panel',
    'cli/main',
    'sdk/index',
    'sdk/testing/index',
    'sdk/testing/harness',
    'plugins/files/agent/main',
  ];
  const plugins = readdirSync(path.join(dist, 'plugins'))
    .filter((name) => existsSync(path.join(dist, 'plugins', name, 'index.js')))
    .map((name) => `plugins/${name}/index`);
  return Object.fromEntries(
    [...fixed, ...plugins]
      .filter((e) => existsSync(path.join(dist, `${e}.js`)))
      .map((e) => [e, path.join(dist, `${e}.js`)]),
  );
}

export async function pack(root) {
  let build;
  try {
    ({ build } = await import('rolldown'));
  } catch {
    return false;
  }
  const dist = path.join(root, 'dist');
  const chunks = path.join(dist, 'chunks');
  rmSync(chunks, { recursive: true, force: true });
  await build({
    cwd: root,
    input: entries(dist),
    platform: 'node',
    logLevel: 'warn',
    // Packages stay in node_modules (native addons, lazy imports); only our modules are joined.
    external: (id) => !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('\0'),
    output: {
      dir: dist,
      format: 'esm',
      keepNames: true,
      minify: false,
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
    },
  });
  return true;
}
