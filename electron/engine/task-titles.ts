// What a person calls each task, set when it is registered (task-registry.ts) and carried on every
// task.progress event, so a listener (the Install page, another window, the CLI) names a task without
// re-deriving it from the request it did not see.
import type { ToolName } from '../../shared/tool-name.js';

export const taskTitles = {
  /** "Install llm-d (llm-d-0.9-optimized-baseline)"; a resume says so. */
  install: (release: string, resume: boolean): string => `${resume ? 'Resume the install of' : 'Install'} llm-d (${release})`,
  teardown: (profile: string): string => `Teardown (${profile})`,
  /** One tool, or "the missing prerequisites" when the engine finds out which. */
  prereqs: (tool: ToolName | undefined): string => (tool ? `Install prerequisite: ${tool}` : 'Install the missing prerequisites'),
  /** The model's own name, without its Hub organisation ("Chat with SmolLM2-360M-Instruct"). */
  chat: (model: string): string => `Chat with ${model.split('/').pop() || model}`,
  experiment: (requests: number): string => `Routing experiment (${requests} requests per arm)`,
} as const;
