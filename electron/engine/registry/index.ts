// The preflight image check (Docker Registry HTTP API v2, anonymous): see client.ts.
export { checkImage, checkImages, type CheckOptions, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, retryAfterSeconds } from './client.js';
export { type Challenge, parseWwwAuthenticate } from './challenge.js';
export type { FetchFn } from './http.js';
export { mirrorFromEnv, parseMirror, REGISTRY_MIRROR_ENV, RegistryMirrorError } from './mirror.js';
