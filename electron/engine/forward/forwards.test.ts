// The detached forwarder: outlives its caller, is found again by status, restarted when it died, and
// stopped by down — against the simulated API server and a pod whose port is a local echo server.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { InMemoryStore } from '../../../sim/apiserver/store.js';
import { startApiServer, type ApiServer } from '../../../sim/apiserver/server.js';
import { SIM_PORTS_ANNOTATION } from '../../../sim/apiserver/types.js';
import { ensureForward, forwardStatus, listForwards, stopAllForwards, stopForward, type ForwardSpec } from './forwards.js';

let dir: string;
let server: ApiServer;
let echo: net.Server;
let env: NodeJS.ProcessEnv;
const NS = 'llm-d-cpu-inference';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwd-test-'));
  const store = new InMemoryStore();
  server = await startApiServer({ store, stateDir: dir, profile: 'p' });
  echo = net.createServer((s) => s.on('data', (d) => s.write(`echo:${d.toString()}`)));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  store.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  store.create({ group: '', version: 'v1', resource: 'services' }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace: NS }, spec: { selector: { app: 'gw' }, ports: [{ port: 80, targetPort: 8080 }] } });
  store.create({ group: '', version: 'v1', resource: 'pods' }, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'gw-1', namespace: NS, labels: { app: 'gw' }, annotations: { [SIM_PORTS_ANNOTATION]: JSON.stringify({ '8080': (echo.address() as net.AddressInfo).port }) } },
    spec: { containers: [{ name: 'c' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] },
  });
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, YAML.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'p',
    clusters: [{ name: 'p', cluster: { server: server.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'p', user: {} }], contexts: [{ name: 'p', context: { cluster: 'p', user: 'p' } }],
  }));
  env = { ...process.env, KUBECONFIG: file };
});
afterAll(async () => {
  await stopAllForwards(path.join(dir, 'run'));
  await server.close();
  echo.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
/** The forward admits HTTP only with a loopback Host (DNS rebinding), so the probe is a request head. */
const head = (port: number, msg: string) => `GET /${msg} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
const roundTrip = (port: number, msg: string) => new Promise<string>((resolve, reject) => {
  const c = net.connect(port, '127.0.0.1', () => c.write(head(port, msg)));
  c.once('data', (d) => { resolve(d.toString()); c.destroy(); });
  c.once('error', reject);
  setTimeout(() => reject(new Error('no answer')), 5000).unref();
});

describe('detached port-forwards', () => {
  const spec: ForwardSpec = { name: 'gateway', context: 'p', namespace: NS, service: 'gw', servicePort: 80, preferredPort: 8000 };
  it('starts a forwarder that carries bytes, is found again, restarted after dying, and stopped', async () => {
    const runDir = path.join(dir, 'run');
    const first = await ensureForward(spec, { runDir, env });
    expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
    expect(first.pid).not.toBe(process.pid);
    expect(await roundTrip(first.port, 'ping')).toBe(`echo:${head(first.port, 'ping')}`);

    // Asking again reuses the live one.
    expect((await ensureForward(spec, { runDir, env })).pid).toBe(first.pid);
    expect((await listForwards(runDir)).map((f) => [f.name, f.alive])).toEqual([['gateway', true]]);

    // A forwarder that died is reported dead and replaced.
    process.kill(first.pid, 'SIGKILL');
    await expect.poll(() => alive(first.pid)).toBe(false);
    expect((await forwardStatus(runDir, 'gateway'))?.alive).toBe(false);
    const second = await ensureForward(spec, { runDir, env });
    expect(second.pid).not.toBe(first.pid);
    expect(await roundTrip(second.port, 'again')).toBe(`echo:${head(second.port, 'again')}`);

    // down stops it and leaves no process.
    expect(await stopForward(runDir, 'gateway')).toBe(true);
    expect(alive(second.pid)).toBe(false);
    expect(await listForwards(runDir)).toEqual([]);
  });

  it('takes another port when the preferred one is busy', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const taken = (busy.address() as net.AddressInfo).port;
    try {
      const runDir = path.join(dir, 'run');
      const f = await ensureForward({ ...spec, name: 'busy', preferredPort: taken }, { runDir, env });
      expect(f.port).not.toBe(taken);
      await stopForward(runDir, 'busy');
    } finally {
      busy.close();
    }
  });

  it('reports a forwarder that cannot start, with its reason', async () => {
    const runDir = path.join(dir, 'run-bad');
    await expect(ensureForward({ ...spec, name: 'bad', context: 'missing' }, { runDir, env, startTimeoutMs: 8000 })).rejects.toMatchObject({ code: 'KUBE', message: expect.stringMatching(/did not start.*no context named "missing"/) });
  });
});
