// The layer zones of eslint.config.js (docs/architecture.md §2) fire on a planted violation each, at any
// depth, and leave the allowed imports alone. Fixture sources are linted as if they lived at the given
// paths (the config picks rules by path); nothing is written to disk. The engine's inner order and the React hooks
// rules fire too.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

/** The no-restricted-imports messages for `imports` (one import per line) in a file at `filePath`. */
const lint = async (filePath: string, ...imports: string[]): Promise<string[]> => {
  const code = imports.map((from, i) => `import * as m${i} from '${from}';`).join('\n') + `\nexport const all = [${imports.map((_, i) => `m${i}`).join(', ')}];\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('shared/ imports nothing from the engine, the renderer, the sim or Node', () => {
  it('fails each kind of import, from the top and from a nested folder', async () => {
    expect(await lint('shared/fixture.ts', '../electron/engine/api.js', '../renderer/src/format.js', '../sim/scenario.js', 'node:fs', 'path')).toHaveLength(5);
    const nested = await lint('shared/kube/deeper/fixture.ts', '../../../electron/engine/api.js', '../../../renderer/src/format.js', '../../../sim/scenario.js');
    expect(nested).toHaveLength(3);
    expect(nested[0]).toContain('shared/ is the contract');
    expect(nested[2]).toContain('never imports sim/');
  });

  it('accepts its own modules and libraries', async () => {
    expect(await lint('shared/kube/fixture.ts', '../result.js', './pod-status.js', 'zod', 'yaml')).toEqual([]);
  });
});

describe('product code never imports sim/', () => {
  it('fails the engine, the shell, the web host, the CLI and the renderer, at any depth', async () => {
    for (const [file, from] of [
      ['electron/engine/steps/fixture.ts', '../../../sim/scenario.js'],
      ['electron/engine/a/b/c/fixture.ts', '../../../../../sim/apiserver/server.js'],
      ['electron/main/fixture.ts', '../../sim/scenario.js'],
      ['electron/web/fixture.ts', '../../sim/registry/server.js'],
      ['electron/cli/fixture.ts', '../../sim/scenario.js'],
      ['renderer/src/pages/fixture.tsx', '../../../sim/scenario.js'],
    ] as const) {
      const messages = await lint(file, from);
      expect(messages, file).toHaveLength(1);
      expect(messages[0]).toContain('never imports sim/');
    }
  });

  it('lets tests and test kits use the simulated world', async () => {
    expect(await lint('electron/engine/steps/fixture.test.ts', '../../../sim/scenario.js')).toEqual([]);
    expect(await lint('electron/engine/steps/fixture.testkit.ts', '../../../sim/scenario.js')).toEqual([]);
    expect(await lint('renderer/src/fixture.test.ts', '../../sim/scenario.js')).toEqual([]);
  });
});

describe('the simulated world never imports the app', () => {
  it('fails a sim module that imports the engine, a transport or the renderer, at any depth', async () => {
    const messages = await lint('sim/cluster/fixture.ts', '../../electron/engine/kube/errors.js', '../../electron/cli/main.js', '../../renderer/src/format.js');
    expect(messages).toHaveLength(3);
    expect(messages.every((m) => m.includes('sim/ never imports the engine'))).toBe(true);
    expect(await lint('sim/a/b/fixture.ts', '../../../electron/engine/steps/stack.js')).toHaveLength(1);
  });

  it('accepts shared/, its own modules and Node, and lets its tests drive the engine', async () => {
    expect(await lint('sim/cluster/fixture.ts', '../../shared/stack.js', '../apiserver/store.js', './models.js', 'node:fs')).toEqual([]);
    expect(await lint('sim/registry/fixture.test.ts', '../../electron/engine/registry/client.js')).toEqual([]);
  });
});

describe('the engine imports neither the shell, the web host, the CLI nor the renderer — however deep the file', () => {
  it('fails a deep engine file that climbs out to electron/main, web, cli or the renderer', async () => {
    const deep = 'electron/engine/a/b/fixture.ts';
    const messages = await lint(deep, '../../../main/window.js', '../../../web/server.js', '../../../preload/preload.js', '../../../cli/main.js', '../../../../renderer/src/format.js');
    expect(messages).toHaveLength(5);
    expect(messages.slice(0, 3).every((m) => m.includes('The engine may import only shared/'))).toBe(true);
  });

  it('still fails a shallow one, and lets integration tests drive the CLI', async () => {
    expect(await lint('electron/engine/fixture.ts', '../main/window.js')).toHaveLength(1);
    expect(await lint('electron/engine/images/fixture.test.ts', '../../cli/main.js')).toEqual([]);
    expect(await lint('electron/engine/images/fixture.test.ts', '../../main/window.js')).toHaveLength(1);
  });

  it('accepts shared/, its own modules and Node, including folders whose names only start like a zone', async () => {
    expect(await lint('electron/engine/steps/fixture.ts', '../../../shared/result.js', '../plan/step.js', 'node:path', '../renderer-files.js', './cli-output.js')).toEqual([]);
  });
});

describe('the engine’s inner order: handlers → services → steps → kube/process, and transports over createEngine', () => {
  /** The inner-order messages for `imports` in a file at `filePath`. */
  const order = async (filePath: string, ...imports: string[]): Promise<string[]> => {
    const code = imports.map((from, i) => `import * as m${i} from '${from}';`).join('\n') + `\nexport const all = [${imports.map((_, i) => `m${i}`).join(', ')}];\n`;
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'zones/import-targets').map((m) => m.message);
  };

  it('fails a step that imports a handler, the composition root, a service or the engine context — at any depth', async () => {
    const step = await order('electron/engine/steps/fixture.ts', '../handlers/engine.js', '../api.js', '../dispatch.js', '../runs.js', '../plan-service.js', '../context.js', '../settings/service.js');
    expect(step).toHaveLength(7);
    expect(step[0]).toContain('Only api.ts composes the handlers');
    expect(step[3]).toContain('never import a service or the engine context');
    const deep = await order('electron/engine/doctor/rules/deeper/fixture.ts', '../../../handlers/cluster.js', '../../../diagnostics.js', '../../../prereq-installs.js');
    expect(deep).toHaveLength(3);
    expect(deep[2]).toContain('(electron/engine/doctor/rules/deeper/fixture.ts imports electron/engine/prereq-installs.ts)');
  });

  it('fails a service that imports a handler', async () => {
    expect(await order('electron/engine/runs.ts', './handlers/engine.js')).toHaveLength(1);
    expect(await order('electron/engine/settings/service.ts', '../handlers/settings.js')).toHaveLength(1);
  });

  it('fails kube/ and process/ importing a step or plan/', async () => {
    const kube = await order('electron/engine/kube/fixture.ts', '../steps/cluster-access.js', '../plan/step.js');
    expect(kube).toHaveLength(2);
    expect(kube.every((m) => m.includes('bottom of the engine'))).toBe(true);
    expect(await order('electron/engine/process/a/fixture.ts', '../../steps/tool-lines.js', '../../runs.js')).toHaveLength(2);
  });

  it('accepts each layer importing the ones below it, and a sibling that only shares a service’s name', async () => {
    expect(await order('electron/engine/handlers/fixture.ts', '../runs.js', '../context.js', '../dispatch.js', '../steps/index.js', '../kube/errors.js')).toEqual([]);
    expect(await order('electron/engine/runs.ts', './plan-service.js', './context.js', './plan/executor.js', './steps/index.js', './process/runner.js')).toEqual([]);
    expect(await order('electron/engine/steps/fixture.ts', '../plan/step.js', '../kube/errors.js', '../process/runner.js', '../state-file.js', '../../../shared/result.js')).toEqual([]);
    expect(await order('electron/engine/doctor/rules/fixture.ts', './runs.js', './context.js', '../../steps/podman-machine.js')).toEqual([]);
    expect(await order('electron/engine/kube/fixture.ts', './errors.js', '../process/runner.js', '../state-file.js')).toEqual([]);
  });

  it('fails a transport (the CLI, the web host, the shell) that composes the engine instead of calling createEngine', async () => {
    const cli = await order('electron/cli/fixture.ts', '../engine/context.js', '../engine/services.js', '../engine/runs.js', '../engine/handlers/engine.js', '../engine/dispatch.js');
    expect(cli).toHaveLength(5);
    expect(cli.every((m) => m.includes('A transport builds the engine with createEngine'))).toBe(true);
    expect(await order('electron/web/deeper/fixture.ts', '../../engine/plan-service.js')).toHaveLength(1);
    expect(await order('electron/main/fixture.ts', '../engine/settings/service.js')).toHaveLength(1);
  });

  it('lets a transport call createEngine and name the engine’s types', async () => {
    expect(await order('electron/cli/fixture.ts', '../engine/api.js', '../engine/paths.js', '../engine/host/check-verdict.js')).toEqual([]);
    const types = "import type { SaveFileChooser } from '../engine/context.js';\nimport { type Dispatcher } from '../engine/dispatch.js';\nexport type T = [SaveFileChooser, Dispatcher];\n";
    const [result] = await eslint.lintText(types, { filePath: 'electron/main/fixture.ts' });
    expect(result!.messages.filter((m) => m.ruleId === 'zones/import-targets')).toEqual([]);
  });

  it('lets tests and test kits compose what they need', async () => {
    expect(await order('electron/engine/steps/fixture.test.ts', '../runs.js', '../handlers/engine.js')).toEqual([]);
    expect(await order('electron/engine/kube/fixture.testkit.ts', '../steps/index.js')).toEqual([]);
  });
});

describe('the React hooks rules hold in the renderer', () => {
  const ruleIds = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.map((m) => m.ruleId ?? m.message);
  };

  it('fails a hook called conditionally and an effect that does not list what it reads', async () => {
    const conditional = `import { useState } from 'react';\nexport function Page({ open }: { open: boolean }) {\n  if (open) { const [v] = useState(0); return v; }\n  return null;\n}\n`;
    expect(await ruleIds('renderer/src/pages/Fixture.tsx', conditional)).toContain('react-hooks/rules-of-hooks');
    const stale = `import { useEffect } from 'react';\nexport function Page({ id }: { id: string }) {\n  useEffect(() => { console.log(id); }, []);\n  return null;\n}\n`;
    expect(await ruleIds('renderer/src/pages/Fixture.tsx', stale)).toContain('react-hooks/exhaustive-deps');
  });

  it('accepts hooks at the top level with their dependencies', async () => {
    const ok = `import { useEffect, useState } from 'react';\nexport function Page({ id }: { id: string }) {\n  const [v, setV] = useState(id);\n  useEffect(() => { setV(id); }, [id]);\n  return v;\n}\n`;
    expect(await ruleIds('renderer/src/pages/Fixture.tsx', ok)).toEqual([]);
  });
});
