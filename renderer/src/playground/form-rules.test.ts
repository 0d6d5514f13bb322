// The Playground's forms accept exactly what the engine's contract accepts.
import { describe, expect, it } from 'vitest';
import { ChatParams, ExperimentRequest } from '../../../shared/api/chat.js';
import { EXPERIMENT_FIELDS, experimentSettingsValid, fieldValid } from './experiment.js';
import { paramsValid, paramValid } from './params.js';

describe('experiment settings', () => {
  it('take their bounds from the contract', () => {
    expect(EXPERIMENT_FIELDS.map((f) => [f.key, f.min, f.max])).toEqual([['requests', 2, 64], ['concurrency', 1, 16], ['maxTokens', 1, 512]]);
  });

  it('are valid exactly when the engine would take them', () => {
    const ok = { requests: 8, concurrency: 4, maxTokens: 16 };
    expect(experimentSettingsValid(ok)).toBe(true);
    for (const bad of [{ ...ok, requests: 1 }, { ...ok, concurrency: 17 }, { ...ok, maxTokens: Number.NaN }, { ...ok, requests: 2.5 }]) {
      expect(experimentSettingsValid(bad)).toBe(false);
      expect(ExperimentRequest.safeParse(bad).success).toBe(false);
    }
  });

  it('mark a field invalid outside its bounds or when emptied', () => {
    const requests = EXPERIMENT_FIELDS[0]!;
    expect([2, 64, 1, 65, Number.NaN].map((v) => fieldValid(requests, v))).toEqual([true, true, false, false, false]);
  });
});

describe('sampling parameters', () => {
  it('are valid field by field and as a whole exactly when the contract says so', () => {
    const ok = { temperature: 0.7, maxTokens: 256, topP: 1 };
    expect(paramsValid(ok)).toBe(true);
    expect(paramValid('temperature', 2.5)).toBe(false);
    expect(paramValid('topP', 0)).toBe(false);
    expect(paramValid('maxTokens', Number.NaN)).toBe(false);
    const bad = { ...ok, maxTokens: 40_000 };
    expect(paramsValid(bad)).toBe(false);
    expect(ChatParams.safeParse(bad).success).toBe(false);
  });
});
