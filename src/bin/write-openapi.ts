import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module.js';
import { configureApp } from '../app.setup.js';
import { buildOpenApiDocument } from '../openapi.js';

/** `npm run openapi`: writes the committed openapi.json (a test fails when it is stale). */
async function main() {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  writeFileSync('openapi.json', `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
  console.log('Wrote openapi.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
