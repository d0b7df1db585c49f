/** Declarations of web-api-types.mjs, for the test that imports it. */
export const OPENAPI_DOCUMENT: string;
export const WEB_API_TYPES: string;
export function webApiTypes(document?: object): Promise<string>;
