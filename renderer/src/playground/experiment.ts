// The routing experiment's settings as the Playground edits them: each field with its bounds, which are
// the contract's (shared/api/chat.ts ExperimentRequest), so the form can never accept what the engine
// would refuse, nor refuse what it would take.
import { z } from 'zod';
import { ExperimentRequest } from '../../../shared/api/chat.js';

export interface ExperimentSettings {
  /** Requests per arm. */
  requests: number;
  concurrency: number;
  maxTokens: number;
}

export interface ExperimentField {
  key: keyof ExperimentSettings;
  label: string;
  min: number;
  max: number;
  help: string;
}

const bounds = (key: keyof ExperimentSettings): { min: number; max: number } => {
  const field = ExperimentRequest.shape[key];
  // maxTokens has a default: its bounds are on the number inside.
  const schema = field instanceof z.ZodDefault ? field.unwrap() : field;
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
};

export const EXPERIMENT_FIELDS: readonly ExperimentField[] = [
  { key: 'requests', label: 'Requests per group', ...bounds('requests'), help: 'Sent once with a shared prefix, once with distinct prompts.' },
  { key: 'concurrency', label: 'Concurrency', ...bounds('concurrency'), help: 'Requests in flight at once. Higher lets queue depth compete with prefix affinity.' },
  { key: 'maxTokens', label: 'Max tokens', ...bounds('maxTokens'), help: 'Per reply; short keeps the run quick.' },
];

/** A field's value is a whole number within its bounds (an emptied field is NaN: not valid). */
export const fieldValid = (f: ExperimentField, value: number): boolean => Number.isInteger(value) && value >= f.min && value <= f.max;

/** Whether the engine would accept these settings (the Run button is enabled only then). */
export const experimentSettingsValid = (s: ExperimentSettings): boolean => ExperimentRequest.safeParse(s).success;
