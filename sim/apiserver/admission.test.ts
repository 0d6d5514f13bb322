// Gateway API v1.5.1's safe-upgrades ValidatingAdmissionPolicy, enforced by the simulated API server as the
// real one enforces it: the real kubectl server-side-applies the mirror's v1.5.1 and GAIE v1.5.0 manifests,
// then the v1.4.0 CRDs are refused with the policy's message, in the Status the real API server returns.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { mirrorPath } from '../mirror/build.js';
import { SAFE_UPGRADES } from '../mirror/crds.js';
import { SIM_CRD_MANIFESTS } from '../upstream.js';
import { startHarness, type Harness } from './test-harness.js';
import { CRD_TYPE } from './resources.js';
import type { KubeObject } from './types.js';
import { StoreError } from './types.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

const file = (m: { url: string }) => mirrorPath(m.url);
const docs = (m: { url: string }): KubeObject[] => parseAllDocuments(readFileSync(file(m), 'utf8')).map((d) => d.toJSON() as KubeObject).filter(Boolean);
const DENIAL = `ValidatingAdmissionPolicy '${SAFE_UPGRADES}' with binding '${SAFE_UPGRADES}' denied request: Installing CRDs with version before v1.5.0 is prohibited by default. Uninstall ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io to install older versions.`;

describe('the mirror serves the CRD manifests of llm-d v0.9.0', () => {
  it('Gateway API v1.5.1: the standard channel CRDs (listenersets, tlsroutes) then the policy and its binding', () => {
    expect(docs(SIM_CRD_MANIFESTS.gatewayApiV151).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      ...['backendtlspolicies', 'gatewayclasses', 'gateways', 'grpcroutes', 'httproutes', 'listenersets', 'referencegrants', 'tlsroutes']
        .map((p) => `CustomResourceDefinition/${p}.gateway.networking.k8s.io`),
      `ValidatingAdmissionPolicy/${SAFE_UPGRADES}`, `ValidatingAdmissionPolicyBinding/${SAFE_UPGRADES}`,
    ]);
    for (const crd of docs(SIM_CRD_MANIFESTS.gatewayApiV151).filter((o) => o.kind === 'CustomResourceDefinition')) {
      expect(crd.metadata.annotations).toMatchObject({ 'gateway.networking.k8s.io/bundle-version': 'v1.5.1', 'gateway.networking.k8s.io/channel': 'standard' });
    }
  });

  it('GAIE v1.5.0 v1-manifests.yaml: only the v1 InferencePool, with appProtocol', () => {
    const all = docs(SIM_CRD_MANIFESTS.gaieV150);
    expect(all.map((o) => o.metadata.name)).toEqual(['inferencepools.inference.networking.k8s.io']);
    expect(JSON.stringify(all[0])).toContain('"appProtocol":{"type":"string","default":"http","enum":["http","kubernetes.io/h2c"]}');
  });
});

