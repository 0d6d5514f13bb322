// The Electron security checklist (electronjs.org/docs/latest/tutorial/security; docs/architecture.md §5), asserted
// on the main process as it is actually wired: main.ts is imported against a recording fake of the
// 'electron' module, its `ready` work runs, and every hook it installed is then exercised. Items and
// where they are checked:
//  1 secure content only ............ CSP (connect-src/img-src without http:), app:// scheme is `secure`
//  2/3/4 no Node, isolation, sandbox  web preferences of the constructed window
//  5 permission handler ............. request and check handlers deny
//  6/8/9/10 webSecurity, insecure content, experimental features, blink features — web preferences
//  11/12 <webview> .................. webviewTag off; will-attach-webview prevented
//  7 CSP ............................ header on every app:// response
//  13 navigation .................... will-navigate / will-redirect refuse foreign origins
//  14 new windows ................... setWindowOpenHandler denies
//  15 openExternal .................. only validated http(s) URLs reach shell.openExternal
//  17 IPC sender .................... null frame, foreign origin and foreign web contents refused; payload validated
//  18 no file:// .................... renderer loaded from app://, served by protocol.handle
//  20 no raw Electron APIs .......... one invoke channel, no ipcMain.on listeners
// (16 current Electron and 19 fuses: package.json and electron/main/fuses.test.ts.)
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const appListeners = new Map<string, Listener[]>();
  const on = (map: Map<string, Listener[]>) => (event: string, fn: Listener) => {
    map.set(event, [...(map.get(event) ?? []), fn]);
  };
  class FakeWebContents {
    listeners = new Map<string, Listener[]>();
    windowOpenHandler: Listener | undefined;
    on = vi.fn(on(this.listeners));
    send = vi.fn();
    setWindowOpenHandler = vi.fn((fn: Listener) => { this.windowOpenHandler = fn; });
    emit(event: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(event) ?? []) fn(...args);
    }
  }
  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow {
    static getAllWindows = () => windows;
    webContents = new FakeWebContents();
    loadURL = vi.fn(async (_url: string) => undefined);
    loadFile = vi.fn(async () => undefined);
    constructor(public options: { webPreferences?: Record<string, unknown> }) {
      windows.push(this);
      // Electron emits web-contents-created for every new web contents, the window's included.
      for (const fn of appListeners.get('web-contents-created') ?? []) fn({}, this.webContents);
    }
    once = vi.fn();
    on = vi.fn();
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => false;
    isDestroyed = () => false;
  }
  const app = {
    on: vi.fn(on(appListeners)),
    once: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    getName: () => 'llm-d Installer',
    getPath: () => os.tmpdir(),
    isPackaged: false,
  };
  const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
  const defaultSession = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), webRequest: { onHeadersReceived: vi.fn() } };
  const session = { defaultSession };
  const ipcMain = { handle: vi.fn(), on: vi.fn(), once: vi.fn(), handleOnce: vi.fn() };
  const shell = { openExternal: vi.fn(async () => undefined), openPath: vi.fn() };
  // A Linux desktop without a keyring: Electron falls back to basic_text (effectively plaintext).
  const safeStorage = {
    isAsyncEncryptionAvailable: vi.fn(async () => true),
    getSelectedStorageBackend: vi.fn(() => 'basic_text'),
    encryptStringAsync: vi.fn(async (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`)),
    decryptStringAsync: vi.fn(async (b: Buffer) => ({ result: Buffer.from(b.toString().slice(4), 'hex').toString(), shouldReEncrypt: false })),
  };
  // Parts of Electron the shell may use that carry no security decision.
  const nativeTheme = { shouldUseDarkColors: true, themeSource: 'system', on: vi.fn() };
  const Menu = { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn(() => ({})), getApplicationMenu: vi.fn() };
  const dialog = { showOpenDialog: vi.fn(), showSaveDialog: vi.fn(), showMessageBox: vi.fn(), showErrorBox: vi.fn() };
  return { app, BrowserWindow: FakeBrowserWindow, protocol, session, ipcMain, shell, safeStorage, nativeTheme, Menu, dialog, windows, FakeWebContents };
});

vi.mock('electron', () => ({ ...fake, default: fake }));

// The app:// handler reads the built renderer next to the built main; from the sources there is none,
// so give it a page to serve (only for paths inside a renderer folder), with a real path.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = (async (file: unknown, ...rest: unknown[]) => {
    if (typeof file === 'string' && file.split(path.sep).includes('renderer') && file.endsWith('index.html')) return Buffer.from('<!doctype html><title>t</title>');
    return (real.readFile as (...a: unknown[]) => Promise<unknown>)(file, ...rest);
  }) as typeof real.readFile;
  // The handler serves real paths only (appRealFileFor): give the fake renderer folder and page a real path.
  const inRenderer = (p: unknown): p is string => typeof p === 'string' && (p.split(path.sep).includes('renderer'));
  const realpath = (async (p: unknown, ...rest: unknown[]) => {
    if (inRenderer(p) && (p.endsWith(`${path.sep}renderer`) || p.endsWith('index.html'))) return p;
    return (real.realpath as (...a: unknown[]) => Promise<unknown>)(p, ...rest);
  }) as typeof real.realpath;
  return { ...real, default: { ...real, readFile, realpath }, readFile, realpath };
});

const { IPC_INVOKE_CHANNEL } = await import('../../shared/contract.js');
const { PLAINTEXT_WARNING, SECRETS_FILE } = await import('./secret-store-safe-storage.js');

let dataDir: string;
type Prefs = Record<string, unknown>;
let win: InstanceType<typeof fake.BrowserWindow>;
let boot: {
  loadURL: unknown[];
  loadFileCalls: number;
  schemes: unknown[];
  handlers: unknown[][];
  permissionRequest: unknown[];
  permissionCheck: unknown[];
  ipcHandle: unknown[][];
  ipcOnCalls: number;
  webContentsCreated: unknown[];
  menus: unknown[];
  menuTemplates: unknown[];
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'checklist-'));
  vi.stubEnv('LLMD_INSTALLER_HOME', dataDir);
  await import('./main.js');
  await vi.waitFor(() => expect(fake.windows.length).toBeGreaterThan(0));
  win = fake.windows[0]!;
  // Vitest clears mock call records between tests: keep what main.ts registered at start-up.
  boot = {
    loadURL: win.loadURL.mock.calls.map((c) => c[0]),
    loadFileCalls: win.loadFile.mock.calls.length,
    schemes: fake.protocol.registerSchemesAsPrivileged.mock.calls.map((c) => c[0]),
    handlers: fake.protocol.handle.mock.calls.map((c) => [c[0], c[1]]),
    permissionRequest: fake.session.defaultSession.setPermissionRequestHandler.mock.calls.map((c) => c[0]),
    permissionCheck: fake.session.defaultSession.setPermissionCheckHandler.mock.calls.map((c) => c[0]),
    ipcHandle: fake.ipcMain.handle.mock.calls.map((c) => [c[0], c[1]]),
    ipcOnCalls: fake.ipcMain.on.mock.calls.length + fake.ipcMain.once.mock.calls.length,
    webContentsCreated: fake.app.on.mock.calls.filter((c) => c[0] === 'web-contents-created').map((c) => c[1]),
    menus: fake.Menu.setApplicationMenu.mock.calls.map((c) => c[0]),
    menuTemplates: (fake.Menu.buildFromTemplate.mock.calls as unknown[][]).map((c) => c[0]),
  };
});
afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dataDir, { recursive: true, force: true });
});


describe('Electron security checklist, on the window and session main.ts sets up', () => {
  it('isolates and sandboxes the renderer and gives it no Node (items 2, 3, 4, 6, 8, 9, 10, 11)', () => {
    const prefs = win.options.webPreferences as Prefs;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).not.toBe(true);
    expect(prefs.nodeIntegrationInSubFrames).not.toBe(true);
    expect(prefs.webSecurity).not.toBe(false);
    expect(prefs.allowRunningInsecureContent).not.toBe(true);
    expect(prefs.experimentalFeatures).not.toBe(true);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.webviewTag).not.toBe(true);
    expect(String(prefs.preload)).toMatch(/preload[/\\]preload\.cjs$/);
    expect(fake.windows).toHaveLength(1);
  });

  it("replaces Electron's default menu (whose View menu has DevTools) with the app's own", () => {
    expect(boot.menus).toHaveLength(1);
    expect(boot.menus[0]).not.toBeNull();
    expect(boot.menuTemplates).toHaveLength(1);
    expect(JSON.stringify(boot.menuTemplates[0])).not.toContain('viewMenu');
  });

  it('loads the app from the app:// scheme, never file:// (item 18)', () => {
    expect(boot.loadURL).toEqual(['app://renderer/index.html']);
    expect(boot.loadFileCalls).toBe(0);
    const schemes = boot.schemes[0] as Array<{ scheme: string; privileges: Record<string, boolean> }>;
    expect(schemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    expect(schemes[0]!.privileges).toMatchObject({ standard: true, secure: true });
    expect(schemes[0]!.privileges.bypassCSP).not.toBe(true);
    expect(boot.handlers.map(([scheme]) => scheme)).toEqual(['app']);
  });

  it('sends a strict Content-Security-Policy with every page (items 1, 7)', async () => {
    const handle = boot.handlers[0]![1] as (req: Request) => Promise<Response>;
    const res = await handle(new Request('app://renderer/index.html'));
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    const scripts = directives.get('script-src') ?? directives.get('default-src')!;
    expect(scripts).toEqual(["'self'"]);
    for (const [name, values] of directives) {
      expect({ name, values: values.filter((v) => /unsafe-inline|unsafe-eval|^\*$|^http:|^https:$|^data:$/.test(v) && !(name === 'img-src' && v === 'data:')) }).toEqual({ name, values: [] });
    }
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    // Paths that climb out of the renderer are not served.
    expect((await handle(new Request('app://renderer/..%2F..%2Fpackage.json'))).status).toBe(404);
  });

  it('denies every permission request and check (item 5)', () => {
    expect(boot.permissionRequest).toHaveLength(1);
    const request = boot.permissionRequest[0] as (wc: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      request({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    const check = boot.permissionCheck[0] as (...a: unknown[]) => boolean;
    expect(check({}, 'media', 'app://renderer', {})).toBe(false);
  });

  it('refuses navigation and redirects to other origins (item 13)', () => {
    for (const event of ['will-navigate', 'will-redirect']) {
      const foreign = { preventDefault: vi.fn() };
      win.webContents.emit(event, foreign, 'https://evil.example/phish');
      expect(foreign.preventDefault).toHaveBeenCalled();
      const lookalike = { preventDefault: vi.fn() };
      win.webContents.emit(event, lookalike, 'app://renderer.evil.example/index.html');
      expect(lookalike.preventDefault).toHaveBeenCalled();
      const own = { preventDefault: vi.fn() };
      win.webContents.emit(event, own, 'app://renderer/index.html#/configure');
      expect(own.preventDefault).not.toHaveBeenCalled();
    }
  });

  it('refuses <webview> attachment (item 12)', () => {
    const attach = { preventDefault: vi.fn() };
    win.webContents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('opens no new windows, and hands only safe web links to the system browser (items 14, 15)', () => {
    const open = win.webContents.windowOpenHandler!;
    expect(open).toBeDefined();
    fake.shell.openExternal.mockClear();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'app://renderer/index.html', 'ms-msdt:/id']) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
    expect(open({ url: 'https://llm-d.ai/docs' })).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://llm-d.ai/docs');
  });

  it('applies the same locks to any other web contents that appears', () => {
    const other = new fake.FakeWebContents();
    expect(boot.webContentsCreated.length).toBeGreaterThan(0);
    for (const fn of boot.webContentsCreated as Listener[]) fn({}, other);
    const nav = { preventDefault: vi.fn() };
    other.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    expect(other.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  describe('IPC (items 17, 20)', () => {
    const invoke = () => {
      const call = boot.ipcHandle.find(([channel]) => channel === IPC_INVOKE_CHANNEL);
      expect(call).toBeDefined();
      return call![1] as (event: unknown, method: unknown, payload: unknown) => Promise<{ ok: boolean; error?: { code: string } }>;
    };
    const fromFrame = (url: string | null, sender: unknown = win.webContents) => ({ senderFrame: url === null ? null : { url }, sender });

    it('exposes one invoke channel and no raw listeners', () => {
      expect(boot.ipcHandle.map(([c]) => c)).toEqual([IPC_INVOKE_CHANNEL]);
      expect(boot.ipcOnCalls).toBe(0);
    });

    it('answers the app page', async () => {
      expect(await invoke()(fromFrame('app://renderer/index.html'), 'app.info', {})).toMatchObject({ ok: true });
    });

    it('refuses a sender whose frame is gone (senderFrame null)', async () => {
      expect(await invoke()(fromFrame(null), 'app.info', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    });

    it('refuses a frame from another origin, even inside our window', async () => {
      for (const url of ['https://evil.example/', 'app://renderer.evil/index.html', 'file:///tmp/x.html', 'about:blank']) {
        expect(await invoke()(fromFrame(url), 'app.info', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      }
    });

    it('refuses our origin from a web contents that is not the app window', async () => {
      expect(await invoke()(fromFrame('app://renderer/index.html', new fake.FakeWebContents()), 'app.info', {})).toMatchObject({ ok: false });
    });

    it('keeps the HF token in main with safeStorage; the page only learns that one is set', async () => {
      if (process.platform !== 'linux') return; // the basic_text fallback exists only on Linux
      const app = fromFrame('app://renderer/index.html');
      const before = (await invoke()(app, 'settings.get', {})) as unknown as { ok: true; value: { settings: unknown; secrets: unknown } };
      expect(before).toMatchObject({ ok: true, value: { hfTokenSet: false } });
      // The store main handed the engine is the safeStorage one, and it warns about the plaintext fallback.
      expect(before.value.secrets).toEqual({ backend: 'Linux basic_text', persistent: true, warning: PLAINTEXT_WARNING });
      const token = 'hf_checklistTOKEN0123456789abcdef';
      const saved = await invoke()(app, 'settings.save', { settings: before.value.settings, hfToken: token });
      expect(saved).toMatchObject({ ok: true, value: { hfTokenSet: true } });
      expect(JSON.stringify(saved)).not.toContain(token);
      expect(JSON.stringify(await invoke()(app, 'settings.get', {}))).not.toContain(token);
      expect(fake.safeStorage.encryptStringAsync).toHaveBeenCalledWith(token);
      const onDisk = fs.readFileSync(path.join(dataDir, SECRETS_FILE), 'utf8');
      expect(onDisk).not.toContain(token);
      expect(fs.statSync(path.join(dataDir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    });

    it('validates the method and the payload', async () => {
      expect(await invoke()(fromFrame('app://renderer/index.html'), 'fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
      expect(await invoke()(fromFrame('app://renderer/index.html'), 'app.info', { extra: 'x'.repeat(10) })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    });
  });
});
