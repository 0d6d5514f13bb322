// describe() is pure: a function of the plan (its env included), rendering the stack once per plan.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../../shared/api/settings.js';
import { buildPlan, describePlan, planContext } from './build-plan.js';

const renders = vi.hoisted(() => ({ count: 0 }));
vi.mock('../stack/render.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../stack/render.js')>();
  return { ...real, renderStackSync: (...args: Parameters<typeof real.renderStackSync>) => { renders.count++; return real.renderStackSync(...args); } };
});

const host = { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } };

const savedHome = process.env.LLMD_INSTALLER_HOME;
afterEach(() => {
  delete process.env.LLMD_WAIT_DECODE_MS;
  if (savedHome === undefined) delete process.env.LLMD_INSTALLER_HOME;
  else process.env.LLMD_INSTALLER_HOME = savedHome;
});

describe('describing a plan', () => {
  it('renders the stack once, however many steps show a file of it', () => {
    const plan = planContext({ ...defaultSettings(), monitoring: true }, { ...host, env: {} });
    const steps = buildPlan(plan);
    renders.count = 0;
    const d = describePlan(plan, steps);
    // Several steps (the stack, monitoring, …) each show a rendered file.
    expect(d.steps.filter((s) => s.manifests.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(renders.count).toBe(1);
    describePlan(plan, steps);
    expect(renders.count).toBe(1);
  });

  it('reads the env of the plan, never process.env', () => {
    const plan = planContext(defaultSettings(), { ...host, env: { LLMD_WAIT_DECODE_MS: '120000' } });
    const steps = buildPlan(plan);
    const readyNotes = () => describePlan(plan, steps).steps.find((s) => s.id === 'ready')?.notes;
    const before = readyNotes();
    expect(before?.some((n) => n.includes('up to 2 min'))).toBe(true);
    process.env.LLMD_WAIT_DECODE_MS = '3600000';
    expect(readyNotes()).toEqual(before);
  });

  it('names the caches of the engine that made the plan, whatever the environment says', () => {
    const cacheDirs = { images: '/data/me/cache/images', models: '/data/me/cache/models' };
    const plan = planContext(defaultSettings(), { ...host, env: {}, cacheDirs });
    const steps = buildPlan(plan);
    const start = () => describePlan(plan, steps).steps.find((s) => s.id === 'minikube-start')!;
    process.env.LLMD_INSTALLER_HOME = '/somewhere/else';
    expect(start().commands.flat().join(' ')).toContain('--mount-string=/data/me/cache/models:');
    expect(start().notes.join(' ')).toContain('/data/me/cache/models');
    expect(JSON.stringify(start())).not.toContain('/somewhere/else');
  });
});
