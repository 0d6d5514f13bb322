// `npm run web`: the browser host's entry point. Prints one line with the URL (and its token), serves
// until interrupted. Flags: --port N (default: a free port).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEngine, isRehearsal } from '../engine/api.js';
import { defaultDataDir } from '../engine/paths.js';
import { startWebHost, urlLine } from './server.js';

export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0..65535, got ${JSON.stringify(value)}`);
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: true });
  const port = parsePort(values.port);
  // Bundled to out/web/web.js; the renderer is built next to it in out/renderer.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = path.resolve(here, '..', 'renderer');
  const engine = createEngine({ dataDir: defaultDataDir(), transport: 'web', rehearsal: isRehearsal(process.env) });
  const host = await startWebHost({ port, rendererDir, engine, log: (line) => console.error(line) });
  console.log(urlLine(host.url));

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void Promise.allSettled([host.close(), engine.dispose()]).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

// Only run when executed, not when a test imports parsePort.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(`llm-d Installer web host failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
