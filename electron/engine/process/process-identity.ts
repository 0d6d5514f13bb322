// Which process a recorded pid names. A pid alone is not an identity: once its process exits the OS hands
// the number to the next process started, so a record (the run lock, the journal, the process-group ledger,
// a forwarder's record) keeps the process's start time beside its pid, and a live pid whose start time
// differs is an unrelated process. One implementation, used by every record that names a process.
import fs from 'node:fs';
import { execa } from 'execa';

/** A process as records name it: its pid and its start time as the OS reports it (null when it would not say). */
export interface ProcessIdentity {
  pid: number;
  startTime: string | null;
}

export type StartTimeOf = (pid: number) => Promise<string | undefined>;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process's start time: on Linux field 22 of /proc/<pid>/stat (clock ticks since boot), on macOS
 * `ps -o lstart=`. Undefined when it cannot be read, and the caller falls back to pid liveness alone.
 */
export async function processStartTime(pid: number, platform: string = process.platform): Promise<string | undefined> {
  if (platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[22 - 3] || undefined;
    } catch {
      return undefined;
    }
  }
  try {
    const { stdout } = await execa('ps', ['-o', 'lstart=', '-p', String(pid)], { reject: true, timeout: 5000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** This process's identity, for writing into a record. */
export async function ownIdentity(startTimeOf: StartTimeOf = processStartTime): Promise<ProcessIdentity> {
  return { pid: process.pid, startTime: (await startTimeOf(process.pid)) ?? null };
}

/**
 * Whether the recorded process is gone: its pid is free, or now belongs to a process that started at
 * another time. A record without a start time, or a start time that cannot be read now, cannot be told
 * from its process, so it counts as still there (nothing is stopped or taken over on a guess).
 */
export async function processGone(p: ProcessIdentity, startTimeOf: StartTimeOf = processStartTime): Promise<boolean> {
  if (!pidAlive(p.pid)) return true;
  if (p.startTime === null) return false;
  const now = await startTimeOf(p.pid);
  return now !== undefined && now !== p.startTime;
}
