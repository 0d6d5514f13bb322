import { describe, expect, it } from 'vitest';
import { Redactor } from './redact.js';

describe('Redactor', () => {
  it('replaces every occurrence of every secret with ***', () => {
    const r = new Redactor(['hf_abcdef123', 'p@ss.word']);
    expect(r.redact('token hf_abcdef123 and hf_abcdef123, pw p@ss.word')).toBe('token *** and ***, pw ***');
  });

  it('treats secrets as literal text, not patterns', () => {
    const r = new Redactor(['a.b*c']);
    expect(r.redact('axbbc a.b*c')).toBe('axbbc ***');
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const r = new Redactor(['secret', 'secret-long']);
    expect(r.redact('x secret-long y')).toBe('x *** y');
  });

  it('ignores empty and very short values that would shred every line', () => {
    const r = new Redactor(['', undefined, 'ab']);
    expect(r.size).toBe(0);
    expect(r.redact('ab cd')).toBe('ab cd');
  });

  it('redacts strings nested in events and journal objects', () => {
    const r = new Redactor(['hf_token_value']);
    expect(r.redactDeep({ a: ['x hf_token_value'], b: { c: 'hf_token_value' }, n: 3 })).toEqual({ a: ['x ***'], b: { c: '***' }, n: 3 });
  });

  it('stops redacting a removed secret', () => {
    const r = new Redactor(['hf_old_token']);
    r.remove('hf_old_token');
    expect(r.redact('hf_old_token')).toBe('hf_old_token');
  });
});
