// Step "Install prerequisites" (docs/architecture.md §4 step 2): the container runtime, minikube, helm and helmfile
// (kubectl optional). Missing or too-old tools are downloaded into the app's bin dir with their SHA-256
// checked; podman on Linux goes through the package manager with one explained admin prompt; Docker and
// podman on macOS are the person's to install (we say how).
import { resolveDownloadUrl } from '../../../shared/mirror.js';
import { ApiException } from '../../../shared/result.js';
import { TOOLS, toolTarget } from '../../../shared/tools.js';
import type { Step } from '../plan/step.js';
import { VERSION_ARGS, findExecutable } from '../prereqs/detect.js';
import type { StepContext } from '../plan/step.js';
import fs from 'node:fs';
import { z } from 'zod';
import { readRecord, writeRecord } from './run-records.js';

// A re-run should cost a quick check, not five tool processes: once every required tool passed, remember
// each one's path, size and mtime; while they are unchanged the check stands. (Whether the container
// runtime is running is then shown by the cluster step, which needs it.)
const CACHE = 'prereqs-ok.json';
const ToolsRecord = z.object({ tools: z.record(z.string(), z.string()), at: z.string() });
function fingerprint(ctx: StepContext): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const name of [ctx.driver, 'minikube', 'helm', 'helmfile']) {
    const file = findExecutable(name, ctx.env.PATH);
    if (!file) return undefined;
    const st = fs.statSync(file);
    out[name] = `${file}:${st.size}:${st.mtimeMs}`;
  }
  return out;
}

/** Records the fingerprint of tools just found (or just made) fine, so the next detect is a stat per tool. */
function remember(ctx: StepContext): void {
  const fp = fingerprint(ctx);
  if (fp) writeRecord(ctx, CACHE, { tools: fp, at: new Date().toISOString() });
}

export const prerequisitesTools: Step = {
  id: 'prerequisites',
  title: 'Install prerequisites',
  needs: ['host-check'],
  describe(plan) {
    const target = toolTarget(plan.platform, plan.arch);
    const names = [plan.driver, 'minikube', 'helm', 'helmfile', 'kubectl'] as const;
    const notes = Object.values(TOOLS).map((t) => {
      if (!target) return `${t.name} ${t.version}: no release for ${plan.platform}/${plan.arch}`;
      const rel = t.release(target.os, target.arch);
      return `If ${t.name} is missing or older than ${t.minimum}: download ${t.name} ${t.version} from ${resolveDownloadUrl(rel.url, plan.settings.mirror)}, ` +
        `check its SHA-256 against ${resolveDownloadUrl(rel.checksumUrl, plan.settings.mirror)}, install into the app's bin dir${t.required ? '' : ' (optional)'}.`;
    });
    if (plan.driver === 'podman' && plan.platform === 'linux') notes.push('If podman is missing: install it with the system package manager (asks for administrator rights once, after explaining the command).');
    if (plan.driver === 'docker') notes.push('Docker must be installed and running (Docker Desktop or Docker Engine); the app does not install it.');
    return { commands: names.map((n) => [n, ...VERSION_ARGS[n]]), notes };
  },
  async detect(ctx) {
    const fp = fingerprint(ctx);
    const cached = readRecord(ctx, CACHE, ToolsRecord);
    if (fp && cached && JSON.stringify(cached.tools) === JSON.stringify(fp)) {
      return { state: 'done', detail: `all required tools are present (unchanged since the check at ${cached.at})` };
    }
    const report = await ctx.services.prereqs.check(ctx.signal);
    for (const t of report.tools) {
      ctx.log(`${t.name}: ${t.installed ? `${t.version ?? 'unknown version'} at ${t.path}` : 'not installed'}${t.ok ? '' : ` — ${t.problem ?? ''}`}`);
    }
    const needed = report.tools.filter((t) => t.required && !t.ok);
    if (needed.length === 0) {
      remember(ctx);
      return { state: 'done', detail: 'all required tools are present' };
    }
    const manual = needed.filter((t) => t.install === 'manual' || t.install === 'none' || (t.installed && t.install === 'admin'));
    if (manual.length > 0) {
      return { state: 'blocked', reason: manual.map((t) => t.problem ?? `${t.name} is missing`).join(' '), hint: manual[0]?.name === 'docker' ? 'Install and start Docker, or choose the podman driver.' : 'Install or start podman, then retry.' };
    }
    return { state: 'todo', reason: `to install: ${needed.map((t) => t.name).join(', ')}` };
  },
  async run(ctx) {
    let done = 0;
    const report = await ctx.services.prereqs.installMissing({
      signal: ctx.signal,
      log: (l) => ctx.log(l),
      onProgress: (tool, phase, d) => {
        if (phase === 'done') done += 1;
        const dl = d.totalBytes ? ` ${Math.round(((d.bytes ?? 0) / d.totalBytes) * 100)}%` : '';
        ctx.progress(Math.min(0.95, done / 4), `${tool}: ${phase}${dl}`);
      },
    });
    const missing = report.tools.filter((t) => t.required && !t.ok);
    if (missing.length > 0) {
      throw new ApiException('TOOL_MISSING', `Still missing after install: ${missing.map((t) => `${t.name} (${t.problem ?? 'not ok'})`).join(', ')}.`, 'See the step log for what failed.');
    }
    // installMissing ended with a check that found every tool fine: remember them now, or the first re-run
    // after a fresh install asks each tool for its version again (~1.8 s, README "Benchmarks").
    remember(ctx);
    ctx.progress(1, 'all prerequisites present');
  },
};
