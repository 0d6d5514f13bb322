// `helm --version` against the sim's chart models: each model has one version; another one is refused the
// way helm refuses a version its repository index (or OCI registry) does not have.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHARTS } from './index.js';
import { addRepo, HelmError, resolveChart, versionMatches } from '../tools/helm-core.js';

const state = mkdtempSync(join(tmpdir(), 'llmd-chart-versions-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));
addRepo(state, 'prometheus-community', 'https://prometheus-community.github.io/helm-charts');
addRepo(state, 'llm-d-modelservice', 'https://llm-d-incubation.github.io/llm-d-modelservice/');

describe('chart versions', () => {
  it('the fixed versions of the sim charts', () => {
    expect(Object.fromEntries(Object.values(CHARTS).map((c) => [c.name, c.version]))).toEqual({
      base: '1.28.1', istiod: '1.28.1', 'kube-prometheus-stack': '88.5.3', 'llm-d-infra': 'v1.3.4', inferencepool: 'v1.2.0-rc.1', 'llm-d-modelservice': 'v0.3.8',
      'llm-d-router-standalone': 'v0.10.0',
    });
  });

  it('no --version gets the only (newest) version; the exact one and an equal semver match', () => {
    expect(resolveChart(state, 'prometheus-community/kube-prometheus-stack').version).toBe('88.5.3');
    expect(resolveChart(state, 'prometheus-community/kube-prometheus-stack', '88.5.3').version).toBe('88.5.3');
    expect(resolveChart(state, 'llm-d-modelservice/llm-d-modelservice', '0.3.8').version).toBe('v0.3.8');
  });

  it('another version is refused with helm\'s repo-index error', () => {
    expect(() => resolveChart(state, 'prometheus-community/kube-prometheus-stack', '1.2.3')).toThrow(HelmError);
    expect(() => resolveChart(state, 'prometheus-community/kube-prometheus-stack', '1.2.3')).toThrow(
      'chart "kube-prometheus-stack" matching 1.2.3 not found in prometheus-community index. (try \'helm repo update\'): no chart version found for kube-prometheus-stack-1.2.3');
  });

  it('an OCI chart at a tag the registry lacks is not found', () => {
    const ref = 'oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool';
    expect(resolveChart(state, ref, 'v1.2.0-rc.1').version).toBe('v1.2.0-rc.1');
    expect(() => resolveChart(state, ref, 'v1.2.1')).toThrow('registry.k8s.io/gateway-api-inference-extension/charts/inferencepool:v1.2.1: not found');
  });

  it('semver constraints as helm (Masterminds) reads them', () => {
    expect(versionMatches('88.5.3', '^88.0.0')).toBe(true);
    expect(versionMatches('88.5.3', '~88.5')).toBe(true);
    expect(versionMatches('88.5.3', '88.x')).toBe(true);
    expect(versionMatches('88.5.3', '>=80, <88.5.3')).toBe(false);
    expect(versionMatches('88.5.3', '< 80 || >= 88')).toBe(true);
    expect(versionMatches('88.5.3', '79.7.1')).toBe(false);
    // A prerelease only satisfies a comparator that names one.
    expect(versionMatches('v1.2.0-rc.1', '>=1.0.0')).toBe(false);
    expect(versionMatches('v1.2.0-rc.1', '1.2.0-rc.1')).toBe(true);
    expect(versionMatches('v1.2.0-rc.1', 'v1.2.0-rc.1')).toBe(true);
  });
});
