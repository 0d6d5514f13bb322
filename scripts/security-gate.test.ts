import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preloadBuildOptions } from './build-preload.mjs';
import { judge, loadAllowlist, runGate, SCAN_TARGETS, type Allowlist, type Finding } from './security-gate.js';

const finding = (over: Partial<Finding>): Finding => ({
  id: 'PRELOAD_JS_CHECK', severity: 'MEDIUM', confidence: 'FIRM', manualReview: true, source: 'electron/main/security.ts', line: 1, sample: 'preload: preloadPath', description: 'd', ...over,
});
const reason = 'a reason that is long enough to mean something';

describe('what the gate scans', () => {
  it('includes the sandboxed preload the build writes, staged under a name the scanner reads (.js, not .cjs)', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    const outfile = (await preloadBuildOptions(root)).outfile;
    const preload = SCAN_TARGETS.find((t) => path.resolve(root, t.built) === path.resolve(root, outfile!));
    expect(preload, `SCAN_TARGETS should scan ${outfile}`).toBeDefined();
    expect(preload!.staged).toMatch(/\.js$/);
    expect(SCAN_TARGETS.map((t) => t.built)).toEqual(expect.arrayContaining(['out/main/main.js', 'out/renderer/index.html']));
  });
});

describe('judging findings against the reviewed allowlist', () => {
  it('lets through only findings with a matching entry, and reports entries that match nothing', () => {
    const allowlist: Allowlist = {
      entries: [
        { id: 'PRELOAD_JS_CHECK', source: 'electron/main/security.ts', reason },
        { id: 'OPEN_EXTERNAL_JS_CHECK', source: 'electron/main/main.ts', match: 'shell.openExternal(url)', reason },
        { id: 'SANDBOX_JS_CHECK', source: 'electron/main/main.ts', reason },
      ],
    };
    const preload = finding({});
    const external = finding({ id: 'OPEN_EXTERNAL_JS_CHECK', source: 'electron/main/main.ts', sample: 'void shell.openExternal(url);' });
    const otherExternal = finding({ id: 'OPEN_EXTERNAL_JS_CHECK', source: 'electron/main/main.ts', sample: 'shell.openExternal(untrusted)' });
    const elsewhere = finding({ source: 'electron/main/other.ts' });
    const verdict = judge([preload, external, otherExternal, elsewhere], allowlist);
    expect(verdict.allowed.map((a) => a.finding)).toEqual([preload, external]);
    expect(verdict.unexpected).toEqual([otherExternal, elsewhere]);
    expect(verdict.stale.map((e) => e.id)).toEqual(['SANDBOX_JS_CHECK']);
  });

  it("keeps the project's allowlist well-formed, every entry with a reason", () => {
    const list = loadAllowlist(path.resolve(import.meta.dirname, '..', 'security', 'electronegativity-allowlist.json'));
    expect(list.entries.length).toBeGreaterThan(0);
    for (const e of list.entries) expect(e.reason.length).toBeGreaterThan(40);
  });
});

// A small built app with one deliberate hole, scanned for real by electronegativity (without its
// releases lookup, which needs the network).
describe('electronegativity over a built app', () => {
  let root: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'fixture', devDependencies: { electron: '45.5.0' } }));
    fs.writeFileSync(path.join(root, 'src', 'main.ts'), [
      "import { app, BrowserWindow, session } from 'electron';",
      '// Modern syntax the 2021-era parser cannot read unless the gate lowers it.',
      'class Counter { #n = 0; static #instances = 0; next(): number { Counter.#instances++; return ++this.#n; } }',
      'export const counter = new Counter();',
      'app.whenReady().then(() => {',
      '  session.defaultSession.setPermissionRequestHandler((_w, _p, cb) => cb(false));',
      '  const win = new BrowserWindow({',
      '    webPreferences: { preload: "p.cjs", contextIsolation: false, sandbox: true, nodeIntegration: false, disableBlinkFeatures: "Auxclick" },',
      '  });',
      "  win.webContents.on('will-navigate', (e) => e.preventDefault());",
      "  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));",
      "  void win.loadURL('app://renderer/index.html');",
      '});',
    ].join('\n'));
    // A planted hole in the preload: code built from a string the page controls.
    fs.writeFileSync(path.join(root, 'src', 'preload.ts'), [
      "import { contextBridge } from 'electron';",
      "contextBridge.exposeInMainWorld('api', { ping: () => 'pong', calc: (expr: string) => Function('return ' + expr)() });",
    ].join('\n'));
    const common: BuildOptions = { bundle: true, sourcemap: true, platform: 'node', external: ['electron'], absWorkingDir: root, logLevel: 'error' };
    await build({ ...common, entryPoints: ['src/main.ts'], outfile: 'out/main/main.js', format: 'esm', target: 'node22' });
    await build({ ...common, entryPoints: ['src/preload.ts'], outfile: 'out/preload/preload.cjs', format: 'cjs', target: 'chrome130' });
    fs.mkdirSync(path.join(root, 'out', 'renderer'), { recursive: true });
    fs.writeFileSync(path.join(root, 'out', 'renderer', 'index.html'),
      `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'"><title>t</title></head><body></body></html>`);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('parses modern bundles, finds the hole and points at the TypeScript line', async () => {
    const result = await runGate(root, { entries: [] }, { excludeChecks: ['AvailableSecurityFixesGlobalCheck'] });
    expect(result.parseErrors).toEqual([]);
    const isolation = result.findings.find((f) => f.id === 'CONTEXT_ISOLATION_JS_CHECK');
    expect(isolation).toMatchObject({ source: 'src/main.ts', line: 8, severity: 'HIGH' });
    expect(result.verdict.unexpected).toContainEqual(isolation);
    expect(result.findings.find((f) => f.id === 'PRELOAD_JS_CHECK')).toMatchObject({ source: 'src/main.ts', line: 8 });
    // The preload is scanned too (electronegativity skips a .cjs name unless the gate stages it).
    expect(result.findings.find((f) => f.id === 'DANGEROUS_FUNCTIONS_JS_CHECK')).toMatchObject({ source: 'src/preload.ts', line: 2 });
    // The handlers it looks for were seen, so the file really was scanned.
    expect(result.findings.map((f) => f.id)).not.toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
    expect(result.findings.map((f) => f.id)).not.toContain('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK');
  }, 60_000);

  it('refuses to pass when the app was not built', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-empty-'));
    try {
      await expect(runGate(empty, { entries: [] })).rejects.toThrow(/out\/main\/main\.js is missing/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
