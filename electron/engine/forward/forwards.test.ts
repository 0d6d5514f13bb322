// The detached forwarder: outlives its caller, is found again by status, restarted when it died, and
// stopped by down — against the simulated API server and a pod whose port is a local echo server.
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORWARD_NS, startForwardWorld, type ForwardWorld } from './forward-world.testkit.js';
import { ensureForward, forwardStatus, listForwards, stopAllForwards, stopForward, type ForwardSpec } from './forwards.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const NS = FORWARD_NS;

let world: ForwardWorld;
beforeAll(async () => {
  world = await startForwardWorld('fwd-test-');
  ({ dir, env } = world);
});
afterAll(async () => {
  await stopAllForwards(path.join(dir, 'run'));
  await world.close();
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
