// Engine methods and events (settings, prerequisites, plan, run, journal) — grown by the engine issue.
export const engineMethods = {} as const;
export const engineEvents = {} as const;
