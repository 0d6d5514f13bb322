import { describe, expect, it } from 'vitest';
import { requestIdOfCompletion, vllmCompletionId } from './vllm-request-id.js';

describe('vLLM completion ids', () => {
  it('are the X-Request-Id the replica received behind chatcmpl- or cmpl-, and read back to it', () => {
    expect(vllmCompletionId('chat', 'abc', () => 'x')).toBe('chatcmpl-abc');
    expect(vllmCompletionId('completion', undefined, () => 'f00d')).toBe('cmpl-f00d');
    expect(requestIdOfCompletion('chatcmpl-3b6c0a9e-1111-4222-8333-944455556666')).toBe('3b6c0a9e-1111-4222-8333-944455556666');
    expect(requestIdOfCompletion('cmpl-abc')).toBe('abc');
  });
  it('say nothing for an id of another shape', () => {
    for (const id of [undefined, '', 'chatcmpl-', 'resp-abc', 'abc']) expect(requestIdOfCompletion(id)).toBeUndefined();
  });
});
