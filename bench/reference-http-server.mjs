// The references for the live status benchmark, each in a process of its own like the app.
// All read the same Redis key as the app's cache hit and send the same JSON:
//   bare     node:http: the practical limit of Node + Redis here (the reference);
//   express  plain Express 5 with one route: the HTTP framework the app runs on;
//   nest     NestJS on Express with one controller and nothing else: the framework floor;
//   nest-fastify  the same controller on @nestjs/platform-fastify: what changing the HTTP
//            adapter (the app runs on platform-express, the stack chosen for it) would buy.
// Together they show where the time between bare and the app goes.
// Usage: node bench/reference-http-server.mjs bare|express|nest|nest-fastify  (env REDIS_URL, KEY, BODY_FILE)
// Over IPC: stats {gc} (CPU time, as bench/instance.mjs), profileStart, profileStop {file} (bench/cpu-profile.mjs).
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { profilerHandlers, serve, usage } from './children.mjs';

const mode = process.argv[2];
const redis = new Redis(process.env.REDIS_URL);
const key = process.env.KEY;
const body = readFileSync(process.env.BODY_FILE, 'utf8');
const ready = (port) => process.send?.({ type: 'ready', port });
serve({ stats: ({ gc }) => usage({ gc }), ...(await profilerHandlers()) }); // exits when the parent says close, or goes away

if (mode === 'bare') {
  const server = createServer(async (_request, response) => {
    await redis.get(key);
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
  });
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
} else if (mode === 'express') {
  const app = express();
  app.get('/api/v1/trains/:number/status', async (_request, response) => {
    await redis.get(key);
    response.type('json').send(body);
  });
  const server = app.listen(0, '127.0.0.1', () => ready(server.address().port));
} else {
  const status = JSON.parse(body);
  // Decorators applied by hand: this file is plain JavaScript.
  class StatusController {
    async status() {
      await redis.get(key);
      return status;
    }
  }
  Reflect.decorate([Get(':number/status')], StatusController.prototype, 'status', Object.getOwnPropertyDescriptor(StatusController.prototype, 'status'));
  Reflect.decorate([Controller('api/v1/trains')], StatusController);
  class ReferenceModule {}
  Reflect.decorate([Module({ controllers: [StatusController] })], ReferenceModule);
  const app = mode === 'nest-fastify' ? await NestFactory.create(ReferenceModule, new FastifyAdapter(), { logger: false }) : await NestFactory.create(ReferenceModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  ready(app.getHttpServer().address().port);
}
