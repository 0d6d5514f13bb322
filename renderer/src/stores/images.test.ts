import { describe, expect, it } from 'vitest';
import type { ImageReport, ImagesReport } from '../../../shared/api/images.js';
import { createApi } from '../api/client.js';
import { setApi } from '../api/index.js';
import { imagesReportFrom, registryAnswer, tallyImages, useImages } from './images.js';

const common = { normalized: 'ghcr.io/llm-d/x:v1', registry: 'ghcr.io', endpoint: 'https://ghcr.io', message: 'm' };
const denied: ImageReport = {
  role: 'epp', label: 'Endpoint picker (EPP)', ref: 'ghcr.io/llm-d/x:v1', overridden: true, verdict: 'blocker', advice: 'Choose another release.',
  check: { outcome: 'denied', ref: 'ghcr.io/llm-d/x:v1', ...common, reason: 'token-refused', httpStatus: 403, registryError: { code: 'DENIED', message: 'requested access to the resource is denied' } },
};
const limited: ImageReport = {
  role: 'routingSidecar', label: 'Routing sidecar', ref: 'ghcr.io/llm-d/s:v1', overridden: false, verdict: 'warning',
  check: { outcome: 'rate-limited', ref: 'ghcr.io/llm-d/s:v1', ...common, httpStatus: 429, retryAfterSeconds: 60 },
};
const fine: ImageReport = {
  role: 'vllm', label: 'Model server (vLLM)', ref: 'quay.io/v:1', overridden: false, verdict: 'ok',
  check: { outcome: 'available', ref: 'quay.io/v:1', ...common, digest: 'sha256:abc', platforms: ['linux/amd64'] },
};

describe('the image check as Prerequisites and Install show it', () => {
  it('gives the registry’s own answer: status and error code, when it said something', () => {
    expect(registryAnswer(denied.check)).toBe('HTTP 403 · DENIED: requested access to the resource is denied');
    expect(registryAnswer(limited.check)).toBe('HTTP 429');
    expect(registryAnswer({ outcome: 'unreachable', ref: 'r', ...common, cause: 'dns' })).toBeUndefined();
  });

  it('sums the verdicts into one line, a blocker first', () => {
    expect(tallyImages([fine, limited, denied])).toMatchObject({ ok: 1, warning: 1, blocker: 1, headline: expect.stringContaining('1 image cannot be pulled') });
    expect(tallyImages([fine, limited]).headline).toBe('1 image could not be checked — the install can go on');
    expect(tallyImages([fine, fine]).headline).toBe('All 2 images are available for this machine');
  });

  it('reads the report an IMAGE_UNAVAILABLE error carries, and nothing else', () => {
    const report: ImagesReport = { release: { id: 'r', title: 'R' }, arch: 'amd64', images: [denied, fine], ok: false, checkedAt: '2026-01-01T00:00:00.000Z' };
    expect(imagesReportFrom(JSON.parse(JSON.stringify(report)))?.images.map((i) => i.verdict)).toEqual(['blocker', 'ok']);
    expect(imagesReportFrom(undefined)).toBeUndefined();
    expect(imagesReportFrom({ images: 'no' })).toBeUndefined();
  });
});

describe('asking the registries', () => {
  it('says it is checking, then keeps the report; a failed call is an error shown, not an empty list', async () => {
    const report: ImagesReport = { release: { id: 'r', title: 'R' }, arch: 'amd64', images: [fine], ok: true, checkedAt: '2026-01-01T00:00:00.000Z' };
    let answer: unknown = { ok: true, value: report };
    setApi(createApi({ invoke: async () => answer, subscribe: () => () => {} }));
    const running = useImages.getState().check();
    expect(useImages.getState().checking).toBe(true);
    await running;
    expect(useImages.getState()).toMatchObject({ checking: false, report: { ok: true } });
    answer = { ok: false, error: { code: 'BAD_REQUEST', message: 'Invalid settings: images.vllm: must be an image reference', hint: 'Fix it in Configure' } };
    await useImages.getState().check();
    expect(useImages.getState().error).toEqual({ message: 'Invalid settings: images.vllm: must be an image reference', hint: 'Fix it in Configure' });
    // The last good report stays on screen beside the error.
    expect(useImages.getState().report?.images).toHaveLength(1);
  });
});
