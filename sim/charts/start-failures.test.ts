// Programs that refuse their configuration, seen the way a person sees them on a real cluster: the pod
// CrashLoopBackOff in `kubectl get pods`, the program's own error in `kubectl logs`. Grafana with the
// project's December-2025 monitoring values (a second default datasource, llm-d issue #494) and with the
// guide's fix (llm-d PR #557); vLLM given a flag newer than its image; helm asked for a chart version the
// repository does not have.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, until, type World } from '../testkit.js';
import { FAST_SCENARIO } from '../scenario.js';

const MON = 'llm-d-monitoring';
const KPS = 'prometheus-community/kube-prometheus-stack';
// The grafana section of resources/stack/monitoring-values.yaml as of the December-2025 snapshot (the guide's
// install-prometheus-grafana.sh values before llm-d PR #557), verbatim.
const DECEMBER_VALUES = `grafana:
  adminPassword: admin
  service:
    type: ClusterIP
  sidecar:
    dashboards:
      enabled: true
      searchNamespace: ALL
  additionalDataSources: []
  datasources:
    datasources.yaml:
      apiVersion: 1
      datasources:
        - name: Prometheus
          type: prometheus
          url: http://llmd-kube-prometheus-stack-prometheus.llm-d-monitoring.svc.cluster.local:9090
          access: proxy
          isDefault: true
`;

interface CStatus { name: string; ready: boolean; restartCount: number; state: { waiting?: { reason: string } }; lastState: { terminated?: { exitCode: number; reason: string } } }
interface Pod { metadata: { name: string; deletionTimestamp?: string; annotations?: Record<string, string> }; status?: { containerStatuses?: CStatus[] } }

let w: World;
let values: string;
beforeAll(async () => {
  w = makeWorld();
  // An x86_64 node: the vLLM image below is the amd64-only one the project used on Intel/AMD hosts
  // (public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo, sim/registry/catalog.ts); run() passes this env object.
  w.env.LLMD_SIM_ARCH = 'amd64';
  values = join(w.state, 'monitoring-values.yaml');
  writeFileSync(values, DECEMBER_VALUES);
  const start = await w.run('minikube', ['start', '-p', 'llm-d-cpu', '--driver=docker', '--memory=24576', '--cpus=8']);
  if (start.exitCode !== 0) throw new Error(start.stderr);
  await w.run('helm', ['repo', 'add', 'prometheus-community', 'https://prometheus-community.github.io/helm-charts']);
}, 60_000);
afterAll(async () => { await w?.cleanup(); });

const pods = async (ns: string, selector: string): Promise<Pod[]> =>
  (JSON.parse((await w.kubectl(['get', 'pods', '-n', ns, '-l', selector, '-o', 'json'])).stdout) as { items: Pod[] }).items.filter((p) => !p.metadata.deletionTimestamp);
const container = (p: Pod | undefined, name: string) => p?.status?.containerStatuses?.find((c) => c.name === name);

