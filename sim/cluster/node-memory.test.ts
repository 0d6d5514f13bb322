// The node's memory ledger: vLLMs that each fit their own limit but not the node together — the second to load is
// refused (the kernel's OOM killer), until the first lets go or the node is bigger.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/types.js';
import { NodeMemory } from './node-memory.js';

const pod = (uid: string, containers: Array<{ name: string; request: string; limit?: string }>, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, namespace: 'ns', uid },
  spec: { nodeName: 'node', containers: containers.map((c) => ({ name: c.name, image: 'x', resources: { requests: { memory: c.request }, ...(c.limit ? { limits: { memory: c.limit } } : {}) } })) },
  status: { phase },
});

describe('NodeMemory', () => {
  const a = pod('a', [{ name: 'vllm', request: '2Gi', limit: '6Gi' }]);
  const b = pod('b', [{ name: 'vllm', request: '2Gi', limit: '6Gi' }]);
  const gw = pod('gw', [{ name: 'envoy', request: '512Mi' }]);

  it('counts the control plane and every other container’s request, then what each vLLM allocates', () => {
    const m = new NodeMemory(() => 10240, () => [a, b, gw]);
    // 170 MiB control plane + 2 × 2048 requested by the vLLMs + 512 MiB gateway.
    expect(m.inUseMiB()).toBe(170 + 4096 + 512);
    expect(m.take(a, 'vllm', 5744)).toEqual({ ok: true });
    expect(m.inUseMiB()).toBe(170 + 5744 + 2048 + 512);
  });

  it('refuses the vLLM that would take the node past its memory, though it fits its own limit, and lets it in once the other lets go', () => {
    const m = new NodeMemory(() => 10240, () => [a, b, gw]);
    expect(m.take(a, 'vllm', 5744).ok).toBe(true);
    // 170 + 5744 + 512 + 5744 = 12170 MiB > 10240 MiB.
    expect(m.take(b, 'vllm', 5744)).toEqual({ ok: false, inUseMiB: 170 + 5744 + 2048 + 512, nodeMiB: 10240 });
    m.release('a', 'vllm');
    expect(m.take(b, 'vllm', 5744).ok).toBe(true);
    m.release('b');
    expect(m.inUseMiB()).toBe(170 + 4096 + 512);
  });

  it('holds both in a node with 8 GiB more, and leaves finished pods and an unknown node out', () => {
    const big = new NodeMemory(() => 18432, () => [a, b, gw]);
    expect(big.take(a, 'vllm', 5744).ok && big.take(b, 'vllm', 5744).ok).toBe(true);
    const done = new NodeMemory(() => 10240, () => [a, pod('b', [{ name: 'vllm', request: '2Gi' }], 'Failed'), gw]);
    expect(done.inUseMiB()).toBe(170 + 2048 + 512);
    const unknown = new NodeMemory(() => undefined, () => [a, b, gw]);
    expect(unknown.take(a, 'vllm', 1e6).ok).toBe(true);
  });
});
