// No import cycle anywhere in the project (issue #15): the engine, the transports, the renderer, shared/,
// the sim, the scripts, the e2e support and the benches, tests included. The finder is proven on planted
// cycles of each kind it must see: a type-only import, a .tsx module and a dynamic import().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './import-cycles.js';

const PROJECT = path.resolve(import.meta.dirname, '..');
const FOLDERS = ['electron', 'shared', 'renderer', 'sim', 'scripts', 'e2e', 'bench'];

describe('the project’s import graph', () => {
  it('has no cycle', () => {
    const graph = importGraph(FOLDERS.map((f) => path.join(PROJECT, f)));
    // A walk that found nothing would pass vacuously: it must have seen every layer's files.
    for (const f of ['electron/engine/api.ts', 'renderer/src/pages/index.ts', 'renderer/src/pages/Install.tsx', 'shared/contract.ts', 'sim/apiserver/server.ts']) {
      expect(graph.has(path.join(PROJECT, f)), f).toBe(true);
    }
    expect(importCycles(graph, PROJECT)).toEqual([]);
  });
});

describe('the cycle finder', () => {
  /** The cycles among `files` (name → source), written to a scratch folder for the walk. */
  const cyclesOf = (files: Record<string, string>): string[] => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycle-'));
    try {
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
      return importCycles(importGraph([dir]), dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('finds a type-only cycle', () => {
    const cycles = cyclesOf({
      'api.ts': "import { h } from './handlers/x.js';\nexport interface Ctx { n: number }\nexport const all = [h];\n",
      'handlers/x.ts': "import type { Ctx } from '../api.js';\nexport const h = (c: Ctx) => c.n;\n",
      'api.test.ts': "import { all } from './api.js';\nexport const t = all;\n",
    });
    expect(cycles).toEqual([`api.ts → ${path.join('handlers', 'x.ts')} → api.ts`]);
  });

  it('finds a cycle through a lazily imported .tsx page', () => {
    const cycles = cyclesOf({
      'pages/index.ts': "export const LAZY = { install: () => import('./Install.js') };\nexport const hasPage = (id: string) => id in LAZY;\n",
      'pages/Install.tsx': "import { hasPage } from './index.js';\nexport const Install = () => (hasPage('cluster') ? <a /> : null);\n",
    });
    expect(cycles).toEqual([`${path.join('pages', 'Install.tsx')} → ${path.join('pages', 'index.ts')} → ${path.join('pages', 'Install.tsx')}`]);
  });

  it('finds none in a chain, and ignores packages and Node built-ins', () => {
    const cycles = cyclesOf({
      'a.ts': "import { b } from './b.js';\nimport fs from 'node:fs';\nimport { z } from 'zod';\nexport const a = [b, fs, z];\n",
      'b.ts': "import { c } from './c.js';\nexport const b = c;\n",
      'c.ts': 'export const c = 1;\n',
    });
    expect(cycles).toEqual([]);
  });
});
