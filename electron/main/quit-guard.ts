// Quitting the desktop app while a run is active (issue #14): the engine cancels the run when the app
// quits, which used to happen without a word. The decision is a pure function of the journal so it can be
// tested without Electron; main.ts shows the prompt and acts on the answer.
import type { JournalView } from '../../shared/api/engine.js';

export interface QuitPrompt {
  message: string;
  detail: string;
  buttons: string[];
  /** Index of the button that quits. */
  quitButton: number;
  /** Enter and Escape (and closing the dialog) keep the app open. */
  defaultId: number;
  cancelId: number;
}

export type QuitDecision = { action: 'quit' } | { action: 'ask'; prompt: QuitPrompt };

/**
 * Whether to ask before quitting. Only a run of *this* process stops when the app quits (a CLI run in
 * another process keeps going), so only that one is asked about. An unreadable journal (undefined) means
 * nothing is known to be running here.
 */
export function quitDecision(view: JournalView | undefined, pid: number): QuitDecision {
  const journal = view?.journal;
  if (!journal || journal.status !== 'running' || journal.pid !== pid || view.interrupted) return { action: 'quit' };
  const install = journal.kind === 'up';
  return {
    action: 'ask',
    prompt: {
      message: install ? 'An install is running. Quit anyway?' : 'A teardown is running. Quit anyway?',
      detail: install
        ? 'Quitting stops the install at the step it has reached. Nothing is lost: the next time you open the app it offers to resume from there.'
        : 'Quitting stops the teardown part-way. The next time you open the app, run the teardown again to finish it.',
      buttons: ['Keep running', 'Quit'],
      quitButton: 1,
      defaultId: 0,
      cancelId: 0,
    },
  };
}
