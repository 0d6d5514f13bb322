// The detached forwarder process: keeps a port-forward alive after the window or command that started it
// has gone, like the guide's background `kubectl port-forward … &` — but resolving the pod per connection.
// Started by forwards.ts; records itself in a state file and removes it when told to stop, and keeps its
// own process record (forwarder-records.ts) from its first moment to its exit so teardown always finds it.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadClusterConfig } from '../kube/kubeconfig.js';
import { startForwardServer } from './forward-server.js';
import { writeForwardState, type ForwardState } from './forward-state.js';
import { forgetForwarder, recordForwarder } from './forwarder-records.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string' },
      service: { type: 'string' },
      'service-port': { type: 'string' },
      'local-port': { type: 'string' },
      'state-file': { type: 'string' },
      'log-file': { type: 'string' },
      'record-dir': { type: 'string' },
    },
    strict: true,
  });
  const need = (k: keyof typeof values): string => {
    const v = values[k];
    if (!v) throw new Error(`missing --${k}`);
    return v;
  };
  const recordDir = values['record-dir'];
  if (recordDir) {
    // First, before anything can fail: the starter may have died before it could record this process.
    await recordForwarder(recordDir, process.pid, need('name'));
    process.on('exit', () => forgetForwarder(recordDir, process.pid));
  }
  const stateFile = need('state-file');
  const logFile = values['log-file'];
  const log = (line: string): void => {
    if (logFile) fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  };
  const localPort = Number(need('local-port'));
  let server: Awaited<ReturnType<typeof startForwardServer>>;
  try {
    const kc = loadClusterConfig({ context: need('context') });
    server = await startForwardServer({
      kc,
      namespace: need('namespace'),
      service: need('service'),
      servicePort: Number(need('service-port')),
      localPort,
      log,
    });
  } catch (e) {
    // The parent reads the log's last lines into its error: this is how it learns why (e.g. no context).
    log(`could not start: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  const state: ForwardState = {
    name: need('name'),
    pid: process.pid,
    port: localPort,
    url: `http://127.0.0.1:${localPort}`,
    context: need('context'),
    namespace: need('namespace'),
    service: need('service'),
    servicePort: Number(need('service-port')),
    startedAt: new Date().toISOString(),
  };
  writeForwardState(stateFile, state);
  log(`forwarding ${state.url} → svc/${state.service}:${state.servicePort} in ${state.namespace}`);
  const stop = (): void => {
    server.close();
    try {
      const current = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { pid?: number };
      if (current.pid === process.pid) fs.rmSync(stateFile, { force: true });
    } catch {
      // already gone
    }
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`forwarder: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
