// The preflight image check (images.check): each image of the saved plan asked of its registry. The
// Prerequisites page runs it on demand and once when it opens; the Install page reads it when the
// image-check step stopped a run. It takes seconds (network), so the store says when it is checking.
import { create } from 'zustand';
import { ImagesReport, type ImageReport, type ImageVerdict } from '../../../shared/api/images.js';
import type { ImageCheck, ImageCheckOutcome } from '../../../shared/registry.js';
import { api } from '../api/index.js';

interface ImagesState {
  report?: ImagesReport;
  checking: boolean;
  /** The call itself failed (not an image): shown as is, never swallowed. */
  error?: { message: string; hint?: string };
  check(): Promise<void>;
}

let seq = 0;

export const useImages = create<ImagesState>((set) => ({
  checking: false,
  async check() {
    const mine = ++seq;
    set({ checking: true, error: undefined });
    const r = await api().invoke('images.check', {});
    if (mine !== seq) return; // asked again meanwhile: the newer answer wins
    if (r.ok) set({ report: r.value, checking: false });
    else set({ checking: false, error: { message: r.error.message, ...(r.error.hint ? { hint: r.error.hint } : {}) } });
  },
}));

export const VERDICT_TEXT: Record<ImageVerdict, string> = {
  ok: 'Available',
  blocker: 'Cannot be pulled',
  warning: 'Could not check',
};

export const OUTCOME_TEXT: Record<ImageCheckOutcome, string> = {
  available: 'available',
  'not-found': 'not found',
  denied: 'access denied',
  'arch-missing': 'no build for this architecture',
  'rate-limited': 'rate-limited',
  unreachable: 'registry unreachable',
  'invalid-reference': 'not a valid reference',
};

/** The registry's own words, when it said something: "HTTP 401 · UNAUTHORIZED: authentication required". */
export function registryAnswer(c: ImageCheck): string | undefined {
  const parts = [
    c.httpStatus !== undefined ? `HTTP ${c.httpStatus}` : '',
    c.registryError ? `${c.registryError.code}: ${c.registryError.message}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

export interface ImagesTally {
  ok: number;
  blocker: number;
  warning: number;
  /** One line for the section's summary. */
  headline: string;
}

export function tallyImages(images: readonly ImageReport[]): ImagesTally {
  const n = (v: ImageVerdict) => images.filter((i) => i.verdict === v).length;
  const t = { ok: n('ok'), blocker: n('blocker'), warning: n('warning') };
  const img = (k: number) => `${k} ${k === 1 ? 'image' : 'images'}`;
  const headline = t.blocker
    ? `${img(t.blocker)} cannot be pulled — the install would stop at “Check the images in their registries”`
    : t.warning
      ? `${img(t.warning)} could not be checked — the install can go on`
      : `All ${img(t.ok)} are available for this machine`;
  return { ...t, headline };
}

/** An IMAGE_UNAVAILABLE error's details, when they are the report (the engine attaches it). */
export function imagesReportFrom(details: unknown): ImagesReport | undefined {
  const parsed = ImagesReport.safeParse(details);
  return parsed.success ? parsed.data : undefined;
}
