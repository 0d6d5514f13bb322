// Snapshot fixtures for the doctor's rule tests: today's llm-d (the default release) on a Linux x86 host,
// pods shaped like the ones the simulated cluster (and a real one) has at each kind of failure.
import { defaultSettings, type Settings } from '../../../shared/api/settings.js';
import { planContext } from '../plan/build-plan.js';
import type { ContainerSnapshot, PodSnapshot, Snapshot } from './snapshot.js';

export const AT = new Date('2026-12-02T10:00:00Z');
export const ago = (seconds: number): string => new Date(AT.getTime() - seconds * 1000).toISOString();

export const plan = (over: Partial<Settings> = {}) =>
  planContext({ ...defaultSettings(), ...over }, { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false }, cpu: { bf16: true } });

export const container = (over: Partial<ContainerSnapshot> = {}): ContainerSnapshot => ({
  name: 'modelserver', image: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', ready: true, started: true, restartCount: 0,
  state: { kind: 'running', startedAt: ago(600) }, limits: { memory: '6Gi', cpu: '4' },
  startupProbe: { initialDelaySeconds: 15, periodSeconds: 30, failureThreshold: 120 },
  args: ['vllm', 'serve', 'HuggingFaceTB/SmolLM2-360M-Instruct', '--dtype=bfloat16'],
  ...over,
});

export const decodePod = (name: string, c: Partial<ContainerSnapshot> = {}, over: Partial<PodSnapshot> = {}): PodSnapshot => {
  const cs = container(c);
  return {
    namespace: 'llm-d-cpu-inference', name: `optimized-baseline-cpu-vllm-decode-7d9f-${name}`,
    labels: { 'llm-d.ai/guide': 'optimized-baseline', 'llm-d.ai/role': 'decode' },
    phase: 'Running', createdAt: ago(700), node: 'llm-d-cpu', podReady: cs.ready, readyText: cs.ready ? '1/1' : '0/1', conditions: [], containers: [cs],
    ...over,
  };
};

export const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  at: AT, plan: plan(), cluster: { reachable: true }, pods: [decodePod('a'), decodePod('b')], events: [], logs: {},
  nodes: [{ name: 'llm-d-cpu', arch: 'amd64', allocatable: { cpu: '8', memory: '24Gi' } }], gaps: [],
  ...over,
});
