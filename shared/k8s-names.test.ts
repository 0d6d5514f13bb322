import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContainerName, dns1123LabelErrors, dns1123SubdomainErrors, NamespaceName, PodName } from './k8s-names.js';

describe('DNS-1123 label (namespaces, containers)', () => {
  it('accepts what Kubernetes accepts', () => {
    for (const ok of ['a', '0', 'my-name', '123-abc', 'a'.repeat(63), 'llm-d-cpu-inference']) expect(dns1123LabelErrors(ok)).toEqual([]);
  });

  it('refuses what Kubernetes refuses, saying why', () => {
    expect(dns1123LabelErrors('')).toEqual(['must not be empty']);
    expect(dns1123LabelErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(dns1123LabelErrors('a.b')).toEqual(['must not contain dots']);
    for (const bad of ['-a', 'a-', 'A', 'a_b', 'a b', '..', '.', 'a/b', 'é', '\uD800', 'a\0', 'a\n']) {
      expect(dns1123LabelErrors(bad).length, bad).toBeGreaterThan(0);
    }
  });
});

describe('DNS-1123 subdomain (pods)', () => {
  it('accepts what Kubernetes accepts', () => {
    for (const ok of ['a', 'example.com', 'decode-0', 'a.b.c', `${'a'.repeat(63)}.${'b'.repeat(63)}`, 'x'.repeat(253)]) expect(dns1123SubdomainErrors(ok)).toEqual([]);
  });

  it('refuses what Kubernetes refuses', () => {
    expect(dns1123SubdomainErrors('x'.repeat(254))).toEqual(['must be no more than 253 characters']);
    for (const bad of ['', '.', '..', '../etc', 'a..b', '.a', 'a.', '-a', 'a-.b', 'A.b', 'a/b', '%2e%2e', 'decode-\uD800', '\uDC00']) {
      expect(dns1123SubdomainErrors(bad).length, bad).toBeGreaterThan(0);
    }
  });
});

describe('schemas', () => {
  it('map each kind of name to its rule', () => {
    expect(PodName.safeParse('a.b').success).toBe(true);
    expect(NamespaceName.safeParse('a.b').success).toBe(false);
    expect(ContainerName.safeParse('a.b').success).toBe(false);
    expect(PodName.safeParse(42).success).toBe(false);
    const bad = NamespaceName.safeParse('Bad_Name');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/DNS-1123 label/);
  });
});

describe('any string a request may carry', () => {
  it('is either refused, or safe to put in an API path (encodes, no slash, no dot segment)', () => {
    // Full UTF-16 (lone surrogates included) plus strings near the rules, so both outcomes are common.
    const near = fc.stringMatching(/^[a-z0-9.-]{1,70}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), near), (s) => {
        for (const schema of [PodName, NamespaceName, ContainerName]) {
          if (!schema.safeParse(s).success) continue;
          expect(() => encodeURIComponent(s)).not.toThrow();
          expect(encodeURIComponent(s)).toBe(s);
          expect(s.split('.').every((part) => part.length > 0)).toBe(true);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
