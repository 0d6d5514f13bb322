// A world for the forwarder tests: the simulated API server with one Service whose pod's port is a local
// echo server, and a kubeconfig naming it (context "p"). Real forwarder processes connect through it.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { InMemoryStore } from '../../../sim/apiserver/store.js';
import { startApiServer, type ApiServer } from '../../../sim/apiserver/server.js';
import { SIM_PORTS_ANNOTATION } from '../../../sim/apiserver/types.js';

export const FORWARD_NS = 'llm-d-cpu-inference';

export interface ForwardWorld {
  dir: string;
  server: ApiServer;
  echo: net.Server;
  /** process.env with KUBECONFIG pointing at the simulated API server. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startForwardWorld(prefix: string): Promise<ForwardWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const store = new InMemoryStore();
  const server = await startApiServer({ store, stateDir: dir, profile: 'p' });
  const echo = net.createServer((s) => s.on('data', (d) => s.write(`echo:${d.toString()}`)));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  store.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: FORWARD_NS } });
  store.create({ group: '', version: 'v1', resource: 'services' }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace: FORWARD_NS }, spec: { selector: { app: 'gw' }, ports: [{ port: 80, targetPort: 8080 }] } });
  store.create({ group: '', version: 'v1', resource: 'pods' }, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'gw-1', namespace: FORWARD_NS, labels: { app: 'gw' }, annotations: { [SIM_PORTS_ANNOTATION]: JSON.stringify({ '8080': (echo.address() as net.AddressInfo).port }) } },
    spec: { containers: [{ name: 'c' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] },
  });
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, YAML.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'p',
    clusters: [{ name: 'p', cluster: { server: server.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'p', user: {} }], contexts: [{ name: 'p', context: { cluster: 'p', user: 'p' } }],
  }));
  return {
    dir, server, echo, env: { ...process.env, KUBECONFIG: file },
    async close() {
      await server.close();
      echo.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
