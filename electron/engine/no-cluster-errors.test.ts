// Expected conditions are typed errors, never INTERNAL (reserved for bugs): issue #14 found
// `access.open` / `chat.models` with no cluster, and a pod name with an unpaired surrogate, answered
// INTERNAL. Through the dispatcher, as every transport calls it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './api.js';

let dir: string;
let engine: Engine;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-cluster-'));
  // A kubeconfig that names no cluster at all: nothing was ever started on this machine.
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  engine = createEngine({ dataDir: path.join(dir, 'home'), transport: 'web', rehearsal: false, env: { ...process.env, KUBECONFIG: kubeconfig, PATH: path.join(dir, 'empty-bin') } });
});
afterAll(async () => {
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Envelope = { ok: boolean; error?: { code: string; message: string } };
const call = async (method: string, payload: unknown) => (await engine.dispatcher.dispatch(method, payload)) as Envelope;

describe('typed errors with no cluster', () => {
  for (const name of ['gateway', 'prometheus', 'grafana']) {
    it(`access.open ${name} says there is no cluster`, async () => {
      const res = await call('access.open', { name });
      expect(res.ok).toBe(false);
      expect(res.error?.code).not.toBe('INTERNAL');
      expect(res.error?.code).toBe('KUBE');
    }, 30_000);
  }

  it('chat.models says there is no cluster', async () => {
    const res = await call('chat.models', {});
    expect(res.ok).toBe(false);
    expect(res.error?.code).toBe('KUBE');
  }, 30_000);

  it('pod.logs.start with a well-formed name and no cluster is KUBE too', async () => {
    const res = await call('pod.logs.start', { namespace: 'llm-d', pod: 'decode-1', container: 'vllm' });
    expect(res.ok).toBe(false);
    expect(res.error?.code).toBe('KUBE');
  }, 30_000);
});

describe('Kubernetes names in requests', () => {
  const bad: Array<[string, Record<string, string>]> = [
    ['.. as the pod', { pod: '..' }],
    ['an unpaired surrogate in the pod', { pod: 'decode-\uD800' }],
    ['a slash in the pod', { pod: 'a/b' }],
    ['upper case in the namespace', { namespace: 'LLM-D' }],
    ['a dot in the namespace (a label, not a subdomain)', { namespace: 'llm.d' }],
    ['a 64-character namespace', { namespace: 'a'.repeat(64) }],
    ['a 254-character pod', { pod: 'a'.repeat(254) }],
    ['a trailing dash in the container', { container: 'vllm-' }],
    ['a space in the container', { container: 'v llm' }],
  ];
  for (const [what, override] of bad) {
    it(`pod.logs.start refuses ${what} as BAD_REQUEST`, async () => {
      const res = await call('pod.logs.start', { namespace: 'llm-d', pod: 'decode-1', container: 'vllm', ...override });
      expect(res).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    });
  }
});
