// The Electron shell (docs/architecture.md §2, §5): one hardened window, the renderer on app://, the engine behind
// one validated IPC channel. Everything the product does lives in electron/engine; decisions that
// matter for security are pure functions in security.ts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell, type WebContents } from 'electron';
import { JournalView } from '../../shared/api/engine.js';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract.js';
import { createEngine, isRehearsal, type Engine } from '../engine/api.js';
import { defaultDataDir } from '../engine/paths.js';
import { setForwarderLauncher } from '../engine/forward/forwards.js';
import { appMenuTemplate } from './app-menu.js';
import { ipcInvokeHandler } from './ipc-dispatch.js';
import { utilityProcessLauncher } from './forwarder-launcher.js';
import { quitDecision } from './quit-guard.js';
import { saveFileChooser } from './save-dialog.js';
import { SafeStorageSecretStore } from './secret-store-safe-storage.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appRealFileFor,
  CSP,
  isAllowedNavigation,
  isSafeExternalUrl,
  MIME_TYPES,
} from './security.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Built layout: out/main/main.js, out/preload/preload.cjs, out/renderer/index.html.
const rendererDir = path.resolve(here, '..', 'renderer');
const preloadPath = path.resolve(here, '..', 'preload', 'preload.cjs');

// Must happen before `ready`.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

let mainWindow: BrowserWindow | undefined;
let engine: Engine | undefined;
// DevTools and reload only where nobody ships the build (see app-menu.ts).
const development = !app.isPackaged;

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    // Real paths: a symlink inside out/renderer must not serve a file from elsewhere.
    const file = await appRealFileFor(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': CSP,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The menu offers no DevTools in production; this also closes them if anything else opens them.
  if (!development) contents.on('devtools-opened', () => contents.closeDevTools());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function registerIpc(): void {
  const invoke = ipcInvokeHandler(() => engine?.dispatcher);
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, payload: unknown) =>
    invoke({ frameUrl: event.senderFrame?.url, fromMainWindow: event.sender === mainWindow?.webContents }, method, payload));
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 700,
    title: app.getName(),
    show: false,
    // Match the renderer's first paint (styles.css --bg) so the window does not flash.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0e1014' : '#f5f6f8',
    // Written out here, as a literal, so static analysis (electronegativity in scripts/security-gate.ts)
    // reads the real values; security-checklist.test.ts asserts them on the constructed window.
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click opens no window (new windows are denied anyway; this removes the event itself).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // Closing the last window quits (except on macOS): ask first while a run is active.
  mainWindow.on('close', (event) => {
    if (process.platform === 'darwin' || quitConfirmed) return;
    event.preventDefault();
    void requestQuit();
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
  void mainWindow.loadURL(APP_ENTRY_URL);
}

app.on('web-contents-created', (_event, contents) => lockDown(contents));

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.whenReady().then(async () => {
  // Deny every permission (camera, notifications, clipboard-read, …): the app needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // The HF token stays in this process, encrypted by the OS keychain through safeStorage (needs 'ready').
  const dataDir = defaultDataDir();
  const secrets = await SafeStorageSecretStore.open(dataDir);
  setForwarderLauncher(utilityProcessLauncher(path.resolve(here, '..')));
  const chooseSaveFile = saveFileChooser(
    { showSaveDialog: (w: BrowserWindow, o) => dialog.showSaveDialog(w, o), showSaveDialogWithoutWindow: (o) => dialog.showSaveDialog(o) },
    () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined),
    () => app.getPath('downloads'),
  );
  engine = createEngine({ dataDir, transport: 'electron', rehearsal: isRehearsal(process.env), secrets, chooseSaveFile });
  engine.events.subscribe((topic, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, topic, payload);
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, development })));
  serveRenderer();
  registerIpc();
  createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}).catch((e: unknown) => {
  console.error('llm-d Installer failed to start:', e);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let disposing = false;
let quitConfirmed = false;
let asking = false;

/** Quits, after asking when a run of this process would be stopped by it (quit-guard.ts). */
async function requestQuit(): Promise<void> {
  if (asking) return;
  asking = true;
  try {
    const read = engine ? await engine.dispatcher.dispatch('journal.get', {}) : undefined;
    const view = read?.ok ? JournalView.safeParse(read.value) : undefined;
    const decision = quitDecision(view?.success ? view.data : undefined, process.pid);
    if (decision.action === 'ask') {
      const { message, detail, buttons, defaultId, cancelId, quitButton } = decision.prompt;
      const options = { type: 'warning' as const, message, detail, buttons, defaultId, cancelId, noLink: true };
      const { response } = mainWindow && !mainWindow.isDestroyed() ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
      if (response !== quitButton) return;
    }
    quitConfirmed = true;
    app.quit();
  } finally {
    asking = false;
  }
}

app.on('before-quit', (event) => {
  if (!engine || disposing) return;
  event.preventDefault();
  if (!quitConfirmed) {
    void requestQuit();
    return;
  }
  // Let the engine cancel tasks and close port-forwards before the process exits.
  disposing = true;
  void engine.dispose().finally(() => app.quit());
});
