// The preload runs sandboxed: its bundle may require nothing but 'electron', and it should stay small
// (it is parsed on every page load). Builds it in memory with the real build options.
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { methodNames, topicNames } from '../../shared/contract.js';
import { preloadBuildOptions } from '../../scripts/build-preload.mjs';

describe('preload bundle', () => {
  it('requires only electron, carries the contract names and no schema library', async () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    const options = await preloadBuildOptions(root);
    const result = await build({ ...options, write: false, sourcemap: false, minify: false });
    const code = result.outputFiles!.find((f) => f.path.endsWith('.cjs'))!.text;
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    for (const name of [...methodNames, ...topicNames]) expect(code).toContain(JSON.stringify(name));
    expect(code).not.toMatch(/zod|ZodError/);
    expect(code.length).toBeLessThan(20_000);
  });
});
