// `npm run cli` runs the bundled CLI (scripts/cli.mjs): the done-when commands of the engine and cluster
// issues go through this path, so check it prints the plan as data and exits with the CLI's codes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

describe('npm run cli', () => {
  it('prints the whole plan as data from the bundled CLI', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-bundle-'));
    try {
      const { stdout } = await run(process.execPath, [path.join(root, 'scripts', 'cli.mjs'), 'plan', '--json'], { env: { ...process.env, LLMD_INSTALLER_HOME: home }, cwd: root });
      const plan = JSON.parse(stdout) as { steps: Array<{ id: string; needs: string[]; commands: string[][] }> };
      expect(plan.steps.map((s) => s.id)).toContain('minikube-start');
      expect(plan.steps.every((s) => Array.isArray(s.needs) && Array.isArray(s.commands))).toBe(true);
      expect(fs.existsSync(path.join(root, 'out', 'forwarder', 'forwarder.js'))).toBe(true);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('exits 2 on a usage error', async () => {
    const e = await run(process.execPath, [path.join(root, 'scripts', 'cli.mjs'), 'frobnicate'], { cwd: root }).catch((x: { code?: number }) => x);
    expect((e as { code?: number }).code).toBe(2);
  }, 60_000);
});
