// Process groups a run starts, recorded in the run dir so a later run can stop what a dead one left
// (issue #14): every tool runs as the leader of its own group (runner.ts, `detached: true`) so a cancel
// reaches its grandchildren — which also means `kill -9` of the CLI leaves e.g. `helmfile sync` and its
// helm children running, recorded nowhere, and a resumed `up` started a second sync on the same releases.
//
// The ledger holds one entry per running tool: its group id, the leader's start time (to tell it from an
// unrelated process that later got the same pid) and the owning engine process (pid + start time). A run
// holds the run lock when it calls stopOrphanedGroups, so any entry whose owner is gone is an orphan.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { pidAlive, processGone, processStartTime } from './process-identity.js';
import { PRIVATE_FILE_MODE, writeJsonAtomic } from '../state-file.js';

export const PROCESS_GROUPS_FILE = 'process-groups.json';

const Owner = z.object({ pid: z.number().int(), startTime: z.string().nullable() });
const GroupEntry = z.object({
  pgid: z.number().int().positive(),
  /** The leader's start time when it was recorded; null when the OS would not say. */
  leaderStart: z.string().nullable(),
  owner: Owner,
  /** The command as shown in logs (already redacted by the runner). */
  command: z.string(),
  startedAt: z.string(),
});
export type GroupEntry = z.infer<typeof GroupEntry>;
const LedgerDoc = z.object({ version: z.literal(1), groups: z.array(GroupEntry) });

export const groupsFileFor = (runDir: string): string => path.join(runDir, PROCESS_GROUPS_FILE);

function readEntries(file: string): GroupEntry[] {
  try {
    const parsed = LedgerDoc.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.groups : [];
  } catch {
    return [];
  }
}

/** Synchronous read-modify-write: no await inside, so concurrent tools of one engine cannot lose an entry. */
function update(file: string, change: (groups: GroupEntry[]) => GroupEntry[]): void {
  writeJsonAtomic(file, { version: 1, groups: change(readEntries(file)) }, PRIVATE_FILE_MODE);
}

/** What runProcess needs from a ledger. */
export interface GroupRecorder {
  record(pgid: number, command: string): Promise<void>;
  forget(pgid: number): void;
}

export class ProcessGroupLedger implements GroupRecorder {
  private owner: Promise<z.infer<typeof Owner>> | undefined;
  constructor(readonly file: string, private readonly startTimeOf: (pid: number) => Promise<string | undefined> = processStartTime) {}

  private self(): Promise<z.infer<typeof Owner>> {
    this.owner ??= this.startTimeOf(process.pid).then((t) => ({ pid: process.pid, startTime: t ?? null }));
    return this.owner;
  }

  async record(pgid: number, command: string): Promise<void> {
    const [owner, leaderStart] = await Promise.all([this.self(), this.startTimeOf(pgid)]);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const entry: GroupEntry = { pgid, leaderStart: leaderStart ?? null, owner, command: command.slice(0, 300), startedAt: new Date().toISOString() };
    update(this.file, (groups) => [...groups.filter((g) => g.pgid !== pgid), entry]);
  }

  forget(pgid: number): void {
    if (!fs.existsSync(this.file)) return;
    update(this.file, (groups) => groups.filter((g) => g.pgid !== pgid));
  }
}

/** Whether any process of the group still exists (kill 0 to the group). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OrphanOutcome {
  pgid: number;
  command: string;
  /** stopped: SIGTERM was enough; killed: it needed SIGKILL; gone: nothing left; reused: the pid now leads an unrelated group, left alone. */
  outcome: 'stopped' | 'killed' | 'gone' | 'reused';
}

export interface StopOrphansOptions {
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number;
  /** Test seams. */
  startTimeOf?: (pid: number) => Promise<string | undefined>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stopGroup(pgid: number, graceMs: number): Promise<'stopped' | 'killed' | 'gone'> {
  if (!groupAlive(pgid)) return 'gone';
  try { process.kill(-pgid, 'SIGTERM'); } catch { return 'gone'; }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return 'stopped';
    await sleep(50);
  }
  try { process.kill(-pgid, 'SIGKILL'); } catch { return 'stopped'; }
  for (let i = 0; i < 40 && groupAlive(pgid); i++) await sleep(25);
  return 'killed';
}

/**
 * Stops every recorded group whose owning engine process is gone, and drops their entries. Call it with
 * the run lock held, before any step runs: what a dead run left is then stopped before it is re-run.
 */
export async function stopOrphanedGroups(file: string, opts: StopOrphansOptions = {}): Promise<OrphanOutcome[]> {
  const startTimeOf = opts.startTimeOf ?? processStartTime;
  const outcomes: OrphanOutcome[] = [];
  const handled = new Set<number>();
  for (const g of readEntries(file)) {
    if (!(await processGone(g.owner, startTimeOf))) continue;
    handled.add(g.pgid);
    // A live leader with another start time is a new process that was given the old pid: not ours. (While
    // any member of the old group lives, its id cannot be handed out again, so a group without a live
    // leader is still the one that was recorded.)
    if (pidAlive(g.pgid) && g.leaderStart !== null) {
      const now = await startTimeOf(g.pgid);
      if (now !== undefined && now !== g.leaderStart) {
        outcomes.push({ pgid: g.pgid, command: g.command, outcome: 'reused' });
        continue;
      }
    }
    outcomes.push({ pgid: g.pgid, command: g.command, outcome: await stopGroup(g.pgid, opts.graceMs ?? 3000) });
  }
  if (handled.size > 0) update(file, (groups) => groups.filter((g) => !handled.has(g.pgid)));
  return outcomes;
}
