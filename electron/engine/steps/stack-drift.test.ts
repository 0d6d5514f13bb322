// The stack step's drift check: which Deployments it owns for each release (named by release.yaml, replicas
// from the settings and the rendered values) and the sentence detect() gives for each hand-made change.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/api/settings.js';
import { planContext } from '../plan/build-plan.js';
import { ownedDeployments, stackDrift } from './stack-drift.js';

const linux = { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } } as const;
const v09 = planContext({ ...defaultSettings(), replicas: 2 }, linux);
const guide = planContext({ ...defaultSettings(), release: 'llm-d-0.4-cpu-guide', replicas: 1 }, linux);

describe('stack drift', () => {
  it('owns the model servers at the settings\' replicas and the EPP at the rendered values\' replicas, for both releases', () => {
    expect(ownedDeployments(v09.release, v09.settings, v09.renderedStack())).toEqual([
      { name: 'optimized-baseline-cpu-vllm-decode', replicas: 2, wantedBy: 'settings' },
      { name: 'optimized-baseline-epp', replicas: 1, wantedBy: 'stack' },
    ]);
    expect(ownedDeployments(guide.release, guide.settings, guide.renderedStack())).toEqual([
      { name: 'ms-cpu-inference-llm-d-modelservice-decode', replicas: 1, wantedBy: 'settings' },
      { name: 'gaie-cpu-inference-epp', replicas: 1, wantedBy: 'stack' },
    ]);
    // The EPP's number is the values file's, as the chart reads it (inferenceExtension.replicas).
    const three = guide.renderedStack().map((f) => (f.name === 'gaie-values.yaml' ? { ...f, content: f.content.replace(/^( {2}replicas:) 1$/m, '$1 3') } : f));
    expect(ownedDeployments(guide.release, guide.settings, three)[1]).toEqual({ name: 'gaie-cpu-inference-epp', replicas: 3, wantedBy: 'stack' });
  });

  it('says which Deployment was scaled or deleted by hand, and nothing when the cluster has what the stack deploys', () => {
    const owned = ownedDeployments(v09.release, v09.settings, v09.renderedStack());
    const healthy = [{ name: 'optimized-baseline-cpu-vllm-decode', replicas: 2 }, { name: 'optimized-baseline-epp', replicas: 1 }, { name: 'someone-elses', replicas: 0 }];
    expect(stackDrift(owned, healthy)).toEqual([]);
    expect(stackDrift(owned, [{ name: 'optimized-baseline-cpu-vllm-decode', replicas: 0 }, { name: 'optimized-baseline-epp', replicas: 1 }]))
      .toEqual(['Deployment optimized-baseline-cpu-vllm-decode has 0 replicas; the settings want 2 — changed outside the app']);
    expect(stackDrift(owned, [{ name: 'optimized-baseline-cpu-vllm-decode', replicas: 3 }])).toEqual([
      'Deployment optimized-baseline-cpu-vllm-decode has 3 replicas; the settings want 2 — changed outside the app',
      'Deployment optimized-baseline-epp is missing — deleted outside the app',
    ]);
    expect(stackDrift(owned, [{ name: 'optimized-baseline-cpu-vllm-decode', replicas: 2 }, { name: 'optimized-baseline-epp', replicas: 0 }]))
      .toEqual(['Deployment optimized-baseline-epp has 0 replicas; the stack deploys 1 — changed outside the app']);
  });
});
