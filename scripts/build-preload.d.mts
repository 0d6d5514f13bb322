import type { BuildOptions } from 'esbuild';

export interface ContractNames {
  PRELOAD_GLOBAL: string;
  IPC_INVOKE_CHANNEL: string;
  IPC_EVENT_CHANNEL: string;
  methodNames: string[];
  topicNames: string[];
}
export function contractNames(root: string): Promise<ContractNames>;
export function contractNamesModule(names: ContractNames): string;
export function preloadBuildOptions(root: string): Promise<BuildOptions>;
