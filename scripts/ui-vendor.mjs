// Bundles the UI's vendor entries (plugins/ui/client/vendor/*.ts: the code editor) into single
// ES modules beside the compiled client, replacing tsc's output of the same name, whose bare
// package imports a browser cannot load. The shell never imports them; pages load them lazily.
// Run after tsc: `node scripts/ui-vendor.mjs <client out dir>` (tests compile into temp dirs).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function uiVendor(clientOutDir = path.join(root, 'dist/plugins/ui/client')) {
  let build;
  try {
    ({ build } = await import('rolldown'));
  } catch {
    return false;
  }
  const src = path.join(root, 'plugins/ui/client/vendor');
  const input = Object.fromEntries(readdirSync(src).filter((n) => n.endsWith('.ts')).map((n) => [n.slice(0, -3), path.join(src, n)]));
  await build({
    cwd: root, input, platform: 'browser', logLevel: 'warn',
    output: { dir: path.join(clientOutDir, 'vendor'), format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minify: true },
  });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await uiVendor(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
