// The node's image list is changed by several processes at once (`minikube image pull` processes beside the
// kubelet): every addition survives. Before the lock, parallel pulls lost each other's images (read, then
// write back what was read plus one), and `minikube image save` of a pulled image said "nonexistent image".
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listImages } from './images.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** One process adding `count` images named after `who`, through the same module the sim tools use. */
function adder(state: string, who: number, count: number): Promise<number | null> {
  const script = `
    const { addImage } = await import(${JSON.stringify(join(import.meta.dirname, 'images.ts'))});
    const { parseScenario } = await import(${JSON.stringify(join(import.meta.dirname, '..', 'scenario.ts'))});
    const scenario = parseScenario('timeScale: 0.01');
    for (let i = 0; i < ${count}; i++) addImage(${JSON.stringify(state)}, 'p', scenario, 'example.org/w${who}/img:' + i);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'], cwd: join(import.meta.dirname, '..', '..') });
  return new Promise((resolve) => child.on('exit', resolve));
}

describe('the node\'s images, changed by several processes', () => {
  it('keeps every image 4 processes add at the same time', { timeout: 60_000 }, async () => {
    const state = mkdtempSync(join(tmpdir(), 'sim-images-'));
    dirs.push(state);
    const codes = await Promise.all([0, 1, 2, 3].map((w) => adder(state, w, 40)));
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(listImages(state, 'p')).toHaveLength(160);
  });
});
