// Manage offers "stop the podman machine" only when the plan's own rule says one hosts the setup — the
// driver `auto` resolves with the host's runtimes, as the plan resolves it (it once treated every
// non-docker driver on a Mac as a machine, so a docker-only Mac was offered a machine it does not have).
import { describe, expect, it } from 'vitest';
import { hostsPodmanMachine } from './Manage.js';

const host = (os: 'darwin' | 'linux', docker: boolean, podman: boolean) => ({ facts: { os, docker: { installed: docker }, podman: { installed: podman } } }) as unknown as Parameters<typeof hostsPodmanMachine>[1];

describe('the podman machine on Manage', () => {
  it('follows the plan’s rule for driver auto with the host’s runtimes', () => {
    expect(hostsPodmanMachine({ driver: 'auto', podmanMachine: false }, host('darwin', true, false))).toBe(false);
    expect(hostsPodmanMachine({ driver: 'auto', podmanMachine: false }, host('darwin', true, true))).toBe(true);
    expect(hostsPodmanMachine({ driver: 'podman', podmanMachine: false }, host('linux', false, true))).toBe(false);
    expect(hostsPodmanMachine({ driver: 'podman', podmanMachine: true }, host('linux', false, true))).toBe(true);
    expect(hostsPodmanMachine({ driver: 'docker', podmanMachine: true }, host('darwin', true, true))).toBe(false);
  });

  it('offers nothing until the settings and the host are known', () => {
    expect(hostsPodmanMachine(undefined, host('darwin', false, true))).toBe(false);
    expect(hostsPodmanMachine({ driver: 'podman', podmanMachine: false }, undefined)).toBe(false);
  });
});
