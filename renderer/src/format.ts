// How figures are written on screen. The e2e test formats the engine's numbers with the same
// functions and looks for them on the page.
export const formatGiB = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
export const formatGB = (bytes: number): string => `${Math.floor(bytes / 1e9)} GB`;
export const formatCores = (n: number): string => `${n} ${n === 1 ? 'core' : 'cores'}`;
