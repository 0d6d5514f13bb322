import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPackage, makeStubElectronDist, referencedAssets, REQUIRED_IN_ASAR, runtimePackages, type PackageFacts } from './package-check.js';

const good = (): PackageFacts => ({
  asar: [...REQUIRED_IN_ASAR, '/out/renderer/assets/index-1.js', '/node_modules/zod/package.json', '/node_modules/@kubernetes/client-node/package.json'],
  packedResources: ['stack/helmfile.yaml', 'stack/values.yaml'],
  sourceResources: ['stack/helmfile.yaml', 'stack/values.yaml'],
  appDirEntries: ['llm-d-installer', 'resources'],
  mainCode: 'import { z } from "zod";\nimport path from "node:path";\nimport { app } from "electron";\nimport fs from "fs";',
  webCode: 'import * as k8s from "@kubernetes/client-node/dist/index.js";\nimport "./local.js";',
  indexHtml: '<script type="module" crossorigin src="./assets/index-1.js"></script>',
});

describe('what the packaging check asserts', () => {
  it('reads the packages a bundle imports at run time, not built-ins, electron or relative files', () => {
    expect(runtimePackages(good().mainCode)).toEqual(['zod']);
    expect(runtimePackages(good().webCode)).toEqual(['@kubernetes/client-node']);
    expect(runtimePackages('const ws = require("ws"); await import("execa");')).toEqual(['execa', 'ws']);
    // side-effect imports count at a statement start; an argv mentioning --import does not
    expect(runtimePackages('import "reflect-metadata";\nspawn(node, ["--import", `file://${loader}`, src]);')).toEqual(['reflect-metadata']);
  });

  it('reads the assets the built index.html loads', () => {
    expect(referencedAssets('<script src="./assets/a.js"></script><link rel="stylesheet" href="./assets/a.css">')).toEqual(['/out/renderer/assets/a.css', '/out/renderer/assets/a.js']);
  });

  it('accepts a complete package', () => {
    expect(checkPackage(good())).toEqual([]);
  });

  it('notices a missing preload, asset, runtime package or resource file', () => {
    const f = good();
    f.asar = f.asar.filter((p) => p !== '/out/preload/preload.cjs' && p !== '/out/renderer/assets/index-1.js' && p !== '/node_modules/zod/package.json');
    f.packedResources = ['stack/helmfile.yaml'];
    expect(checkPackage(f)).toEqual([
      'app.asar lacks /out/preload/preload.cjs',
      'app.asar lacks /out/renderer/assets/index-1.js, which index.html loads',
      'app.asar lacks node_modules/zod, which main or the web host imports at run time',
      'extra resources lack resources/stack/values.yaml',
    ]);
  });

  it('refuses build tools and source maps in the asar, and a misnamed executable', () => {
    const f = good();
    f.asar.push('/node_modules/electron/package.json', '/out/main/main.js.map');
    f.appDirEntries = ['electron'];
    expect(checkPackage(f)).toEqual([
      'app.asar ships the build tool electron',
      'app.asar ships source maps: /out/main/main.js.map',
      'the app dir has no llm-d-installer executable',
    ]);
  });

  it('makes a stub Electron distribution that says it is a stub', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stub-'));
    try {
      makeStubElectronDist(dir, '45.5.0');
      const exe = path.join(dir, 'electron');
      expect(fs.statSync(exe).mode & 0o111).not.toBe(0);
      expect(fs.readFileSync(exe, 'utf8')).toMatch(/stub Electron distribution/);
      expect(fs.readFileSync(path.join(dir, 'version'), 'utf8')).toBe('45.5.0');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the app icon', () => {
  it('is a 1024×1024 PNG with transparency, which electron-builder turns into the .icns and Linux sizes', () => {
    const png = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    // IHDR: width, height (big-endian), bit depth, colour type 6 = RGBA.
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[25]]).toEqual([1024, 1024, 6]);
  });
});
