import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiException, err, ok, resultSchema } from './result.js';

describe('the envelope', () => {
  it('wraps values and typed errors, leaving out absent fields', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(err('NOT_FOUND', 'no such task')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no such task' } });
    expect(err('TOOL_FAILED', 'helm failed', 'see the log', { exitCode: 1 })).toEqual({
      ok: false,
      error: { code: 'TOOL_FAILED', message: 'helm failed', hint: 'see the log', details: { exitCode: 1 } },
    });
  });

  it('validates envelopes crossing the wire', () => {
    const schema = resultSchema(z.object({ n: z.number() }));
    expect(schema.safeParse({ ok: true, value: { n: 1 } }).success).toBe(true);
    expect(schema.safeParse({ ok: true, value: { n: 'one' } }).success).toBe(false);
    expect(schema.safeParse({ ok: false, error: { code: 'KUBE', message: 'x' } }).success).toBe(true);
    expect(schema.safeParse({ ok: false, error: { code: 'MADE_UP', message: 'x' } }).success).toBe(false);
    expect(schema.safeParse({ value: 1 }).success).toBe(false);
  });

  it('carries code and hint in ApiException', () => {
    const e = new ApiException('CONFLICT', 'a plan is running', 'wait for it');
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: 'CONFLICT', message: 'a plan is running', hint: 'wait for it', name: 'ApiException' });
  });
});
