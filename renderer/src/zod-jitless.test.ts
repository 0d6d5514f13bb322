// renderer/public/zod-jitless.js turns zod's eval probe off before any module runs by writing zod's global
// config object; this proves the installed zod still keeps its config there (an upgrade that moved it would
// bring the CSP violations back, and the console guard of the journeys would be the first to say so).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

describe('zod’s global config', () => {
  it('is globalThis.__zod_globalConfig, which the pre-module script sets', () => {
    const config = z.config();
    expect((globalThis as { __zod_globalConfig?: unknown }).__zod_globalConfig).toBe(config);
  });
});
