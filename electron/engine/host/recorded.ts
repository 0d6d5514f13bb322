// Recorded host facts instead of detection (LLMD_HOST_FACTS=<file.json>): rehearsals and tests stand in a
// machine of a chosen size — a small laptop, a big Linux box — for every transport (the web host, the
// app, the CLI), and the same fit logic runs on them. They stand for the whole host: the plan is made for
// their OS and architecture too (an arm64 Mac's facts give the arm64 images), not for the machine the
// engine happens to run on. This is the one place that reads them; the host service and the engine
// context (context.ts) both come here.
import fs from 'node:fs';
import { HostFacts } from '../../../shared/api/host.js';

export function readRecordedFacts(file: string): HostFacts {
  return HostFacts.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The OS and architecture of the recorded facts, when they name ones the plan knows. */
export function recordedPlatform(file: string): { platform: string; arch: string } | undefined {
  try {
    const f = readRecordedFacts(file);
    return f.os === 'other' || f.arch === 'other' ? undefined : { platform: f.os, arch: f.arch };
  } catch {
    return undefined; // the host check reports the broken file with its own error
  }
}
