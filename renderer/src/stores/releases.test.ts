import { describe, expect, it } from 'vitest';
import type { RawTransport } from '../../../shared/contract.js';
import type { ReleaseSummary } from '../../../shared/release.js';
import { createApi } from '../api/client.js';
import { setApi } from '../api/index.js';
import { releaseImageLines, releaseMonth, shortRef, useReleases } from './releases.js';

const summary = (id: string, refs: Record<string, string>): ReleaseSummary => ({
  id, title: id, date: '2025-12', summary: '', upstreamVersion: 'v0', contextLength: {}, helmReleases: { stack: [], monitoring: 'llmd' }, requests: { cpuMilli: 0, memoryMiB: 0, pods: [] },
  images: Object.entries(refs).map(([role, ref]) => ({ role: role as ReleaseSummary['images'][number]['role'], label: role, ref, source: 's', overridable: role !== 'proxy' })),
});

describe('the release choice on Configure', () => {
  it('writes the upstream month as a person reads it', () => {
    expect(releaseMonth('2025-12')).toBe('December 2025');
    expect(releaseMonth('2026-01')).toBe('January 2026');
    expect(releaseMonth('soon')).toBe('soon');
  });

  it('shortens a reference to what tells images apart', () => {
    expect(shortRef('public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.11.2')).toBe('vllm-cpu-release-repo:v0.11.2');
    expect(shortRef(`ghcr.io/llm-d/epp:v1@sha256:${'a'.repeat(64)}`)).toBe('epp:v1');
    expect(shortRef('nginx')).toBe('nginx');
  });

  it('marks on another release the images that differ from the chosen one', () => {
    const guide = summary('guide', { vllm: 'a/vllm:0.11', epp: 'a/epp:1' });
    const today = summary('today', { vllm: 'b/vllm:0.14', epp: 'a/epp:1' });
    expect(releaseImageLines(today, guide).map((l) => [l.role, l.differs])).toEqual([['vllm', true], ['epp', false]]);
    // The chosen release itself has nothing to compare with.
    expect(releaseImageLines(guide, guide).every((l) => !l.differs)).toBe(true);
    expect(releaseImageLines(guide, undefined).every((l) => !l.differs)).toBe(true);
  });
});

describe('the releases as this node runs them', () => {
  it('follows the GPU toggle: the answer for the latest choice wins, whatever order they come back in', async () => {
    const pending: Array<{ gpu: boolean; resolve: (v: unknown) => void }> = [];
    const raw: RawTransport = {
      invoke: (_method, payload) => new Promise((resolve) => pending.push({ gpu: (payload as { gpu: boolean }).gpu, resolve })),
      subscribe: () => () => {},
    };
    setApi(createApi(raw));
    const view = (gpu: boolean) => ({ ok: true, value: { arch: 'amd64', defaultRelease: 'guide', releases: [summary('guide', { vllm: gpu ? 'vllm/vllm-openai:v0.11.0' : 'a/vllm-cpu:0.11' })] } });
    const first = useReleases.getState().load(false);
    const second = useReleases.getState().load(true);
    pending[1]!.resolve(view(true));
    await second;
    pending[0]!.resolve(view(false));
    await first;
    expect(useReleases.getState()).toMatchObject({ gpu: true, loading: false });
    expect(useReleases.getState().view?.releases[0]?.images[0]?.ref).toBe('vllm/vllm-openai:v0.11.0');
  });

  it('keeps the engine’s error to show it', async () => {
    setApi(createApi({ invoke: async () => ({ ok: false, error: { code: 'INTERNAL', message: 'release.yaml is invalid' } }), subscribe: () => () => {} }));
    await useReleases.getState().load(false);
    expect(useReleases.getState()).toMatchObject({ loading: false, error: 'release.yaml is invalid' });
  });
});
