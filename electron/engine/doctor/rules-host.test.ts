// The doctor's rules about the machine around the cluster, from fixtures: the podman machine, the forwards'
// local ports, the tools' versions, and the metrics port names the monitors select — each with a finding
// (evidence naming the object, the fixes), nothing to find, and not applicable.
import { describe, expect, it } from 'vitest';
import type { ToolStatus } from '../../../shared/api/engine.js';
import { ago, AT, decodePod, eppPod, forward, journal, plan, snapshot } from './fixtures.testkit.js';
import { parseLsof, listeningInode } from './collect-ports.js';
import { localPort } from './rules/local-port.js';
import { metricsPort } from './rules/metrics-port.js';
import { CPUSET_FLAGS, podmanMachine } from './rules/podman-machine.js';
import { toolVersion } from './rules/tool-version.js';
import { runRule } from './run.js';
import type { LocalPortSnapshot, MonitorSnapshot, PodmanMachineSnapshot, ServiceSnapshot, Snapshot } from './snapshot.js';

/** macOS with podman: the plan uses the default podman machine, which must be 10 CPUs / 28672 MiB / 120 GB for the defaults. */
const macPlan = () => {
  const p = plan({ driver: 'podman' });
  return { ...p, platform: 'darwin', usesPodmanMachine: true };
};
const machineSnap = (over: Partial<NonNullable<PodmanMachineSnapshot['machine']>> = {}, extra: Partial<PodmanMachineSnapshot> = {}): PodmanMachineSnapshot => ({
  name: 'podman-machine-default', at: AT.toISOString(), want: { cpus: 10, memoryMiB: 28672, diskGB: 120 },
  machine: { name: 'podman-machine-default', state: 'running', cpus: 10, memoryMiB: 28672, diskGB: 120, rootful: true, isDefault: true, ...over },
  commands: [['podman', 'machine', 'list', '--format', 'json'], ['podman', 'machine', 'inspect', 'podman-machine-default']],
  output: ['"Rootful": true', '"State": "running"'],
  ...extra,
});

