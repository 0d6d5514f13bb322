import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSE_SENTINEL, afterPackFuses, applyFuses, fusePolicyFromEnv, hasFuseWire, packagedElectronPath, readFuses, wantedFuses } from './fuses.js';

// Electron 45's factory wire: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on,
// asar integrity off, only-asar off, V8 snapshot off, file:// privileges on ('1' = 0x31, '0' = 0x30).
const FACTORY_WIRE = '10110001';

/** A file laid out like an Electron binary around its fuse wire: bytes, sentinel, version 1, length, states. */
async function fakeElectronBinary(file: string, states = FACTORY_WIRE): Promise<void> {
  const before = Buffer.alloc(4096, 0x90);
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL, 'ascii'), Buffer.from([1, states.length]), Buffer.from(states, 'ascii')]);
  await fs.writeFile(file, Buffer.concat([before, wire, Buffer.alloc(4096, 0x90)]), { mode: 0o755 });
}

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fuses-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('fuse policy', () => {
  it('turns the debugger fuse on only when the build says it is a test build', () => {
    expect(fusePolicyFromEnv({}).inspect).toBe(false);
    expect(fusePolicyFromEnv({ ELECTRON_ENABLE_INSPECT: '1' }).inspect).toBe(false);
    expect(fusePolicyFromEnv({ ELECTRON_ENABLE_INSPECT: 'true' }).inspect).toBe(true);
  });

  it('switches off run-as-node and NODE_OPTIONS and locks the app to its asar', () => {
    expect(wantedFuses({ inspect: false })).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('finds the binary electron-builder produced on each platform', () => {
    expect(packagedElectronPath('/o', 'linux', 'llm-d Installer', 'llm-d-installer')).toBe(path.join('/o', 'llm-d-installer'));
    expect(packagedElectronPath('/o', 'darwin', 'llm-d Installer', 'llm-d-installer')).toBe(path.join('/o', 'llm-d Installer.app'));
  });
});

describe('flipping the fuse wire', () => {
  it('writes the production policy into the wire and reads it back', async () => {
    const bin = path.join(dir, 'electron-prod');
    await fakeElectronBinary(bin);
    expect(await applyFuses(bin, { inspect: false }, { resetAdHocDarwinSignature: false })).toEqual({ flipped: true });
    expect(await readFuses(bin)).toEqual(wantedFuses({ inspect: false }));
  });

  it('keeps the inspect fuse on in a test build so _electron.launch can attach', async () => {
    const bin = path.join(dir, 'electron-test');
    await fakeElectronBinary(bin);
    await applyFuses(bin, { inspect: true }, { resetAdHocDarwinSignature: false });
    expect((await readFuses(bin)).EnableNodeCliInspectArguments).toBe(true);
    expect((await readFuses(bin)).RunAsNode).toBe(false);
  });

  it('skips a stub distribution that has no fuse wire, and says why', async () => {
    const stub = path.join(dir, 'stub-electron');
    await fs.writeFile(stub, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    expect(await hasFuseWire(stub)).toBe(false);
    const lines: string[] = [];
    const outcome = await afterPackFuses(
      { appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'llm-d Installer' }, executableName: 'stub-electron' } as never },
      {},
      (line) => lines.push(line),
    );
    expect(outcome.flipped).toBe(false);
    expect(lines.join('\n')).toMatch(/fuses: skipped: no Electron fuse wire .*stub-electron/);
  });

  it('runs as the afterPack hook on the packed linux executable', async () => {
    await fakeElectronBinary(path.join(dir, 'llm-d-installer'));
    const outcome = await afterPackFuses(
      { appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'llm-d Installer' }, executableName: 'llm-d-installer' } as never },
      { ELECTRON_ENABLE_INSPECT: 'true' },
      () => {},
    );
    expect(outcome).toEqual({ flipped: true });
    expect(await readFuses(path.join(dir, 'llm-d-installer'))).toEqual(wantedFuses({ inspect: true }));
  });
});

// The same read-back on a real Electron binary: a packaged app named by LLMD_PACKAGED_APP (checked
// against the policy it was built with), or else an Electron distribution (ELECTRON_PATH or
// node_modules/electron/dist), copied and flipped. Our machines have no Electron binary (installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1), so here this says so and skips.
function realBinary(): { path: string; packaged: boolean } | { reason: string } {
  const packaged = process.env.LLMD_PACKAGED_APP;
  if (packaged) return existsSync(packaged) ? { path: packaged, packaged: true } : { reason: `LLMD_PACKAGED_APP=${packaged} does not exist` };
  const candidates = [process.env.ELECTRON_PATH, path.resolve('node_modules/electron/dist/electron')].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  return found ? { path: found, packaged: false } : { reason: `no Electron binary here (looked at ${candidates.join(', ')}; electron is installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)` };
}

describe('fuse read-back on a real Electron binary', () => {
  const real = realBinary();
  if ('reason' in real) console.log(`[fuses] real-binary read-back skipped: ${real.reason}`);

  it.skipIf('reason' in real)('has the packaged policy in its fuse wire', async () => {
    if ('reason' in real) return;
    const policy = fusePolicyFromEnv();
    let target = real.path;
    if (!real.packaged) {
      target = path.join(dir, 'real-electron');
      await fs.copyFile(real.path, target);
      expect(await applyFuses(target, policy, { resetAdHocDarwinSignature: false })).toEqual({ flipped: true });
    }
    const fuses = await readFuses(target);
    for (const [name, wanted] of Object.entries(wantedFuses(policy))) {
      const state = fuses[name as keyof typeof fuses];
      if (state !== 'removed' && state !== undefined) expect({ name, state }).toEqual({ name, state: wanted });
    }
  });
});
