// Waits are generous (vLLM on CPU takes many minutes to start) and overridable by environment for slow
// machines and for tests that use the simulated world's fast scenario.
export function timeoutMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
