// One record per forwarder process, in its own file (run/forwards/procs/<pid>.json: pid, start time, name),
// so teardown finds every forwarder we started without the per-name state file. That file names one
// forwarder per name and is replaced, deleted or never written (the starter killed between spawn and
// record, two starters racing, a person cleaning up): a forwarder it no longer names kept listening after
// `down`. The record is written twice — by the starter as soon as it has the pid, and by the forwarder
// itself first thing — so neither one dying at the wrong moment leaves a forwarder unrecorded; the
// forwarder removes it when it stops. The start time tells our forwarder from a later process given its pid.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { pidAlive, processGone, processStartTime, type StartTimeOf } from '../process/process-identity.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, writeJsonAtomic } from '../state-file.js';
import { forwardsDir } from './forward-state.js';

const ForwarderRecord = z.object({
  pid: z.number().int().positive(),
  /** The forwarder's start time as the OS reports it; null when it would not say (then it is never signalled). */
  startTime: z.string().nullable(),
  name: z.string(),
  recordedAt: z.string(),
});
export type ForwarderRecord = z.infer<typeof ForwarderRecord>;

export const recordsDirFor = (runDir: string): string => path.join(forwardsDir(runDir), 'procs');
const recordFile = (dir: string, pid: number): string => path.join(dir, `${pid}.json`);

export async function recordForwarder(dir: string, pid: number, name: string, startTimeOf: StartTimeOf = processStartTime): Promise<void> {
  const startTime = (await startTimeOf(pid)) ?? null;
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const record: ForwarderRecord = { pid, startTime, name, recordedAt: new Date().toISOString() };
  writeJsonAtomic(recordFile(dir, pid), record, PRIVATE_FILE_MODE);
}

export function forgetForwarder(dir: string, pid: number): void {
  fs.rmSync(recordFile(dir, pid), { force: true });
}

export function readForwarderRecords(dir: string): ForwarderRecord[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => /^\d+\.json$/.test(f));
  } catch {
    return [];
  }
  const out: ForwarderRecord[] = [];
  for (const f of files) {
    try {
      const parsed = ForwarderRecord.safeParse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
      if (parsed.success) out.push(parsed.data);
      else fs.rmSync(path.join(dir, f), { force: true });
    } catch {
      // Vanished between the listing and the read (its forwarder stopped), or half a file: nothing to stop.
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM (the forwarder closes its listener and removes its files), then SIGKILL after the grace period. */
export async function stopPid(pid: number, graceMs = 3000): Promise<void> {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(30);
  if (!pidAlive(pid)) return;
  try { process.kill(pid, 'SIGKILL'); } catch { return; }
  for (let i = 0; i < 100 && pidAlive(pid); i++) await sleep(20);
}

export interface RecordedStop {
  name: string;
  pid: number;
  /** stopped: it was running and is not now; gone: it had already exited (or its pid is another process's now); unverified: its start time is unknown, so it was left alone. */
  outcome: 'stopped' | 'gone' | 'unverified';
}

/**
 * Stops every recorded forwarder (of `name` only, when given) that is still the process recorded, and
 * drops the records of the rest.
 */
export async function stopRecordedForwarders(dir: string, opts: { name?: string; graceMs?: number; startTimeOf?: StartTimeOf } = {}): Promise<RecordedStop[]> {
  const startTimeOf = opts.startTimeOf ?? processStartTime;
  const out: RecordedStop[] = [];
  for (const r of readForwarderRecords(dir)) {
    if (opts.name !== undefined && r.name !== opts.name) continue;
    if (await processGone(r, startTimeOf)) {
      forgetForwarder(dir, r.pid);
      out.push({ name: r.name, pid: r.pid, outcome: 'gone' });
      continue;
    }
    // A live pid without a recorded start time could be anyone's process by now: never signal it on a guess.
    if (r.startTime === null) {
      out.push({ name: r.name, pid: r.pid, outcome: 'unverified' });
      continue;
    }
    await stopPid(r.pid, opts.graceMs);
    forgetForwarder(dir, r.pid);
    out.push({ name: r.name, pid: r.pid, outcome: 'stopped' });
  }
  return out;
}
