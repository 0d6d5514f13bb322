// The preflight image check (docs/architecture.md §4 "Stack releases"): before the cluster starts, each image of the
// plan is asked of its registry, so a removed or private image costs seconds, not a twenty-minute install.
import { z } from 'zod';
import { Arch, ImageRole } from '../release.js';
import { ImageCheck } from '../registry.js';
import { SettingsOverrides } from './settings.js';

/** ok: pullable; blocker: the install would fail on it; warning: could not tell (offline, proxy, rate limit). */
export const ImageVerdict = z.enum(['ok', 'blocker', 'warning']);
export type ImageVerdict = z.infer<typeof ImageVerdict>;

export const ImageReport = z.object({
  role: ImageRole,
  label: z.string(),
  ref: z.string(),
  overridden: z.boolean(),
  verdict: ImageVerdict,
  check: ImageCheck,
  /** What to do about it, in a sentence (absent when ok). */
  advice: z.string().optional(),
});
export type ImageReport = z.infer<typeof ImageReport>;

export const ImagesReport = z.object({
  release: z.object({ id: z.string(), title: z.string() }),
  arch: Arch,
  images: z.array(ImageReport),
  /** No blocker (warnings allowed). */
  ok: z.boolean(),
  checkedAt: z.string(),
});
export type ImagesReport = z.infer<typeof ImagesReport>;

export const imagesMethods = {
  /** Checks the images of the saved settings' plan (or of the given settings, e.g. while editing Configure). */
  'images.check': {
    request: z.object({ settings: SettingsOverrides.optional() }).strict(),
    response: ImagesReport,
  },
} as const;
