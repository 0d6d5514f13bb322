// Dev entry: `tsx sim/apiserver/dev-main.ts [port] [kubeconfig path] [state dir]` starts an API server with
// a fresh store and writes a kubeconfig for it, for poking with kubectl.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { InMemoryStore } from './store.js';
import { startApiServer } from './server.js';
import { kubeconfigFor } from './kubeconfig.js';

const port = Number(process.argv[2] ?? 0);
const kubeconfig = process.argv[3] ?? join(tmpdir(), 'sim-kubeconfig');
const stateDir = process.argv[4] ?? join(tmpdir(), 'sim-state');
const store = new InMemoryStore();
const server = await startApiServer({ store, stateDir, profile: 'minikube', port });
mkdirSync(dirname(kubeconfig), { recursive: true });
writeFileSync(kubeconfig, kubeconfigFor(server.url));
process.stdout.write(`API server on ${server.url}; kubeconfig ${kubeconfig}\n`);
const shutdown = (): void => {
  store.close();
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
