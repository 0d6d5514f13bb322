// The journal (DESIGN.md §4): one JSON file in the app data dir recording each run and each step's start,
// end, outcome, duration and log file. Written atomically (temp file + rename) so a crash mid-write never
// leaves half a journal. A `running` journal whose process is gone means the run was interrupted, and the
// next start offers to resume it.
import fs from 'node:fs';
import path from 'node:path';
import { JournalDoc, type JournalView } from '../../../shared/api/engine.js';

export function writeJsonAtomic(file: string, value: unknown, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  fs.renameSync(tmp, file);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Journal {
  constructor(readonly file: string) {}

  read(): JournalDoc | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = JournalDoc.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  write(doc: JournalDoc): void {
    writeJsonAtomic(this.file, doc);
  }

  view(ownRunActive = false): JournalView {
    const journal = this.read();
    if (!journal) return { journal: null, resumable: false, interrupted: false };
    const live = journal.status === 'running' && (ownRunActive || (journal.pid !== process.pid && pidAlive(journal.pid)));
    const interrupted = journal.status === 'running' && !live;
    const resumable = journal.kind === 'up' && !live && journal.status !== 'succeeded';
    return { journal, resumable, interrupted };
  }
}
