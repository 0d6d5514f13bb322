// The tools the installer checks and installs, on their own so both the engine contract (shared/api/engine.ts)
// and the task results (shared/api/tasks.ts, which engine.ts imports) name them from one place.
import { z } from 'zod';

export const ToolName = z.enum(['docker', 'podman', 'minikube', 'helm', 'helmfile', 'kubectl']);
export type ToolName = z.infer<typeof ToolName>;
