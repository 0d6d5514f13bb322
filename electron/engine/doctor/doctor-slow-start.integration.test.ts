// vLLM compiling for longer than the install waits (a slow CPU: the sim's slowStartup fault, well inside the
// startup probe's budget): the ready step times out with the model servers at 1/2, the doctor's
// decode-starting finding says for how long they have been starting and what is normal on CPU, and its
// "keep waiting" fix sets a longer wait and runs the install again, which resumes at the wait and finishes.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
afterAll(cleanup);
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;

describe('model servers still compiling when the install stops waiting', () => {
  it('ready times out at 1/2; `doctor --fix decode-starting:keep-waiting` extends the wait and the install finishes', { timeout: 240_000 }, async () => {
    // vLLM's 240 s start × 12 = 2880 s (29 s at the fast scenario's 0.01): inside the probe's 3615 s, far past a 2 s wait.
    const { dir, env } = await world([{ kind: 'slowStartup', container: 'vllm', factor: 12 }], { LLMD_WAIT_DECODE_MS: '2000' });
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const home = env.LLMD_INSTALLER_HOME!;
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ driver: 'docker', mirror, replicas: 1 }));

    const up = await cli(['up', '--yes', '--json'], env);
    expect(up.code, up.out).toBe(1);
    expect((JSON.parse(up.out) as { error: { code: string } }).error.code).toBe('TIMEOUT');

    const report = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    const starting = report.results.find((r) => r.id === 'decode-starting')!;
    expect(starting.outcome, JSON.stringify(starting, null, 1)).toBe('finding');
    expect(starting.finding!.summary).toMatch(/^1 model server is still starting .*: \d+ s so far, \d+ min left of the startup probe's 60 min\. On CPU SmolLM2 360M Instruct normally takes 3–5 min .* The install stopped waiting before it was done\.$/);
    const keep = starting.finding!.fixes.find((f) => f.id === 'keep-waiting');
    // What the probe still allows (3615 s less the seconds vLLM has run) plus 5 min, in minutes.
    expect(keep).toMatchObject({ kind: 'settings', settings: { decodeWaitMinutes: expect.any(Number) } });
    const wait = keep?.kind === 'settings' ? Number(keep.settings.decodeWaitMinutes) : NaN;
    expect(wait).toBeGreaterThanOrEqual(60);
    expect(wait).toBeLessThanOrEqual(66);

    const fixed = await cli(['doctor', '--fix', 'decode-starting:keep-waiting', '--yes'], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    // It resumed at the wait: the stack was not deployed again.
    expect(fixed.out).toMatch(/stack: already done/);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ decodeWaitMinutes: wait });
    const after = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    expect(after.results.find((r) => r.id === 'decode-starting')!.outcome).toBe('passed');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
