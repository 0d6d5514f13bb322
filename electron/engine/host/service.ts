// host.check: detect once per session (detection runs docker/podman and lspci-like probes, ~0.5 s),
// share an in-flight detection between callers, and re-detect on { refresh: true }.
import type { FitNeeds, HostReport } from '../../../shared/api/host.js';
import { detectHostFacts } from './detect.js';
import { assessFit, defaultFitNeeds } from './fit.js';
import { appPaths } from '../paths.js';
import { toolEnv } from '../process/path-env.js';
import { execaRunner, type CommandRunner } from './runtimes.js';
import { systemInformationSource, type SystemInfoSource } from './system-info.js';

export interface HostServiceOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  source?: SystemInfoSource;
  run?: CommandRunner;
  /** Needs of the current settings; the guide's defaults for this OS until settings exist. */
  needs?: (os: HostReport['facts']['os']) => FitNeeds;
  now?: () => Date;
}

export interface HostService {
  check(opts?: { refresh?: boolean }): Promise<HostReport>;
}

export function createHostService(opts: HostServiceOptions): HostService {
  const source = opts.source ?? systemInformationSource();
  // The plan's tool environment (the app's bin dir first): what detection finds is what the plan runs.
  const run = opts.run ?? execaRunner(toolEnv(opts.env ?? process.env, appPaths(opts.dataDir).binDir));
  const needsFor = opts.needs ?? defaultFitNeeds;
  const now = opts.now ?? (() => new Date());
  let cached: Promise<HostReport> | undefined;

  const detect = async (): Promise<HostReport> => {
    const facts = await detectHostFacts({ source, run, dataDir: opts.dataDir });
    const needs = needsFor(facts.os);
    return { facts, needs, fit: assessFit(facts, needs), detectedAt: now().toISOString() };
  };

  return {
    check({ refresh = false } = {}) {
      if (!cached || refresh) {
        const attempt = detect();
        cached = attempt;
        // A failed detection must not stick for the rest of the session.
        attempt.catch(() => {
          if (cached === attempt) cached = undefined;
        });
      }
      return cached;
    },
  };
}
