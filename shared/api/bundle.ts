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
  /**
   * Writes the support bundle; without outFile the engine picks <dataDir>/support/llm-d-support-<time>.tar.gz.
   * `ask`: let the person choose where, when the transport can ask (the desktop app's native save dialog);
   * a dialog they dismiss answers CANCELLED and writes nothing. Where nobody can be asked (the browser
   * host, the CLI) the default location is used — the browser host then offers the file as a download.
   */
  'bundle.create': {
    request: z
      .object({ outFile: z.string().min(1).optional(), ask: z.boolean().optional(), settings: SettingsOverrides.optional() })
      .strict()
      .refine((r) => !(r.ask && r.outFile), { message: 'Give either outFile or ask, not both.' }),
    response: BundleResult,
  },
} as const;

export const bundleEvents = {} as const;

/** The name every bundle the engine names itself has (llm-d-support-<bundleStamp>.tar.gz): what the browser host's download accepts, nothing else. */
export const BUNDLE_FILE_NAME = /^llm-d-support-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.tar\.gz$/;

/** Where the browser host offers a bundle of its support folder as a download (electron/web/downloads.ts). */
export const SUPPORT_DOWNLOAD_PATH = '/download/support/';

/** The link a browser tab opens to download the bundle at `file`; undefined when it is not one the host serves. */
export function supportDownloadHref(file: string, token: string): string | undefined {
  const name = file.split(/[\\/]/).pop() ?? '';
  return BUNDLE_FILE_NAME.test(name) ? `${SUPPORT_DOWNLOAD_PATH}${name}?token=${encodeURIComponent(token)}` : undefined;
}
