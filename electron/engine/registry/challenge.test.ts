// WWW-Authenticate parsing: the challenges real registries send, and a property test that any parameter
// values (commas, quotes, backslashes, '=' and spaces inside quotes) survive a round trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './challenge.js';

describe('parseWwwAuthenticate', () => {
  it('reads the challenges docker.io, ghcr.io and quay.io send', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual([
      { scheme: 'Bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:llm-d/llm-d-cpu:pull"')[0]?.params.service).toBe('ghcr.io');
    // Docker Hub's answer to a token without access: an extra error parameter.
    expect(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull",error="insufficient_scope"')[0]?.params.error).toBe('insufficient_scope');
  });

  it('keeps commas inside quoted values and splits several challenges at the scheme', () => {
    expect(parseWwwAuthenticate('Bearer scope="repository:a/b:pull,push", realm="https://r/token" ,service=reg, Basic realm="x, y"')).toEqual([
      { scheme: 'Bearer', params: { scope: 'repository:a/b:pull,push', realm: 'https://r/token', service: 'reg' } },
      { scheme: 'Basic', params: { realm: 'x, y' } },
    ]);
  });

  it('handles escapes, case-insensitive names, token68 and garbage without throwing', () => {
    expect(parseWwwAuthenticate('Bearer REALM="a\\"b\\\\c"')[0]?.params).toEqual({ realm: 'a"b\\c' });
    expect(parseWwwAuthenticate('Negotiate YIIBhw==, Basic realm=x')).toEqual([{ scheme: 'Negotiate', params: {}, token68: 'YIIBhw==' }, { scheme: 'Basic', params: { realm: 'x' } }]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate('Bearer realm="unterminated')[0]?.params.realm).toBe('unterminated');
  });

  it('property: any parameter values round-trip, whatever the spacing and quoting', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
    const plain = /^[A-Za-z0-9._~+\-/:]+$/;
    const space = fc.constantFrom('', ' ', '  ', '\t');
    const param = fc.record({ name, value: fc.string({ unit: 'binary', maxLength: 30 }), quote: fc.boolean(), a: space, b: space, c: space });
    const challenge = fc.record({ scheme: fc.constantFrom('Bearer', 'bearer', 'Basic', 'Digest'), params: fc.uniqueArray(param, { minLength: 1, maxLength: 5, selector: (p) => p.name }) });
    fc.assert(fc.property(fc.array(challenge, { minLength: 1, maxLength: 3 }), (challenges) => {
      const header = challenges.map((ch) => `${ch.scheme} ${ch.params.map((p) => {
        const v = p.quote || !plain.test(p.value) ? `"${p.value.replace(/[\\"]/g, (m) => `\\${m}`)}"` : p.value;
        return `${p.name}${p.a}=${p.b}${v}`;
      }).join(`,${challenges[0]?.params[0]?.c ?? ''}`)}`).join(', ');
      const parsed = parseWwwAuthenticate(header);
      expect(parsed.map((c) => c.scheme)).toEqual(challenges.map((c) => c.scheme));
      parsed.forEach((c, i) => expect(c.params).toEqual(Object.fromEntries((challenges[i]?.params ?? []).map((p) => [p.name, p.value]))));
    }), { numRuns: 500 });
  });

  it('property: never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => { parseWwwAuthenticate(s); }));
  });
});
