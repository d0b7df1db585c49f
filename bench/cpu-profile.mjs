// What each piece of a request path costs (issue #16 part 1), from a CPU profile of a window of
// load (bench/children.mjs profilerHandlers). Each sample is charged to the nearest frame on its
// stack that belongs to a piece: helmet's middleware and the Node header code it calls count as
// helmet, JSON.stringify under Express's res.json counts as Express, and so on. Samples with no
// such frame (parsing requests, writing to sockets) are Node's HTTP; the idle time is left out.
import { readFileSync } from 'node:fs';
import { round } from './stats.mjs';

/** [piece, test of a frame's script URL]; the first that matches names the piece. */
const PIECES = [
  ['helmet', /\/node_modules\/helmet\//],
  ['CORS', /\/node_modules\/(cors|vary|object-assign)\//],
  ['request log (pino)', /\/dist\/src\/common\/logging\/|\/node_modules\/pino/],
  ['metrics (prom-client)', /\/dist\/src\/common\/observability\/|\/node_modules\/prom-client\//],
  ['load shedding', /\/dist\/src\/common\/overload\//],
  ['shutdown drain (HttpDrain)', /\/dist\/src\/http-drain\.js/],
  ['body parser', /\/node_modules\/(body-parser|raw-body|type-is|content-type|bytes|media-typer)\//],
  ['validation pipe', /\/dist\/src\/common\/validation\/|\/node_modules\/class-(validator|transformer)\/|\/@nestjs\/(common|core)\/pipes\//],
  ['guards (auth, roles)', /\/dist\/src\/auth\/|\/node_modules\/@nestjs\/passport\/|\/@nestjs\/core\/guards\//],
  ['Redis read (client, cache)', /\/node_modules\/(@redis|ioredis|keyv|@keyv|cache-manager|cacheable|redis-parser|denque)\/|\/dist\/src\/common\/cache\/|\/dist\/src\/live\/run-state/],
  ['live status (run, view, ETag, body)', /\/dist\/src\/(live|routes|trains)\//],
  ['handler (reference)', /\/bench\/reference-http-server\.mjs/],
  ['Nest (routing, context, reply)', /\/node_modules\/(@nestjs|reflect-metadata|rxjs)\//],
  ['Express (router, req/res, send)', /\/node_modules\/(express|router|finalhandler|parseurl|on-finished|send|etag|fresh|path-to-regexp|encodeurl|escape-html|mime|mime-types|accepts|negotiator|proxy-addr|forwarded|ipaddr\.js|qs|statuses|range-parser|depd|setprototypeof|http-errors|content-disposition|cookie|cookie-signature|utils-merge|merge-descriptors|methods|safe-buffer|debug|ms)\//],
  ['ticks and sockets (tracking)', /\/dist\/src\/tracking\/|\/node_modules\/(socket\.io|engine\.io|ws|@socket\.io)/],
];
const OTHER = 'other (app, libraries)';
const NODE_HTTP = 'Node HTTP, sockets, microtasks';

/**
 * @param {string} file a .cpuprofile
 * @param {number} requests served while it was taken
 * @returns {{ busy_ms: number, us_per_request: number, pieces: Record<string, { pct: number, us_per_request: number }> }}
 */
export function requestCostByPiece(file, requests) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const pieceOf = new Map();
  const classify = (id) => {
    if (pieceOf.has(id)) return pieceOf.get(id);
    const { callFrame } = nodes.get(id);
    let piece;
    if (callFrame.functionName === '(garbage collector)') piece = 'garbage collection';
    else if (callFrame.functionName === '(idle)') piece = null;
    else {
      const url = callFrame.url;
      const owned = url && !url.startsWith('node:') ? (PIECES.find(([, test]) => test.test(url))?.[0] ?? OTHER) : undefined;
      const parent = parents.get(id);
      piece = owned ?? (parent === undefined ? NODE_HTTP : classify(parent));
    }
    pieceOf.set(id, piece);
    return piece;
  };
  const micros = new Map();
  profile.samples.forEach((id, index) => {
    // The first delta runs from Profiler.start (its own call included) to the first sample.
    if (index === 0) return;
    const piece = classify(id);
    if (piece) micros.set(piece, (micros.get(piece) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const busy = [...micros.values()].reduce((sum, value) => sum + value, 0);
  const pieces = Object.fromEntries(
    [...micros]
      .sort((a, b) => b[1] - a[1])
      .map(([piece, value]) => [piece, { pct: round((value / busy) * 100), us_per_request: round(value / requests, 1) }]),
  );
  return { busy_ms: Math.round(busy / 1000), us_per_request: round(busy / requests, 1), pieces };
}
