// The loopback registry as a process, for e2e and demo hosts: `tsx sim/registry/main.ts [--port N]` reads
// the scenario (LLMD_SIM_SCENARIO) and the node architecture (LLMD_SIM_ARCH), prints
// `{"url":"http://127.0.0.1:N","pid":…}` as one line once it listens, and runs until SIGTERM or SIGINT.
// Point the engine at it with LLMD_REGISTRY_MIRROR=<url>.
import { parseArgs } from 'node:util';
import { loadScenario } from '../scenario.js';
import { simNodeArch } from './arch.js';
import { startRegistry } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`sim registry: --port must be 0-65535, got "${values.port ?? ''}"\n`);
  process.exit(2);
}
const registry = await startRegistry({ scenario: loadScenario(), port, arch: simNodeArch() });
process.stdout.write(`${JSON.stringify({ url: registry.url, pid: process.pid })}\n`);
const stop = () => { void registry.close().then(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
