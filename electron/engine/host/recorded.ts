// Recorded host facts instead of detection (LLMD_HOST_FACTS=<file.json>): rehearsals and tests stand in a
// machine of a chosen size — a small laptop, a big Linux box — for every transport (the web host, the
// app, the CLI), and the same fit logic runs on them.
import fs from 'node:fs';
import { HostFacts } from '../../../shared/api/host.js';

export function readRecordedFacts(file: string): HostFacts {
  return HostFacts.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
