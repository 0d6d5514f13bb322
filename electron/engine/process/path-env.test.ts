import { describe, expect, it } from 'vitest';
import { toolEnv, toolPath } from './path-env.js';

describe('tool PATH', () => {
  it('on macOS puts the app bin dir first and adds Homebrew, /usr/local/bin and podman\'s /opt/podman/bin, which GUI apps lack', () => {
    expect(toolPath('/usr/bin:/bin', '/app/bin', 'darwin')).toBe('/app/bin:/usr/bin:/bin:/opt/homebrew/bin:/usr/local/bin:/opt/podman/bin');
  });

  it('on Linux only puts the app bin dir first', () => {
    expect(toolPath('/usr/bin:/bin', '/app/bin', 'linux')).toBe('/app/bin:/usr/bin:/bin');
  });

  it('does not repeat a directory already on PATH', () => {
    expect(toolPath('/usr/local/bin:/usr/bin', '/app/bin', 'darwin')).toBe('/app/bin:/usr/local/bin:/usr/bin:/opt/homebrew/bin:/opt/podman/bin');
  });

  it('keeps the rest of the environment', () => {
    expect(toolEnv({ HOME: '/h', PATH: '/x' }, '/b', 'linux')).toEqual({ HOME: '/h', PATH: '/b:/x' });
  });
});
