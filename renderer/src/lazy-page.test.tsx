// lazyPage: the chunk is fetched once, a failed fetch is tried again, and a preloaded page renders
// synchronously (renderToString throws on anything that suspends without a boundary).
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { lazyPage } from './lazy-page.js';

const Hello = () => <p>hello</p>;

describe('lazyPage', () => {
  it('does not fetch the chunk until asked', () => {
    const load = vi.fn(async () => ({ Hello }));
    lazyPage(load, (m) => m.Hello);
    expect(load).not.toHaveBeenCalled();
  });

  it('fetches once however often it is preloaded', async () => {
    const load = vi.fn(async () => ({ Hello }));
    const page = lazyPage(load, (m) => m.Hello);
    await Promise.all([page.preload(), page.preload()]);
    await page.preload();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('renders a preloaded page without suspending', async () => {
    const page = lazyPage(async () => ({ Hello }), (m) => m.Hello);
    expect(() => renderToString(<page.Page />)).toThrow(); // not loaded yet: it suspends
    await page.preload();
    expect(renderToString(<page.Page />)).toBe('<p>hello</p>');
  });

  it('fetches again after a failed fetch', async () => {
    const load = vi.fn<() => Promise<{ Hello: typeof Hello }>>()
      .mockRejectedValueOnce(new Error('chunk 404'))
      .mockResolvedValue({ Hello });
    const page = lazyPage(load, (m) => m.Hello);
    await expect(page.preload()).rejects.toThrow('chunk 404');
    await page.preload();
    expect(load).toHaveBeenCalledTimes(2);
    expect(renderToString(<page.Page />)).toBe('<p>hello</p>');
  });
});
