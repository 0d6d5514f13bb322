// The stack releases the app ships, as this node would run them (stack.releases): Configure's release
// choice and the defaults Advanced shows. The images depend on the GPU toggle (an NVIDIA model server vs
// the CPU one), so the view is asked again whenever the form's GPU choice changes.
import { create } from 'zustand';
import type { ReleasesView } from '../../../shared/api/stack.js';
import type { ImageRole, ReleaseSummary } from '../../../shared/release.js';
import { api } from '../api/index.js';

interface ReleasesState {
  view?: ReleasesView;
  /** The GPU choice `view` was asked for (the form may have moved on while it loads). */
  gpu?: boolean;
  loading: boolean;
  error?: string;
  load(gpu: boolean): Promise<void>;
}

let seq = 0;

export const useReleases = create<ReleasesState>((set) => ({
  loading: false,
  async load(gpu) {
    const mine = ++seq;
    set({ loading: true });
    const r = await api().invoke('stack.releases', { gpu });
    if (mine !== seq) return; // the GPU toggle moved again: the newer answer wins
    if (r.ok) set({ view: r.value, gpu, loading: false, error: undefined });
    else set({ loading: false, error: r.error.message });
  },
}));

/** "2025-12" → "December 2025" (the release's upstream month), in the app's English. */
export function releaseMonth(date: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(date);
  if (!m) return date;
  const month = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  return `${month} ${m[1]}`;
}

/** The last path component and tag of a reference: what tells two images apart at a glance. */
export function shortRef(ref: string): string {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  return slash >= 0 ? noDigest.slice(slash + 1) : noDigest;
}

export interface ReleaseImageLine {
  role: ImageRole;
  label: string;
  ref: string;
  vllmVersion?: string;
  /** The chosen release runs a different image for this job: choosing this release changes it. */
  differs: boolean;
}

/**
 * A release's images for its line on Configure. On a release other than the chosen one, each image the
 * chosen release does not run is marked — "what differs" between releases is mostly which images (and
 * which vLLM) they run on this machine.
 */
export function releaseImageLines(r: ReleaseSummary, chosen: ReleaseSummary | undefined): ReleaseImageLine[] {
  return r.images.map((i) => ({
    role: i.role,
    label: i.label,
    ref: i.ref,
    ...(i.vllmVersion ? { vllmVersion: i.vllmVersion } : {}),
    differs: chosen !== undefined && chosen.id !== r.id && !chosen.images.some((c) => c.role === i.role && c.ref === i.ref),
  }));
}
