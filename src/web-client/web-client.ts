import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` writes the rider's web client (web/ bundled by esbuild): dist/web of the project. */
export function webClientDirectory(): string {
  // This file runs from src/ (tests) and from dist/src/ (the built app): the project root is
  // the nearest folder with package.json either way.
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return join(folder, 'dist', 'web');
}

/**
 * Only what the page loads: its own script, style sheet and icon, and its API and socket on
 * this origin (`connect-src 'self'` covers the same-origin WebSocket in CSP Level 3). No inline
 * script or style, no other origin, no frames, no plugins.
 */
export const WEB_CLIENT_CSP = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Serves the web client: the page at `/` (revalidated on every load, so a new build is seen at
 * once) and its assets at `/assets/<name>-<content hash>.<ext>` (cached for a year: a changed
 * file gets a new name). Registered as two routes, not as static middleware in front of every
 * request, so API requests never touch the file system and metrics label these routes by
 * pattern. Anything else stays a 404 problem. Without a build (`npm run build` not run) the
 * page is not served, and a warning says so.
 */
export function serveWebClient(app: NestExpressApplication, directory = webClientDirectory()): void {
  const page = join(directory, 'index.html');
  if (!existsSync(page)) {
    Logger.warn(`The web client is not built (no ${page}): run npm run build to serve it at /`, 'WebClient');
    return;
  }
  const policy = helmet.contentSecurityPolicy({ useDefaults: false, directives: WEB_CLIENT_CSP });
  const server = app.getHttpAdapter().getInstance() as Express;
  server.get('/', policy, (_request: Request, response: Response) => {
    response.sendFile(page, { headers: { 'Cache-Control': 'no-cache' }, lastModified: true });
  });
  server.get('/assets/:file', policy, (request: Request, response: Response, next: NextFunction) => {
    // send's `root` refuses paths outside the folder; a file that is not there falls through to the 404 problem.
    response.sendFile(request.params.file as string, { root: join(directory, 'assets'), dotfiles: 'deny', immutable: true, maxAge: '365d' }, (error) => {
      if (error && !response.headersSent) next();
    });
  });
}
