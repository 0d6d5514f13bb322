import { describe, expect, it } from 'vitest';
import { TOKEN_KEY, takeToken } from './transport.js';

function fakes(href: string) {
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as unknown as Storage;
  const replaced: string[] = [];
  const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => void replaced.push(url) } as unknown as History;
  return { loc: { href } as Location, storage, history, replaced, store };
}

describe('token handling', () => {
  it('takes the token from the URL, keeps it for the tab and removes it from the address bar', () => {
    const f = fakes('http://127.0.0.1:5000/?token=abc&x=1#/system-check');
    expect(takeToken(f.loc, f.history, f.storage)).toBe('abc');
    expect(f.store.get(TOKEN_KEY)).toBe('abc');
    expect(f.replaced).toEqual(['/?x=1#/system-check']);
  });

  it('falls back to the tab’s stored token after a reload, and to nothing', () => {
    const f = fakes('http://127.0.0.1:5000/#/welcome');
    expect(takeToken(f.loc, f.history, f.storage)).toBeUndefined();
    f.store.set(TOKEN_KEY, 'kept');
    expect(takeToken(f.loc, f.history, f.storage)).toBe('kept');
    expect(f.replaced).toEqual([]);
  });
});
