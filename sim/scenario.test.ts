import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerStartupSeconds, imageSizeMB, modelSizeMB, parseScenario, scaledMs, SCENARIO_DIR } from './scenario.js';

const load = (name: string) => parseScenario(readFileSync(join(SCENARIO_DIR, name), 'utf8'), name);

describe('scenario files', () => {
  it('realistic has a real laptop\'s durations; fast is the same scaled by 0.01', () => {
    const real = load('realistic.yaml');
    const fast = load('fast.yaml');
    expect(real.timeScale).toBe(1);
    expect(fast.timeScale).toBe(0.01);
    expect(real.durations).toEqual(fast.durations);
    expect(real.durations.minikubeStart).toBe(90);
    // vLLM's ~240 s start: downloading SmolLM2's weights (~29 s), then loading and warm-up.
    const download = modelSizeMB(real, 'HuggingFaceTB/SmolLM2-360M-Instruct') / real.models.downloadMBps;
    expect(download).toBeGreaterThan(25);
    expect(containerStartupSeconds(real, 'vllm') + download).toBeCloseTo(240, -1);
    expect(real.models).toEqual(fast.models);
    // The 4 GB vLLM CPU image takes about 300 s at the pull speed; the others 20–40 s.
    const pull = (image: string) => imageSizeMB(real, image) / real.images.pullMBps;
    expect(pull('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64')).toBeGreaterThan(280);
    expect(pull('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64')).toBeLessThan(320);
    // The default release's vLLM image (resources/releases/llm-d-0.9-optimized-baseline) is as large.
    expect(pull('docker.io/vllm/vllm-openai-cpu:v0.26.0')).toBeGreaterThan(280);
    expect(pull('quay.io/petecheslock/llm-d-routing-sidecar:v0.4.0-rc.1-arm64')).toBeGreaterThanOrEqual(20);
    expect(pull('docker.io/grafana/grafana:12.3.0')).toBeLessThanOrEqual(40);
    expect(scaledMs(fast, 90)).toBe(900);
  });

  it('a tool fault may omit kind; slowStartup multiplies one container\'s startup', () => {
    const s = parseScenario('timeScale: 1\nfaults:\n  - { tool: helmfile, match: sync, exitCode: 1 }\n  - { kind: slowStartup, factor: 3 }\n');
    expect(s.faults[0]).toMatchObject({ kind: 'toolFailure', tool: 'helmfile', match: 'sync' });
    expect(containerStartupSeconds(s, 'vllm')).toBe(15);
    expect(containerStartupSeconds(s, 'epp')).toBe(5);
  });

  it('refuses unknown fault kinds and bad values with the path of the problem', () => {
    expect(() => parseScenario('timeScale: 1\nfaults: [{ kind: nope }]', 'x.yaml')).toThrow(/x\.yaml: invalid scenario/);
    expect(() => parseScenario('timeScale: -1')).toThrow(/timeScale/);
  });
});
