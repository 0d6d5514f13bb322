// The prerequisites step's "tools unchanged" check: the run that installed the tools records their
// fingerprint, so the next detect answers from a stat per tool instead of asking each tool its version.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrereqReport, ToolName, ToolStatus } from '../../../shared/api/engine.js';
import { defaultSettings } from '../../../shared/api/settings.js';
import { appPaths } from '../paths.js';
import { planContext } from '../plan/build-plan.js';
import type { StepContext } from '../plan/step.js';
import type { PrereqService } from '../prereqs/service.js';
import { prerequisitesTools } from './prerequisites-tools.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const ok = (name: ToolName, file: string): ToolStatus => ({ name, required: true, installed: true, version: '1.0.0', minimum: '1.0.0', path: file, ok: true, install: 'download' });

/** A bin dir holding the tools, and a prereqs service whose check (the version commands) is counted. */
function world() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-prereqs-step-'));
  dirs.push(dir);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const names: ToolName[] = ['docker', 'minikube', 'helm', 'helmfile'];
  const report = (): PrereqReport => ({ tools: names.map((n) => ok(n, path.join(bin, n))), driver: 'docker', ok: true, binDir: bin });
  const calls = { check: 0, installMissing: 0 };
  const prereqs: PrereqService = {
    check: async () => { calls.check += 1; return report(); },
    install: async () => { throw new Error('not used'); },
    // As the real service: the tools appear in the bin dir, then a final check finds them fine.
    installMissing: async () => {
      calls.installMissing += 1;
      for (const n of names) fs.writeFileSync(path.join(bin, n), '#!/bin/sh\n', { mode: 0o755 });
      return report();
    },
  };
  const plan = planContext(defaultSettings(), { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } });
  const ctx = {
    ...plan, paths: appPaths(path.join(dir, 'home')), env: { PATH: bin }, signal: new AbortController().signal,
    log: () => undefined, progress: () => undefined, services: { prereqs },
  } as unknown as StepContext;
  return { ctx, calls };
}

describe('prerequisites step', () => {
  it('a re-run after the run that installed the tools does not ask any tool for its version', async () => {
    const { ctx, calls } = world();
    await prerequisitesTools.run(ctx);
    expect(calls.installMissing).toBe(1);
    const d = await prerequisitesTools.detect(ctx);
    expect(d).toMatchObject({ state: 'done', detail: expect.stringContaining('unchanged since the check') });
    expect(calls.check).toBe(0);
  });

  it('a tool changed since the install is asked again', async () => {
    const { ctx, calls } = world();
    await prerequisitesTools.run(ctx);
    fs.appendFileSync(path.join((ctx.env.PATH ?? ''), 'helm'), 'echo changed\n');
    await prerequisitesTools.detect(ctx);
    expect(calls.check).toBe(1);
  });
});
