// `npm run cli -- bundle [--out FILE] [--json]`: the support bundle from a terminal. The caller (electron/cli)
// parses flags and loads the kubeconfig; this creates the bundle and reports it, as JSON or for a person.
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';
import type { AppPaths } from '../paths.js';
import type { Redactor } from '../process/redact.js';
import { createSupportBundle, defaultBundleFile, type BundleExtra, type BundleResult } from './bundle.js';

export interface BundleCommandOptions {
  paths: AppPaths;
  redactor: Redactor;
  kubeconfig?: KubeConfig | undefined;
  namespaces: string[];
  /** The archive to write; default <dataDir>/support/llm-d-support-<time>.tar.gz. */
  out?: string | undefined;
  extras?: BundleExtra[];
  json: boolean;
  io: { out(t: string): void };
  now?: () => Date;
  signal?: AbortSignal;
}

/** 1.2 MB, 340 kB, 12 B: enough to tell whether the file is small enough to attach. */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

export function bundleSummary(r: BundleResult): string {
  const redactions = r.files.reduce((n, f) => n + f.redactions, 0);
  return [
    `Support bundle written: ${r.file}`,
    `  ${humanBytes(r.bytes)}, ${r.files.length} files, ${redactions} secret value(s) redacted (see MANIFEST inside).`,
    ...(r.warnings.length ? [`  ${r.warnings.length} warning(s):`, ...r.warnings.map((w) => `    - ${w}`)] : []),
  ].join('\n');
}

/** 0 when the bundle was written, 1 when it could not be (the message says why, in the chosen format). */
export async function bundleCommand(o: BundleCommandOptions): Promise<number> {
  // One instant for both the default file name and the archive's folder, so they match.
  const at = (o.now ?? (() => new Date()))();
  const now = () => at;
  try {
    const result = await createSupportBundle({
      paths: o.paths,
      outFile: o.out ?? defaultBundleFile(o.paths, at),
      redactor: o.redactor,
      kubeconfig: o.kubeconfig,
      namespaces: o.namespaces,
      ...(o.extras ? { extras: o.extras } : {}),
      now,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    o.io.out(o.json ? JSON.stringify(result, null, 2) : bundleSummary(result));
    return 0;
  } catch (e) {
    const message = o.redactor.redact(e instanceof Error ? e.message : String(e));
    const code = e instanceof ApiException ? e.code : 'INTERNAL';
    o.io.out(o.json ? JSON.stringify({ ok: false, error: { code, message } }, null, 2) : `Could not write the support bundle: ${message}`);
    return 1;
  }
}