describe('ValidatingAdmissionPolicy safe-upgrades (gateway-api v1.5.1)', () => {
  it('the real kubectl server-side-applies both manifests; the API serves the policy kinds', async () => {
    const r = await h.kubectl(['apply', '--server-side', '-f', file(SIM_CRD_MANIFESTS.gatewayApiV151), '-f', file(SIM_CRD_MANIFESTS.gaieV150)]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`validatingadmissionpolicy.admissionregistration.k8s.io/${SAFE_UPGRADES} serverside-applied`);
    expect(r.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/inferencepools.inference.networking.k8s.io serverside-applied');
    const table = (await h.kubectl(['get', 'validatingadmissionpolicies'])).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE$/);
    expect(table[1]).toMatch(new RegExp(`^${SAFE_UPGRADES.replace(/\./g, '\\.')}\\s+2\\s+<unset>\\s+\\d+s$`));
    const names = await h.kubectl(['get', 'validatingadmissionpolicybindings', '-o', 'name']);
    expect(names.stdout.trim()).toBe(`validatingadmissionpolicybinding.admissionregistration.k8s.io/${SAFE_UPGRADES}`);
    // Re-applying the same release passes the policy.
    expect((await h.kubectl(['apply', '--server-side', '-f', file(SIM_CRD_MANIFESTS.gatewayApiV151)])).exitCode).toBe(0);
  });

  it('re-applying the v1.4.0 CRDs is refused with the policy\'s message; the v1.5.1 CRDs stay', async () => {
    const r = await h.kubectl(['apply', '--server-side', '-f', file(SIM_CRD_MANIFESTS.gatewayApi)]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`customresourcedefinitions.apiextensions.k8s.io "gateways.gateway.networking.k8s.io" is forbidden: ${DENIAL}`);
    const gw = h.store.get(CRD_TYPE, undefined, 'gateways.gateway.networking.k8s.io');
    expect(gw?.metadata.annotations?.['gateway.networking.k8s.io/bundle-version']).toBe('v1.5.1');
  });

  it('answers 422 Invalid with the Status the real API server builds (details name/group/kind and one cause)', async () => {
    const old = docs(SIM_CRD_MANIFESTS.gatewayApi).find((o) => o.metadata.name === 'httproutes.gateway.networking.k8s.io');
    const res = await fetch(`${h.server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/httproutes.gateway.networking.k8s.io?fieldManager=test&force=true`, {
      method: 'PATCH', headers: { 'content-type': 'application/apply-patch+yaml' }, body: JSON.stringify(old),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
      message: `customresourcedefinitions.apiextensions.k8s.io "httproutes.gateway.networking.k8s.io" is forbidden: ${DENIAL}`,
      details: { name: 'httproutes.gateway.networking.k8s.io', group: 'apiextensions.k8s.io', kind: 'customresourcedefinitions', causes: [{ message: DENIAL }] },
    });
  });

  it('a create is judged too (no bundle-version, or an old one), other groups are not', () => {
    const crd = (name: string, group: string, annotations?: Record<string, string>): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${name}s.${group}`, ...(annotations ? { annotations } : {}) },
      spec: { group, scope: 'Namespaced', names: { kind: name, plural: `${name}s` }, versions: [{ name: 'v1', served: true, storage: true }] },
    });
    expect(() => h.store.create(CRD_TYPE, crd('udproute', 'gateway.networking.k8s.io'))).toThrow(StoreError);
    expect(() => h.store.create(CRD_TYPE, crd('tcproute', 'gateway.networking.k8s.io', { 'gateway.networking.k8s.io/bundle-version': 'v1.4.1' }))).toThrow(/before v1\.5\.0/);
    expect(() => h.store.create(CRD_TYPE, crd('widget', 'example.com'))).not.toThrow();
    expect(() => h.store.create(CRD_TYPE, crd('xbackendtrafficpolicie', 'gateway.networking.k8s.io', { 'gateway.networking.k8s.io/bundle-version': 'v1.6.0', 'gateway.networking.k8s.io/channel': 'experimental' }))).not.toThrow();
  });

  it('experimental CRDs over standard ones are refused on update', () => {
    const live = h.store.get(CRD_TYPE, undefined, 'grpcroutes.gateway.networking.k8s.io') as KubeObject;
    const experimental = { ...live, metadata: { ...live.metadata, annotations: { ...live.metadata.annotations, 'gateway.networking.k8s.io/channel': 'experimental' } } };
    expect(() => h.store.update(CRD_TYPE, experimental)).toThrow('Installing experimental CRDs on top of standard channel CRDs is prohibited by default.');
  });

  it('without the binding nothing is enforced', async () => {
    expect((await h.kubectl(['delete', 'validatingadmissionpolicybinding', SAFE_UPGRADES])).exitCode).toBe(0);
    const r = await h.kubectl(['apply', '--server-side', '-f', file(SIM_CRD_MANIFESTS.gatewayApi)]);
    expect(r.exitCode, r.stderr).toBe(0);
  });
});
