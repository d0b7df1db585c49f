// `npm run build`: compiles src/ and migrations/ to dist/ with tsc, bundles the web client (web/) and copies the data files the
// app reads at run time (the demo catalog, and the Indian feed loaded into an empty database). Plain tsc rather than the Nest CLI: every
// @nestjs/schematics 12 (which @nestjs/cli 12 requires) declares Node 22, and the CLI's build is
// this and no more.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildWebClient } from './build-web.mjs';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
cpSync('src/database/seed/data', 'dist/src/database/seed/data', { recursive: true, filter: (path) => !path.includes('.') || path.endsWith('.json') });
cpSync('catalog/india/gtfs.zip', 'dist/catalog/india/gtfs.zip');
// The rider's web client, served at / (src/web-client/web-client.ts).
await buildWebClient();
