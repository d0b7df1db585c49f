import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** `npm run openapi`: writes the committed openapi.json and asyncapi.json (a test fails when either is stale). */
async function main() {
  // Only the documents are wanted: no tracking ticks. Set before AppModule reads the environment.
  process.env.TRACKING_ENABLED = 'false';
  process.env.LOG_LEVEL = 'error';
  process.env.LOG_FORMAT = 'json';
  const { AppModule } = await import('../app.module.js');
  const { configureApp } = await import('../app.setup.js');
  const { buildOpenApiDocument } = await import('../openapi.js');
  const { buildAsyncApiDocument } = await import('../tracking/asyncapi.js');
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  const openApi = buildOpenApiDocument(app);
  writeFileSync('openapi.json', `${JSON.stringify(openApi, null, 2)}\n`);
  writeFileSync('asyncapi.json', `${JSON.stringify(buildAsyncApiDocument(openApi), null, 2)}\n`);
  await app.close();
  console.log('Wrote openapi.json and asyncapi.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
