export const SIM_BUNDLE_ENTRIES: Record<string, string>;
export const FORWARDER_ENTRY: Record<string, string>;
export function bundleSim(outDir: string, entries?: Record<string, string>): Promise<void>;
