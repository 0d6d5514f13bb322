// The support bundle: one .tar.gz holding everything needed to diagnose a failed install (run logs, the
// journal, settings, the cluster's pods, events, describes and container logs), with every secret replaced
// by ***, so a person can attach it to an issue without reading it first.
import { z } from 'zod';
import { SettingsOverrides } from './settings.js';

/** One file of the archive, as the MANIFEST lists it. */
export const BundleFile = z.object({
  /** Path inside the archive's root folder, with / separators (`cluster/default/pods.json`). */
  path: z.string(),
  /** Size in the archive, after redaction. */
  bytes: z.number().int().nonnegative(),
  /** How many values were replaced with *** in this file. */
  redactions: z.number().int().nonnegative(),
});
export type BundleFile = z.infer<typeof BundleFile>;

export const BundleResult = z.object({
  /** Absolute path of the .tar.gz written (mode 0600). */
  file: z.string(),
  /** Size of the archive. */
  bytes: z.number().int().nonnegative(),
  /** Every file of the archive, MANIFEST first. */
  files: z.array(BundleFile),
  /** What could not be collected (cluster unreachable, 403, missing journal...); the bundle is still valid. */
  warnings: z.array(z.string()),
});
export type BundleResult = z.infer<typeof BundleResult>;

export const bundleMethods = {
  /** Writes the support bundle; without outFile the engine picks <dataDir>/support/llm-d-support-<time>.tar.gz. */
  'bundle.create': {
    request: z.object({ outFile: z.string().min(1).optional(), settings: SettingsOverrides.optional() }).strict(),
    response: BundleResult,
  },
} as const;

export const bundleEvents = {} as const;