describe('podman-machine', () => {
  it('a rootless, too small machine: names it, its size against the settings, and the step\'s own repair commands', () => {
    const s = snapshot({ plan: macPlan(), podman: machineSnap({ rootful: false, cpus: 4, memoryMiB: 8192 }, { output: ['"Rootful": false', '"State": "running"'] }) });
    const f = podmanMachine.check(s)!;
    expect(f.severity).toBe('error');
    expect(f.summary).toBe('The podman machine podman-machine-default cannot host minikube as set: it is rootless, and Kubernetes needs a rootful machine to set resource limits (rlimits); it has 4 CPUs where the settings need 10; it has 8192 MiB of memory where the settings need 28672.');
    expect(f.evidence[0]).toMatchObject({ source: 'podman-machine/podman-machine-default', at: AT.toISOString() });
    expect(f.evidence[0]!.lines).toEqual(expect.arrayContaining(['state running, rootless, 4 CPUs, 8192 MiB, 120 GB', '$ podman machine inspect podman-machine-default', '"Rootful": false']));
    expect(f.fixes[0]).toEqual({ kind: 'commands', id: 'repair', label: expect.any(String), commands: [
      ['podman', 'machine', 'stop', 'podman-machine-default'],
      ['podman', 'machine', 'set', '--rootful', '--cpus', '10', '--memory', '28672', 'podman-machine-default'],
      ['podman', 'machine', 'start', 'podman-machine-default'],
    ] });
    expect(f.fixes.at(-1)).toMatchObject({ id: 'install-again', commands: [['npm', 'run', 'cli', '--', 'up', '--yes', '--driver', 'podman']] });
  });
  it('a machine stuck in "starting": stop, then start', () => {
    const f = podmanMachine.check(snapshot({ plan: macPlan(), podman: machineSnap({ state: 'starting' }) }))!;
    expect(f.summary).toMatch(/stuck in "starting"/);
    expect(f.fixes[0]).toMatchObject({ id: 'restart', commands: [['podman', 'machine', 'stop', 'podman-machine-default'], ['podman', 'machine', 'start', 'podman-machine-default']] });
  });
  it('the guide\'s Common Issues in the last install\'s minikube start: rlimits (rootful) and cpuset (the kubeadm flags)', () => {
    const failed = (lastLines: string[]) => journal([{ id: 'minikube-start', state: 'failed', endedAt: ago(20), error: { code: 'TOOL_FAILED', message: '`minikube start -p llm-d-cpu` exited with code 80', details: { command: ['minikube'], exitCode: 80, lastLines } } }]);
    const rl = podmanMachine.check(snapshot({ plan: macPlan(), podman: machineSnap(), journal: failed(['X Exiting due to GUEST_START', 'Error: crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied']) }))!;
    expect(rl.summary).toMatch(/step minikube-start failed with an rlimits permission error/);
    expect(rl.evidence).toEqual([{ source: 'journal/run-42', at: ago(20), lines: ['step minikube-start failed:', 'Error: crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied'] }]);
    // The machine is rootful now: podman's default connection is the suspect.
    expect(rl.summary).toMatch(/podman-machine-default is rootful now, so check that podman's default connection is its root one/);
    expect(rl.fixes[0]).toMatchObject({ id: 'root-connection', commands: [['podman', 'system', 'connection', 'list'], ['podman', 'system', 'connection', 'default', 'podman-machine-default-root']] });
    // Unknown (inspect said nothing of it): the guide's fix.
    const unknown = podmanMachine.check(snapshot({ plan: macPlan(), podman: machineSnap({ rootful: undefined }), journal: failed(['Error: crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied']) }))!;
    expect(unknown.fixes[0]).toMatchObject({ id: 'rootful', commands: [expect.any(Array), ['podman', 'machine', 'set', '--rootful', 'podman-machine-default'], expect.any(Array)] });
    const cs = podmanMachine.check(snapshot({ plan: macPlan(), podman: machineSnap(), journal: failed(['\t[ERROR SystemVerification]: missing required cgroups: cpuset']) }))!;
    expect(cs.summary).toMatch(/kubeadm looks for the cpuset cgroup/);
    expect(cs.fixes[0]!.kind === 'commands' && cs.fixes[0]!.commands[1]).toEqual(expect.arrayContaining(['minikube', 'start', '-p', 'llm-d-cpu', '--driver=podman', ...CPUSET_FLAGS]));
    // The start had the flags and still met it: the machine itself is broken — remove and recreate it (guide).
    const withFlags = journal([{ id: 'minikube-start', state: 'failed', endedAt: ago(20), error: { code: 'TOOL_FAILED', message: 'minikube start failed', details: { command: ['minikube', 'start', ...CPUSET_FLAGS], lastLines: ['[ERROR SystemVerification]: missing required cgroups: cpuset'] } } }]);
    const again = podmanMachine.check(snapshot({ plan: macPlan(), podman: machineSnap(), journal: withFlags }))!;
    expect(again.fixes.map((x) => x.id)).toEqual(['recreate-machine', 'install-again']);
    expect(again.fixes[0]).toMatchObject({ commands: [['minikube', 'delete', '-p', 'llm-d-cpu'], ['podman', 'machine', 'rm', '-f', 'podman-machine-default'], ['podman', 'machine', 'init', '--cpus', '10', '--memory', '28672', '--disk-size', '120', '--rootful', 'podman-machine-default'], ['podman', 'machine', 'start', 'podman-machine-default']] });
  });
  it('passes a rootful machine of the right size, and does not apply without a podman machine', () => {
    expect(podmanMachine.check(snapshot({ plan: macPlan(), podman: machineSnap() }))).toBeUndefined();
    expect(podmanMachine.check(snapshot({ plan: macPlan(), podman: machineSnap({ cpus: 12, memoryMiB: 32768, diskGB: 200 }) }))).toBeUndefined();
    expect(runRule(podmanMachine, snapshot())).toMatchObject({ outcome: 'not-applicable', note: 'the plan uses no podman machine (driver docker on linux)' });
    expect(runRule(podmanMachine, snapshot({ plan: macPlan(), podman: { ...machineSnap(), error: 'podman: not found' } }))).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('podman did not answer') });
  });
});

const port = (over: Partial<LocalPortSnapshot> = {}): LocalPortSnapshot => ({ forward: 'gateway', port: 8000, inUse: false, ours: false, how: 'nothing listens', ...over });

