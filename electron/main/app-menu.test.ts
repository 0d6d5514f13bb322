import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate } from './app-menu.js';

/** Every role anywhere in the template, submenus included. */
function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

// Roles that open DevTools or ship their own DevTools entry (Electron's default viewMenu has one).
const DEVTOOLS = ['toggleDevTools', 'viewMenu', 'reload', 'forceReload'];

describe('application menu', () => {
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    it(`offers no DevTools in a production build on ${platform}`, () => {
      const found = roles(appMenuTemplate({ platform, development: false }));
      for (const role of DEVTOOLS) expect(found).not.toContain(role);
      // The standard roles are all there: edit (copy/paste in forms), window, quit, zoom.
      expect(found).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
      expect(found.some((r) => r === 'quit' || r === 'appMenu' || r === 'fileMenu')).toBe(true);
    });
  }

  it('offers DevTools and reload in a development build', () => {
    expect(roles(appMenuTemplate({ platform: 'linux', development: true }))).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
  });

  it('starts with the app menu on macOS only', () => {
    expect(appMenuTemplate({ platform: 'darwin', development: false })[0]?.role).toBe('appMenu');
    expect(appMenuTemplate({ platform: 'linux', development: false })[0]?.role).toBe('fileMenu');
  });
});
