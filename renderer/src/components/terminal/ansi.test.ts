import { describe, expect, it } from 'vitest';
import { colourLine, stripAnsi } from './ansi.js';

describe('log line colours', () => {
  it('marks commands, errors and warnings, and leaves tool colours alone', () => {
    expect(colourLine('$ minikube start -p llm-d-cpu')).toBe('\u001b[1;36m$\u001b[0m \u001b[1mminikube start -p llm-d-cpu\u001b[0m');
    expect(colourLine('Error: UPGRADE FAILED')).toBe('\u001b[31mError: UPGRADE FAILED\u001b[0m');
    expect(colourLine('WARNING: kubectl is old')).toBe('\u001b[33mWARNING: kubectl is old\u001b[0m');
    expect(colourLine('plain text')).toBe('plain text');
    expect(colourLine('\u001b[32mgreen\u001b[0m')).toBe('\u001b[32mgreen\u001b[0m');
  });

  it('copies as plain text', () => {
    expect(stripAnsi(colourLine('$ helm list'))).toBe('$ helm list');
  });
});
