// Bundles the rider's web client (web/) into dist/web: index.html, and assets named by content
// hash so the server may cache them for a year. esbuild only strips the types; `npm run
// typecheck` (and `npm test`) type-check web/ with its own tsconfig.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { build } from 'esbuild';

const hashed = (file, content) => `${basename(file, extname(file))}-${createHash('sha256').update(content).digest('base64url').slice(0, 10)}${extname(file)}`;

export async function buildWebClient({ source = 'web', output = 'dist/web' } = {}) {
  const assets = join(output, 'assets');
  const result = await build({
    entryPoints: [join(source, 'src/main.ts'), join(source, 'styles.css')],
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    entryNames: '[name]-[hash]',
    outdir: assets,
    metafile: true,
    logLevel: 'warning',
  });
  const names = {};
  for (const [file, { entryPoint }] of Object.entries(result.metafile.outputs)) {
    if (entryPoint) names[basename(entryPoint)] = `/assets/${relative(assets, file)}`;
  }
  const icon = readFileSync(join(source, 'icon.svg'));
  names['icon.svg'] = `/assets/${hashed('icon.svg', icon)}`;
  mkdirSync(assets, { recursive: true });
  writeFileSync(join(output, names['icon.svg']), icon);
  const page = readFileSync(join(source, 'index.html'), 'utf8').replace(/\{\{([\w.]+)\}\}/g, (_, name) => {
    if (!names[name]) throw new Error(`web/index.html names ${name}, which the build does not produce`);
    return names[name];
  });
  writeFileSync(join(output, 'index.html'), page);
  return names;
}
