// The journal (docs/architecture.md §4): one JSON file in the app data dir recording each run and each step's start,
// end, outcome, duration and log file. Written atomically (temp file + rename) so a crash mid-write never
// leaves half a journal. A `running` journal whose process is gone means the run was interrupted, and the
// next start offers to resume it.
import { JournalDoc, type JournalView } from '../../../shared/api/engine.js';
import { pidAlive, processGone } from '../process/process-identity.js';
import { moveAside, parseJson, readStateText, writeJsonAtomic, writePrivateJson } from '../state-file.js';

// Kept here for the modules that import it from the journal; it lives with the other state-file helpers.
export { writeJsonAtomic };

// Kept here for the modules that import it from the journal; it lives in process/process-identity.ts.
export { pidAlive };

/** What is on disk: no journal, a journal, or a file that is not one (truncated, hand-edited, another version). */
export type JournalRead = { state: 'missing' } | { state: 'ok'; doc: JournalDoc } | { state: 'corrupt'; reason: string };

/** Reading only (no locking): the file's text through the shared state-file reader, then the schema. */
export function readJournalFile(file: string): JournalRead {
  const t = readStateText(file);
  if (t.state === 'missing') return t;
  if (t.state === 'unreadable') return { state: 'corrupt', reason: t.message };
  const json = parseJson(t.text);
  if (!json.ok) return { state: 'corrupt', reason: json.message };
  const parsed = JournalDoc.safeParse(json.value);
  return parsed.success ? { state: 'ok', doc: parsed.data } : { state: 'corrupt', reason: 'is not a journal this version can read' };
}

export class Journal {
  /** Where the last corrupt journal was moved before a write replaced it (shown in the journal view). */
  movedAside: string | undefined;

  constructor(readonly file: string, readonly logsDir?: string) {}

  readState(): JournalRead {
    return readJournalFile(this.file);
  }

  read(): JournalDoc | null {
    const r = this.readState();
    return r.state === 'ok' ? r.doc : null;
  }

  write(doc: JournalDoc): void {
    // A corrupt journal is kept beside the new one rather than overwritten: it may be all that is left of
    // an interrupted run.
    if (this.readState().state === 'corrupt') this.movedAside = moveAside(this.file);
    writePrivateJson(this.file, doc);
  }

  /**
   * The journal with what it means now. A `running` journal is live while its process is: the pid and, when
   * recorded, the process start time (a pid the OS has since given to an unrelated process is not the run).
   */
  async view(ownRunActive = false): Promise<JournalView> {
    const r = this.readState();
    const moved = this.movedAside ? { movedAside: this.movedAside } : {};
    if (r.state === 'corrupt') {
      return { journal: null, resumable: false, interrupted: false, corrupt: { file: this.file, reason: r.reason, ...(this.logsDir ? { logsDir: this.logsDir } : {}) }, ...moved };
    }
    if (r.state === 'missing') return { journal: null, resumable: false, interrupted: false, ...moved };
    const journal = r.doc;
    const live = journal.status === 'running' && (ownRunActive
      || (journal.pid !== process.pid && !(await processGone({ pid: journal.pid, startTime: journal.pidStartTime ?? null }))));
    const interrupted = journal.status === 'running' && !live;
    const resumable = journal.kind === 'up' && !live && journal.status !== 'succeeded';
    return { journal, resumable, interrupted, ...moved };
  }
}
