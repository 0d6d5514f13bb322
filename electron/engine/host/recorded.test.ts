// LLMD_HOST_FACTS has one home (host/recorded.ts): every transport's engine plans for the recorded host,
// not only the CLI's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../api.js';
import { hostFactsFile } from '../steps/sim-worlds.testkit.js';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

describe('recorded host facts', () => {
  it("make the web host's plan for their OS and architecture, and answer host.check", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recorded-'));
    const other = process.arch === 'arm64' ? { arch: 'x64', archLabel: 'Linux x86_64', want: 'amd64' } : { arch: 'arm64', archLabel: 'Linux arm64', want: 'arm64' };
    const file = hostFactsFile(home, { arch: other.arch, archLabel: other.archLabel, cpuModel: 'recorded' });
    engine = createEngine({ dataDir: home, transport: 'web', rehearsal: false, env: { PATH: '', LLMD_HOST_FACTS: file } });
    expect(engine.context.arch).toBe(other.arch);
    const plan = await engine.dispatcher.call('plan.describe', {});
    expect(plan).toMatchObject({ ok: true, value: { arch: other.want } });
    const host = await engine.dispatcher.call('host.check', {});
    expect(host).toMatchObject({ ok: true, value: { facts: { cpuModel: 'recorded', arch: other.arch } } });
  });
});
