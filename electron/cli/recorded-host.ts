// LLMD_HOST_FACTS=<file.json>: recorded host facts stand in for detection (rehearsal, tests). The same fit
// logic runs on them, and they stand for the whole host: the plan is made for their OS and architecture
// too (an arm64 Mac's facts give the arm64 images), not for the machine the CLI happens to run on.
import fs from 'node:fs';
import { HostFacts, type HostReport } from '../../shared/api/host.js';
import type { EngineContext, HostProvider } from '../engine/context.js';
import { settingsFitOnHost } from '../../shared/fit.js';

const readFacts = (file: string): HostFacts => HostFacts.parse(JSON.parse(fs.readFileSync(file, 'utf8')));

/** The OS and architecture of the recorded facts, when they name ones the plan knows. */
export function recordedPlatform(file: string): { platform: string; arch: string } | undefined {
  try {
    const f = readFacts(file);
    return f.os === 'other' || f.arch === 'other' ? undefined : { platform: f.os, arch: f.arch };
  } catch {
    return undefined; // the host check reports the broken file with its own error
  }
}

/** A host provider over the file, read on every check (a broken file is the check's error, as detection's would be). */
export function recordedHost(file: string): (ctx: Pick<EngineContext, 'settings'>) => HostProvider {
  return ({ settings }) => ({
    async check() {
      const facts = readFacts(file);
      // The saved settings' needs, as the host service gives them; `check` asks host.fit for its flags' own.
      const current = settings.current();
      const { needs, fit } = settingsFitOnHost(current, facts);
      const report: HostReport = { facts, needs, fit, detectedAt: new Date().toISOString() };
      return report;
    },
  });
}
