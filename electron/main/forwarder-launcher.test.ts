import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const forks: Array<{ script: string; args: string[]; opts: Record<string, unknown>; child: EventEmitter & { pid?: number } }> = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (script: string, args: string[], opts: Record<string, unknown>) => {
      const child = Object.assign(new EventEmitter(), { pid: undefined as number | undefined });
      forks.push({ script, args, opts, child });
      return child;
    },
  },
}));

const { utilityProcessLauncher } = await import('./forwarder-launcher.js');

describe('port-forward helpers in the desktop app', () => {
  beforeEach(() => { forks.length = 0; });

  it('forks the bundled forwarder as a utility process (not the Electron binary as node) and returns its pid', async () => {
    const pid = utilityProcessLauncher('/app/out')(['--name', 'gateway'], { KUBECONFIG: '/k' });
    const f = forks[0]!;
    expect(f.script).toBe('/app/out/forwarder/forwarder.js');
    expect(f.args).toEqual(['--name', 'gateway']);
    expect(f.opts).toMatchObject({ env: { KUBECONFIG: '/k' }, stdio: 'ignore' });
    f.child.pid = 4242;
    f.child.emit('spawn');
    await expect(pid).resolves.toBe(4242);
  });

  it('reports a helper that exits before it spawned', async () => {
    const pid = utilityProcessLauncher('/app/out')([], {});
    forks[0]!.child.emit('exit', 1);
    await expect(pid).rejects.toThrow(/exited with code 1/);
  });
});
