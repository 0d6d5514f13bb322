// The Welcome page's JavaScript budget (issue #16): builds the renderer into a temp folder with a
// manifest and weighs the entry chunk plus everything it imports statically. Sizes are deterministic
// for a given source tree and lockfile, so this is a budget, not a timing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_JS_BUDGET_GZIP, initialJs, packagesIn, staticClosure, type InitialJs } from './initial-js.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let outDir = '';
let weighed: InitialJs;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'initial-js-'));
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build: weigh what
  // `npm run build` ships instead.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true, manifest: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  weighed = initialJs(outDir);
}, 180_000);

afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

describe('initial JS of the Welcome page', () => {
  it(`stays under ${INITIAL_JS_BUDGET_GZIP / 1024} KB gzip`, () => {
    const table = weighed.chunks.map((c) => `${c.file} ${(c.gzip / 1024).toFixed(1)} KB`).join(', ');
    expect(weighed.gzip, `initial chunks: ${table}`).toBeLessThan(INITIAL_JS_BUDGET_GZIP);
  });

  it('leaves the terminal, the Markdown pipeline and the Playground to later chunks', () => {
    const packages = packagesIn(outDir, weighed.chunks.map((c) => c.file));
    expect(packages).toContain('react-dom'); // the weighing does see the bundled packages
    for (const heavy of ['@xterm/xterm', '@xterm/addon-search', 'react-markdown', 'remark-gfm', 'micromark']) expect(packages).not.toContain(heavy);
  });
});

describe('the static closure of a manifest', () => {
  it('follows static imports only, once each, entry first', () => {
    const closure = staticClosure({
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_a.js', '_b.js'], dynamicImports: ['src/Late.tsx'] },
      '_a.js': { file: 'assets/a.js', imports: ['_b.js'] },
      '_b.js': { file: 'assets/b.js', imports: ['_a.js'] },
      'src/Late.tsx': { file: 'assets/Late.js', imports: ['_c.js'] },
      '_c.js': { file: 'assets/c.js' },
    });
    expect(closure).toEqual(['index.html', '_a.js', '_b.js']);
  });

  it('refuses a manifest without exactly one entry', () => {
    expect(() => staticClosure({ '_a.js': { file: 'assets/a.js' } })).toThrow(/one entry/);
  });
});
