// zod probes for eval (`new Function('')`) the first time it parses, to compile fast parsers; the page's CSP
// (script-src 'self') forbids eval, so the probe is reported as a script-src violation. zod reads its global
// config from globalThis.__zod_globalConfig (renderer/src/zod-jitless.test.ts checks the installed zod still
// does). A classic script runs before every module script, so `jitless` is set before any chunk evaluates,
// whatever order the bundler gives the chunks — an import first in main.tsx is not enough: a chunk main.tsx
// imports is evaluated before main.tsx's own code (e2e/web/console-guard.spec.ts caught exactly that).
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