describe('start failures in the simulated world', () => {
  it('helm refuses a kube-prometheus-stack version the repository does not have', async () => {
    const r = await w.run('helm', ['upgrade', '--install', 'llmd', KPS, '--version', '1.2.3', '-n', MON, '--create-namespace']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Error: chart "kube-prometheus-stack" matching 1.2.3 not found in prometheus-community index.');
  });

  it('Grafana with the December values crash-loops with Grafana\'s provisioning error; the fix makes it Ready', async () => {
    const install = await w.run('helm', ['upgrade', '--install', 'llmd', KPS, '--version', '88.5.3', '-n', MON, '--create-namespace', '-f', values]);
    expect(install.exitCode, install.stderr).toBe(0);
    const crashing = await until('grafana CrashLoopBackOff with 2 restarts', async () => {
      const p = (await pods(MON, 'app.kubernetes.io/name=grafana'))[0];
      const g = container(p, 'grafana');
      return g && g.restartCount >= 2 && g.state.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
    });
    expect(container(crashing, 'grafana')?.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    // The sidecars run: 2/3, as on a real cluster.
    expect(crashing.status?.containerStatuses?.filter((c) => c.ready).map((c) => c.name)).toEqual(['grafana-sc-dashboard', 'grafana-sc-datasources']);
    // Between restarts kubectl shows the waiting reason (the container briefly Runs after each back-off).
    await until('kubectl showing 2/3 CrashLoopBackOff', async () =>
      /llmd-grafana-\S+\s+2\/3\s+CrashLoopBackOff/.test((await w.kubectl(['get', 'pods', '-n', MON, '-l', 'app.kubernetes.io/name=grafana'])).stdout));
    const logs = await w.kubectl(['logs', '-n', MON, crashing.metadata.name, '-c', 'grafana']);
    expect(logs.stdout).toMatch(/logger=provisioning t=\d{4}-\d\d-\d\dT[\d:.]+Z level=error msg="Failed to provision data sources" error="Datasource provisioning error: datasource\.yaml config is invalid\. Only one datasource per organization can be marked as default"/);
    const events = JSON.parse((await w.kubectl(['get', 'events', '-n', MON, '-o', 'json'])).stdout) as { items: Array<{ reason: string; message: string }> };
    expect(events.items.some((e) => e.reason === 'BackOff' && e.message.startsWith('Back-off restarting failed container grafana'))).toBe(true);

    const fixed = await w.run('helm', ['upgrade', '--install', 'llmd', KPS, '-n', MON, '-f', values, '--set', 'grafana.sidecar.datasources.defaultDatasourceEnabled=false']);
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    const ready = await until('a Ready grafana pod', async () => {
      const p = (await pods(MON, 'app.kubernetes.io/name=grafana'))[0];
      return p && p.metadata.name !== crashing.metadata.name && p.status?.containerStatuses?.length === 3 && p.status.containerStatuses.every((c) => c.ready) ? p : undefined;
    });
    expect(container(ready, 'grafana')?.restartCount).toBe(0);
  }, 25_000);

  it('helm upgrade --reuse-values keeps the release\'s values and merges the command\'s over them; without it the upgrade has only its own', async () => {
    const ns = 'reuse-values';
    const config = async () => (JSON.parse((await w.run('helm', ['status', 'reuse', '-n', ns, '-o', 'json'])).stdout) as { config: { grafana?: { adminPassword?: string; datasources?: unknown } } }).config;
    expect((await w.run('helm', ['upgrade', '--install', 'reuse', KPS, '-n', ns, '--create-namespace', '-f', values])).exitCode).toBe(0);
    expect((await w.run('helm', ['upgrade', 'reuse', KPS, '-n', ns, '--reuse-values', '--set', 'grafana.adminPassword=changed'])).exitCode).toBe(0);
    const reused = await config();
    expect(reused.grafana?.adminPassword).toBe('changed');
    expect(reused.grafana?.datasources).toBeDefined();
    expect((await w.run('helm', ['upgrade', 'reuse', KPS, '-n', ns, '--set', 'grafana.adminPassword=again'])).exitCode).toBe(0);
    expect((await config()).grafana).toEqual({ adminPassword: 'again' });
    await w.run('helm', ['uninstall', 'reuse', '-n', ns]);
  }, 20_000);

  it('vLLM v0.9.3 given --kv-cache-memory-bytes exits 2 with argparse\'s error and crash-loops', async () => {
    const file = join(w.state, 'vllm.json');
    writeFileSync(file, JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'old-vllm', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'old-vllm' } }, template: { metadata: { labels: { app: 'old-vllm' } }, spec: { containers: [{
        name: 'vllm', image: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.9.3', command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
        args: ['--model', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', '--port', '8200', '--max-model-len', '2048', '--kv-cache-memory-bytes', '104857600'],
      }] } } },
    }));
    expect((await w.kubectl(['apply', '-f', file])).exitCode).toBe(0);
    const p = await until('vllm CrashLoopBackOff', async () => {
      const pod = (await pods('default', 'app=old-vllm'))[0];
      return container(pod, 'vllm')?.state.waiting?.reason === 'CrashLoopBackOff' ? pod : undefined;
    });
    expect(container(p, 'vllm')?.lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    const logs = (await w.kubectl(['logs', '-n', 'default', p.metadata.name, '-c', 'vllm'])).stdout;
    expect(logs).toContain('api_server.py: error: unrecognized arguments: --kv-cache-memory-bytes 104857600');
    expect(logs).not.toContain('Starting vLLM API server');
  }, 20_000);
});

describe('a node CPU without bf16 (scenario node.bf16: false)', () => {
  let nw: World;
  beforeAll(async () => {
    nw = makeWorld(`${readFileSync(FAST_SCENARIO, 'utf8')}\nnode:\n  bf16: false\n`);
    nw.env.LLMD_SIM_ARCH = 'amd64';
    const start = await nw.run('minikube', ['start', '-p', 'llm-d-cpu', '--driver=docker', '--memory=24576', '--cpus=8']);
    if (start.exitCode !== 0) throw new Error(start.stderr);
  }, 60_000);
  afterAll(async () => { await nw?.cleanup(); });

  const server = (name: string, dtype: string) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{
      name: 'modelserver', image: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', command: ['vllm', 'serve'],
      args: ['HuggingFaceTB/SmolLM2-360M-Instruct', '--max-model-len=4096', `--dtype=${dtype}`], ports: [{ name: 'modelserver', containerPort: 8000 }],
    }] } } },
  });

  it('a bfloat16 model server dies with SIGILL and crash-loops; the float32 one starts', async () => {
    const files = [server('bf16-server', 'bfloat16'), server('f32-server', 'float32')].map((d) => {
      const file = join(nw.state, `${d.metadata.name}.json`);
      writeFileSync(file, JSON.stringify(d));
      return file;
    });
    const apply = await nw.kubectl(['apply', ...files.flatMap((f) => ['-f', f])]);
    expect(apply.exitCode, apply.stderr).toBe(0);
    const podsIn = async (selector: string): Promise<Pod[]> =>
      (JSON.parse((await nw.kubectl(['get', 'pods', '-n', 'default', '-l', selector, '-o', 'json'])).stdout) as { items: Pod[] }).items;
    const crashed = await until('bf16 CrashLoopBackOff', async () => {
      const pod = (await podsIn('app=bf16-server'))[0];
      return container(pod, 'modelserver')?.state.waiting?.reason === 'CrashLoopBackOff' ? pod : undefined;
    });
    expect(container(crashed, 'modelserver')?.lastState.terminated).toMatchObject({ exitCode: 132, reason: 'Error' });
    expect((await nw.kubectl(['logs', '-n', 'default', crashed.metadata.name, '-c', 'modelserver'])).stdout).toContain('Illegal instruction (core dumped)');
    await until('float32 server ready', async () => container((await podsIn('app=f32-server'))[0], 'modelserver')?.ready === true);
  }, 30_000);
});
