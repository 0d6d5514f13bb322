// The app's own application menu (issue #14). Without one, Electron installs its default menu, whose
// View menu carries "Toggle Developer Tools" (and its Ctrl/Cmd+Alt+I accelerator) in production builds
// too: DevTools would give anyone at the keyboard a console inside the privileged app page. Standard
// roles only; DevTools and reload exist in development builds alone.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** An unpackaged (development) build: DevTools and reload are offered. */
  development: boolean;
}

export function appMenuTemplate({ platform, development }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  // Not role 'viewMenu': Electron fills that one with toggleDevTools, whatever the build.
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(development
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] satisfies MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    // Cut/copy/paste and their shortcuts in the settings forms and the chat box.
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ];
}
