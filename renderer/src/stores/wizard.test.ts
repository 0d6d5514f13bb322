import { describe, expect, it } from 'vitest';
import { STEPS } from '../steps.js';
import { effectiveTheme } from './theme.js';
import { stepFromHash } from './wizard.js';

describe('wizard and theme', () => {
  it('names every step of the flow in order', () => {
    expect(STEPS.map((s) => s.title)).toEqual(['Welcome', 'System check', 'Prerequisites', 'Configure', 'Plan', 'Install', 'Cluster', 'Playground', 'Manage']);
  });

  it('reads the step from the address bar hash', () => {
    expect(stepFromHash('#/system-check')).toBe('system-check');
    expect(stepFromHash('#welcome')).toBe('welcome');
    expect(stepFromHash('#/nope')).toBeUndefined();
    expect(stepFromHash('')).toBeUndefined();
  });

  it('follows the system theme unless one is chosen', () => {
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme('system', false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
    expect(effectiveTheme('dark', false)).toBe('dark');
  });
});
