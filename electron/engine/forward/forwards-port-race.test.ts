// A forwarder whose port is taken between choosing it and listening on it (another forwarder — two installs
// on one machine, or two test files at once — or any program can bind it in that moment) is started again
// on a port chosen again, instead of failing the access step; any other failure is not retried.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeForwardState } from './forward-state.js';
import { ensureForward, type ForwardSpec, type ForwarderLauncher } from './forwards.js';

const dirs: string[] = [];
const children: number[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  for (const pid of children.splice(0)) { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
});

const spec = (): ForwardSpec => ({ name: 'gateway', context: 'p', namespace: 'ns', service: 'gw', servicePort: 80, preferredPort: 20000 + Math.floor(Math.random() * 20000) });
const arg = (args: string[], flag: string): string => args[args.indexOf(flag) + 1]!;

/** A fake forwarder: the first `failures` starts log `message` (with their port) and exit; later ones listen. */
function launcherFailing(failures: number, message: (port: number) => string): { launcher: ForwarderLauncher; ports: number[] } {
  const ports: number[] = [];
  const launcher: ForwarderLauncher = (args) => {
    const port = Number(arg(args, '--local-port'));
    ports.push(port);
    if (ports.length <= failures) {
      fs.appendFileSync(arg(args, '--log-file'), `${new Date().toISOString()} ${message(port)}\n`);
      const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      return child.pid!;
    }
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    children.push(child.pid!);
    setTimeout(() => writeForwardState(arg(args, '--state-file'), { ...spec(), pid: child.pid!, port, url: `http://127.0.0.1:${port}`, startedAt: new Date().toISOString() }), 50);
    return child.pid!;
  };
  return { launcher, ports };
}

const runDir = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fwd-race-')); dirs.push(d); return d; };

describe('a forward whose port is lost to someone else', () => {
  it('starts the forwarder again on a port chosen again', async () => {
    const { launcher, ports } = launcherFailing(1, (p) => `could not start: listen EADDRINUSE: address already in use 127.0.0.1:${p}`);
    const state = await ensureForward(spec(), { runDir: runDir(), env: {}, launcher });
    expect(ports).toHaveLength(2);
    expect(state.port).toBe(ports[1]);
  });

  it('gives up after three tries, saying why', async () => {
    const { launcher, ports } = launcherFailing(5, (p) => `could not start: listen EADDRINUSE: address already in use 127.0.0.1:${p}`);
    await expect(ensureForward(spec(), { runDir: runDir(), env: {}, launcher })).rejects.toMatchObject({ code: 'KUBE', message: expect.stringContaining('EADDRINUSE') });
    expect(ports).toHaveLength(3);
  });

  it('does not retry a failure that is not about the port', async () => {
    const { launcher, ports } = launcherFailing(5, () => 'could not start: context "p" does not exist');
    await expect(ensureForward(spec(), { runDir: runDir(), env: {}, launcher })).rejects.toMatchObject({ code: 'KUBE', message: expect.stringContaining('does not exist') });
    expect(ports).toHaveLength(1);
  });
});
