import { describe, expect, it } from 'vitest';
import { appPaths, defaultDataDir } from './paths.js';

describe('app data dir', () => {
  it('honours LLMD_INSTALLER_HOME on every platform', () => {
    expect(defaultDataDir({ LLMD_INSTALLER_HOME: '/tmp/x' }, 'darwin', '/Users/a')).toBe('/tmp/x');
    expect(defaultDataDir({ LLMD_INSTALLER_HOME: '/tmp/y' }, 'linux', '/home/a')).toBe('/tmp/y');
  });
  it('uses Application Support on macOS', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/llm-d Installer');
  });
  it('uses the XDG data home on Linux, falling back to ~/.local/share', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/a')).toBe('/xdg/llm-d-installer');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/a')).toBe('/home/a/.local/share/llm-d-installer');
    expect(defaultDataDir({}, 'linux', '/home/a')).toBe('/home/a/.local/share/llm-d-installer');
  });
  it('keeps every file under the data dir', () => {
    const p = appPaths('/d');
    for (const v of Object.values(p)) expect(v.startsWith('/d')).toBe(true);
  });
});
