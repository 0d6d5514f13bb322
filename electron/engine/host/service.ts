// host.check: detect once per session (detection runs docker/podman and lspci-like probes, ~0.5 s),
// share an in-flight detection between callers, and re-detect on { refresh: true }. The verdict is the
// one fit function's (shared/fit.ts) for the default settings, with `driver: auto` resolved the way the
// plan resolves it on this host — so the System check names the driver Automatic will really use.
import type { HostReport } from '../../../shared/api/host.js';
import { defaultSettings, type Settings } from '../../../shared/api/settings.js';
import { settingsFitOnHost } from '../../../shared/fit.js';
import { appPaths } from '../paths.js';
import { findResourcesDir } from '../resources.js';
import { releaseRequests } from '../stack/releases.js';
import { toolEnv } from '../process/path-env.js';
import { detectHostFacts } from './detect.js';
import { readRecordedFacts } from './recorded.js';
import { execaRunner, type CommandRunner } from './runtimes.js';
import { systemInformationSource, type SystemInfoSource } from './system-info.js';

export interface HostServiceOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  source?: SystemInfoSource;
  run?: CommandRunner;
  /** The settings the verdict judges; the guide's defaults (what the System check says it checks). */
  settings?: () => Settings;
  now?: () => Date;
}

export interface HostService {
  check(opts?: { refresh?: boolean }): Promise<HostReport>;
  /** Set when recorded facts (LLMD_HOST_FACTS) stand in for detection: the file they come from. */
  readonly recordedFrom?: string;
}

export function createHostService(opts: HostServiceOptions): HostService {
  const env = opts.env ?? process.env;
  // Recorded facts stand in for detection unless a test hands in its own fake machine.
  const recorded = !opts.source && !opts.run ? env.LLMD_HOST_FACTS : undefined;
  const source = opts.source ?? systemInformationSource();
  // The plan's tool environment (the app's bin dir first): what detection finds is what the plan runs.
  const run = opts.run ?? execaRunner(toolEnv(env, appPaths(opts.dataDir).binDir));
  const settingsFor = opts.settings ?? defaultSettings;
  const now = opts.now ?? (() => new Date());
  let cached: Promise<HostReport> | undefined;

  const detect = async (): Promise<HostReport> => {
    const facts = recorded ? readRecordedFacts(recorded) : await detectHostFacts({ source, run, dataDir: opts.dataDir });
    const settings = settingsFor();
    const { needs, fit } = settingsFitOnHost(settings, facts, releaseRequests(settings.release, findResourcesDir(env)));
    return { facts, needs, fit, detectedAt: now().toISOString() };
  };

  return {
    ...(recorded ? { recordedFrom: recorded } : {}),
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