describe('local-port', () => {
  it('names the port, the process holding it and where the app\'s forward went instead', () => {
    const s = snapshot({
      localPorts: [port({ inUse: true, holder: { pid: 3131, command: 'python3' }, how: '/proc/net/tcp socket inode 991, /proc/3131/fd' }), port({ forward: 'grafana', port: 3000 })],
      forwards: [forward({ port: 41234, url: 'http://127.0.0.1:41234' })],
    });
    const f = localPort.check(s)!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toBe("Port 8000 on 127.0.0.1, where the app forwards the gateway, is held by process 3131 (python3), so the app's gateway forward is at http://127.0.0.1:41234 instead and http://127.0.0.1:8000 reaches that process, not the stack.");
    expect(f.evidence).toEqual([{ source: 'port/127.0.0.1:8000', at: AT.toISOString(), lines: ["gateway's port 8000: in use by process 3131 (python3)", 'found with /proc/net/tcp socket inode 991, /proc/3131/fd', "the app's gateway forward: http://127.0.0.1:41234 (pid 4242)"] }]);
    expect(f.fixes).toEqual([
      { kind: 'commands', id: 'find-holder', label: 'See which process holds 8000 and what it runs', commands: [['ss', '-ltnp', 'sport = :8000'], ['ps', '-o', 'pid,user,args', '-p', '3131']] },
      expect.objectContaining({ id: 'stop-holder', commands: [['kill', '3131']] }),
    ]);
  });
  it('passes free ports and the app\'s own forwards; does not apply when not collected', () => {
    expect(localPort.check(snapshot({ localPorts: [port(), port({ forward: 'prometheus', port: 9090, inUse: true, ours: true })] }))).toBeUndefined();
    expect(runRule(localPort, snapshot())).toMatchObject({ outcome: 'not-applicable' });
  });
  it('reads the holder from /proc/net/tcp (loopback and any-address listeners only) and from lsof -F', () => {
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    const tcp = `${header}   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 991 1 0000000000000000 100 0 0 10 0\n   1: 0100007F:1F40 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 992 1\n`;
    expect(listeningInode(8000, { tcp, tcp6: header })).toBe('991');
    expect(listeningInode(3000, { tcp, tcp6: header })).toBeUndefined();
    // Listening on another address only (a LAN IP) is not what 127.0.0.1 reaches.
    expect(listeningInode(8000, { tcp: tcp.replace('0100007F:1F40 00000000', '0A01A8C0:1F40 00000000'), tcp6: header })).toBeUndefined();
    expect(parseLsof('p3131\ncpython3\nf4\n')).toEqual({ pid: 3131, command: 'python3' });
    expect(parseLsof('')).toBeUndefined();
  });
});

const tool = (over: Partial<ToolStatus>): ToolStatus => ({ name: 'helm', required: true, installed: true, version: '3.19.0', minimum: '3.12.0', pinned: '3.19.0', path: '/usr/local/bin/helm', source: 'system', ok: true, install: 'download', ...over });

describe('tool-version', () => {
  it('names the tool, the version found, the minimum and how to get a newer one', () => {
    const s = snapshot({ tools: [tool({ version: '3.10.3', ok: false, problem: 'helm 3.10.3 is older than the minimum 3.12.0. Install the pinned version.' }), tool({ name: 'podman', version: '4.0.2', minimum: '4.1.0', required: false, install: 'manual', pinned: undefined, path: '/usr/bin/podman' })] });
    const f = toolVersion.check(s)!;
    expect(f.severity).toBe('error');
    expect(f.summary).toBe('helm 3.10.3 is older than the minimum 3.12.0 the installer needs (/usr/local/bin/helm). 1 more tool is too old (below).');
    expect(f.evidence[0]).toEqual({ source: 'tool/helm', lines: ['found 3.10.3 at /usr/local/bin/helm (on PATH); minimum 3.12.0, the app installs 3.19.0', 'helm 3.10.3 is older than the minimum 3.12.0. Install the pinned version.', 'the settings need it'] });
    expect(f.evidence[1]!.source).toBe('tool/podman');
    expect(f.fixes.map((x) => x.id)).toEqual(['update-podman', 'install-pinned']);
    expect(f.fixes[1]).toMatchObject({ commands: [['npm', 'run', 'cli', '--', 'up', '--yes']] });
    // Only an optional tool too old: worth saying, not an error.
    expect(toolVersion.check(snapshot({ tools: [tool({ name: 'kubectl', required: false, version: '1.20.0', minimum: '1.29.0' })] }))!.severity).toBe('info');
  });
  it('passes tools at or above the minimum (build metadata and a leading v coerced) and missing ones; not applicable when not collected', () => {
    expect(toolVersion.check(snapshot({ tools: [tool({ version: 'v3.12.0+g1234567' }), tool({ name: 'minikube', installed: false, version: undefined, minimum: '1.32.0' })] }))).toBeUndefined();
    expect(runRule(toolVersion, snapshot())).toMatchObject({ outcome: 'not-applicable', note: 'the prerequisite tools were not looked at' });
  });
});

