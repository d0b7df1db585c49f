// The web client's API types, generated from the committed openapi.json with openapi-typescript.
// `npm run openapi` writes them (after openapi.json); web/src/api/openapi-types.spec.ts fails
// when the committed file is not what this generates.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

export const OPENAPI_DOCUMENT = fileURLToPath(new URL('../openapi.json', import.meta.url));
export const WEB_API_TYPES = fileURLToPath(new URL('../web/src/api/openapi.d.ts', import.meta.url));

/** The TypeScript declarations of an OpenAPI document (the text openapi-typescript's CLI writes). */
export async function webApiTypes(document = JSON.parse(readFileSync(OPENAPI_DOCUMENT, 'utf8'))) {
  return COMMENT_HEADER + astToString(await openapiTS(document));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(WEB_API_TYPES, await webApiTypes());
  console.log(`Wrote ${WEB_API_TYPES}`);
}
