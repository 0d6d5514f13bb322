// The app's one Api instance, set at start-up (main.tsx) and read by the stores.
import type { Api } from './client.js';

let current: Api | undefined;

export const setApi = (api: Api): void => {
  current = api;
};

export function api(): Api {
  if (!current) throw new Error('The API is not connected yet.');
  return current;
}
