// Grafana crash-looping on the sim, as on a cluster where monitoring was (re)installed with the December
// 2025 values — a second default datasource (llm-d issue #494): the doctor's crash-loop rule names the
// Grafana pod with Grafana's own provisioning error, and the exact command it offers makes Grafana run.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport, RuleResult } from '../../../shared/api/doctor.js';
import { DEFAULT_RELEASE_ID } from '../../../shared/stack.js';
import { loadRelease } from '../stack/releases.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
afterAll(cleanup);
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;

/** Asks the doctor until `ok` holds for the crash-loop rule's result (bounded: the sim's back-off is seconds). */
async function crashLoopUntil(env: NodeJS.ProcessEnv, ok: (r: RuleResult) => boolean, what: string): Promise<RuleResult> {
  let last: RuleResult | undefined;
  for (let i = 0; i < 60; i++) {
    const report = JSON.parse((await cli(['doctor', '--json', '--replicas', '1'], env)).out) as DoctorReport;
    last = report.results.find((r) => r.id === 'crash-loop');
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${what}: the crash-loop rule said ${JSON.stringify(last)}`);
}

describe('the doctor on a crash-looping Grafana', () => {
  it('two default datasources: the finding names the Grafana pod and its error, and the offered command makes it run', { timeout: 240_000 }, async () => {
    const { dir, env } = await world([]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const up = await cli(['up', '--yes', '--json', '--driver', 'docker', '--replicas', '1', '--mirror', mirror], env);
    expect(up.code, up.out).toBe(0);

    // Monitoring upgraded with the chart's own default datasource back on, as the December values had it.
    const release = loadRelease(DEFAULT_RELEASE_ID);
    const mon = release.charts.monitoring;
    execFileSync('helm', ['upgrade', mon.release, mon.chart, '--version', mon.version, '-n', release.monitoringNamespace, '--kube-context', 'llm-d-cpu',
      '--reuse-values', '--set', 'grafana.sidecar.datasources.defaultDatasourceEnabled=true'], { env, stdio: 'pipe' });

    const found = await crashLoopUntil(env, (r) => r.outcome === 'finding' && /Grafana/.test(r.finding!.summary), 'Grafana crash-looping');
    const f = found.finding!;
    expect(f.summary).toMatch(/^Grafana \(llmd-grafana-[a-z0-9]+-[a-z0-9]{5}\) will not start: two datasources are marked as default/);
    expect(f.evidence[0]!.source).toMatch(new RegExp(`^pod/${release.monitoringNamespace}/llmd-grafana-`));
    expect(f.evidence[0]!.lines.join('\n')).toContain('Only one datasource per organization can be marked as default');
    const fix = f.fixes.find((x) => x.id === 'one-default-datasource');
    expect(fix?.kind).toBe('commands');

    // The person runs exactly what the doctor offers.
    for (const [file, ...args] of fix!.kind === 'commands' ? fix!.commands : []) execFileSync(file!, args, { env, stdio: 'pipe' });
    await crashLoopUntil(env, (r) => r.outcome === 'passed', 'Grafana running after the fix');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
