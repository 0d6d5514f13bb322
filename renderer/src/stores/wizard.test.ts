import { describe, expect, it } from 'vitest';
import { railStep, STEPS } from '../steps.js';
import { effectiveTheme } from './theme.js';
import { pageFromHash } from './wizard.js';

describe('wizard and theme', () => {
  it('names every step of the flow in order', () => {
    expect(STEPS.map((s) => s.title)).toEqual(['Welcome', 'System check', 'Prerequisites', 'Configure', 'Plan', 'Install', 'Cluster', 'Playground', 'Manage']);
  });

  it('reads the page from the address bar hash', () => {
    expect(pageFromHash('#/system-check')).toBe('system-check');
    expect(pageFromHash('#welcome')).toBe('welcome');
    expect(pageFromHash('#/teardown')).toBe('teardown');
    expect(pageFromHash('#/nope')).toBeUndefined();
    expect(pageFromHash('#/toString')).toBeUndefined();
    expect(pageFromHash('')).toBeUndefined();
  });

  it('highlights Manage in the rail while the teardown is shown, and each step as itself', () => {
    expect(railStep('teardown')).toBe('manage');
    expect(railStep('install')).toBe('install');
  });

  it('follows the system theme unless one is chosen', () => {
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme('system', false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
    expect(effectiveTheme('dark', false)).toBe('dark');
  });
});