const eppService = (ports: ServiceSnapshot['ports']): ServiceSnapshot => ({ namespace: 'llm-d-cpu-inference', name: 'optimized-baseline-epp', labels: { 'app.kubernetes.io/name': 'optimized-baseline-epp' }, ports });
const eppMonitor: MonitorSnapshot = { kind: 'ServiceMonitor', namespace: 'llm-d-cpu-inference', name: 'optimized-baseline-epp-monitor', selector: { 'app.kubernetes.io/name': 'optimized-baseline-epp' }, ports: ['http-metrics'] };
const monitored = (services: ServiceSnapshot[], items: MonitorSnapshot[] = [eppMonitor], podPorts: Record<string, string[]> = {}, over: Partial<Snapshot> = {}) =>
  snapshot({ monitors: { crd: true, items, services, podPorts }, ...over });

describe('metrics-port', () => {
  it('the EPP Service\'s metrics port under another name than the ServiceMonitor selects: names both, renames it in place', () => {
    const s = monitored([eppService([{ name: 'grpc-ext-proc', port: 9002 }, { name: 'metrics', port: 9090 }, { name: 'http', port: 80 }])]);
    const f = metricsPort.check(s)!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toBe('Prometheus does not scrape the EPP: ServiceMonitor optimized-baseline-epp-monitor selects the port named "http-metrics", but Service optimized-baseline-epp has only grpc-ext-proc 9002, metrics 9090, http 80, so the Grafana panels fed by it stay empty.');
    expect(f.evidence).toEqual([
      { source: 'servicemonitor/llm-d-cpu-inference/optimized-baseline-epp-monitor', lines: ['scrapes port "http-metrics" of Services labelled app.kubernetes.io/name=optimized-baseline-epp'] },
      { source: 'service/llm-d-cpu-inference/optimized-baseline-epp', lines: ['ports: grpc-ext-proc 9002, metrics 9090, http 80 — none named "http-metrics"'] },
    ]);
    expect(f.fixes[0]).toMatchObject({ kind: 'commands', commands: [['kubectl', '--context', 'llm-d-cpu', '-n', 'llm-d-cpu-inference', 'patch', 'service', 'optimized-baseline-epp', '--type=json', '-p', '[{"op":"replace","path":"/spec/ports/1/name","value":"http-metrics"}]']] });
  });
  it('a decode PodMonitor whose port name no container port has', () => {
    const pod = decodePod('a');
    const pm: MonitorSnapshot = { kind: 'PodMonitor', namespace: pod.namespace, name: 'optimized-baseline-cpu-vllm-decode', selector: { 'llm-d.ai/role': 'decode' }, ports: ['modelserver'] };
    const f = metricsPort.check(monitored([], [pm], { [`${pod.namespace}/${pod.name}`]: ['http'] }, { pods: [pod] }))!;
    expect(f.summary).toMatch(/^Prometheus does not scrape the model servers: PodMonitor optimized-baseline-cpu-vllm-decode selects the port named "modelserver", but pod optimized-baseline-cpu-vllm-decode-7d9f-a has only http/);
    expect(f.evidence[1]).toEqual({ source: `pod/${pod.namespace}/${pod.name}`, lines: ['container ports: http — none named "modelserver"'] });
    expect(f.fixes).toEqual([{ kind: 'commands', id: 'point-optimized-baseline-cpu-vllm-decode', label: 'Point PodMonitor optimized-baseline-cpu-vllm-decode at the pods\' port "http"', commands: [['kubectl', '--context', 'llm-d-cpu', '-n', pod.namespace, 'patch', 'podmonitor', 'optimized-baseline-cpu-vllm-decode', '--type=json', '-p', '[{"op":"replace","path":"/spec/podMetricsEndpoints/0/port","value":"http"}]']] }]);
  });
  it('passes named ports and monitors that select nothing; not applicable without monitoring or a cluster', () => {
    expect(metricsPort.check(monitored([eppService([{ name: 'http-metrics', port: 9090 }])]))).toBeUndefined();
    expect(metricsPort.check(monitored([{ ...eppService([{ name: 'metrics', port: 9090 }]), labels: { app: 'other' } }]))).toBeUndefined();
    const epp = eppPod(plan(), ['--v=3']);
    const pm: MonitorSnapshot = { kind: 'PodMonitor', namespace: epp.namespace, name: 'x', selector: { nothing: 'matches' }, ports: ['metrics'] };
    expect(metricsPort.check(monitored([], [pm], {}, { pods: [epp] }))).toBeUndefined();
    expect(runRule(metricsPort, snapshot({ monitors: { crd: false, items: [], services: [], podPorts: {} } }))).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('monitoring is not installed') });
    expect(runRule(metricsPort, snapshot({ cluster: { reachable: false, why: 'x' } }))).toMatchObject({ outcome: 'not-applicable' });
  });
});
