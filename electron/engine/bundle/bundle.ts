// The support bundle (shared/api/bundle.ts): one .tar.gz with everything needed to diagnose a failed
// install — run logs, journal, settings, what other modules add (doctor, host, tools) and the cluster's
// pods, events, describes and container logs — every text passed through the redaction, a MANIFEST first.
// Files are staged in a private temp dir (removed on every path out), archived with the `tar` package,
// and the archive is written beside its final name and renamed, so a half-written bundle never exists.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import type { KubeConfig } from '@kubernetes/client-node';
import type { BundleFile, BundleResult } from '../../../shared/api/bundle.js';
import type { AppPaths } from '../paths.js';
import type { Redactor } from '../process/redact.js';
import { collectCluster } from './cluster.js';
import { redactText } from './redact.js';

export type { BundleFile, BundleResult };

export interface BundleExtra {
  /** Path inside the bundle (`doctor.json`, `extra/tools.json`); names the bundle uses itself go under extra/. */
  name: string;
  content: string;
}

export interface BundleOptions {
  paths: AppPaths;
  outFile: string;
  redactor: Redactor;
  /** The profile's context; undefined when there is no cluster. */
  kubeconfig?: KubeConfig | undefined;
  /** The app's namespaces to describe. */
  namespaces: string[];
  extras?: BundleExtra[];
  now?: () => Date;
  signal?: AbortSignal;
  /** Per cluster request (tests shorten it). */
  requestTimeoutMs?: number;
}

/** A run log can grow without bound (a vLLM crash loop); the end is what explains a failure. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MANIFEST = 'MANIFEST';
/** Top-level names the bundle writes itself: an extra may not overwrite them. */
const RESERVED = [MANIFEST, 'journal.json', 'settings.json'];
const RESERVED_DIRS = ['logs/', 'cluster/'];

/** 2025-01-31T14-05-09Z: sortable, and valid in a file name everywhere (no colons). */
export function bundleStamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** The folder the engine's own bundles go to (and the only one the browser host offers downloads from). */
export const supportDir = (paths: Pick<AppPaths, 'dataDir'>): string => path.join(paths.dataDir, 'support');

/** Where the engine puts a bundle when the caller does not say: <dataDir>/support/llm-d-support-<time>.tar.gz. */
export function defaultBundleFile(paths: Pick<AppPaths, 'dataDir'>, now: Date = new Date()): string {
  return path.join(supportDir(paths), `llm-d-support-${bundleStamp(now)}.tar.gz`);
}

const safeSegment = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+$/, '_') || '_';

/** An extra's name as a safe relative path: no absolute paths, no `..`, nothing over the bundle's own files. */
export function extraPath(name: string): string {
  const rel = name.split(/[\\/]+/).filter((s) => s && s !== '.' && s !== '..').map(safeSegment).join('/') || 'extra';
  return RESERVED.includes(rel) || RESERVED_DIRS.some((d) => rel.startsWith(d)) ? `extra/${rel}` : rel;
}

/** The staged copy of the bundle: each file redacted once, written 0600, recorded for the MANIFEST. */
class Stage {
  readonly files: BundleFile[] = [];
  private readonly taken = new Set<string>([MANIFEST]);

  constructor(readonly root: string, private readonly redactor: Redactor) {}

  async add(rel: string, content: string, preRedacted = 0): Promise<void> {
    const name = this.unique(rel);
    const r = redactText(this.redactor, content);
    await this.write(name, r.text);
    this.files.push({ path: name, bytes: Buffer.byteLength(r.text), redactions: r.redactions + preRedacted });
  }

  async write(name: string, text: string): Promise<void> {
    const target = path.join(this.root, ...name.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await fs.writeFile(target, text, { mode: 0o600, flag: 'wx' });
  }

  /** Two sources naming the same path (an extra called like a log) both survive, the second renamed. */
  private unique(rel: string): string {
    let name = rel;
    for (let i = 2; this.taken.has(name); i++) {
      const ext = path.posix.extname(rel);
      name = `${rel.slice(0, rel.length - ext.length)}-${i}${ext}`;
    }
    this.taken.add(name);
    return name;
  }
}

type TextRead = { text: string } | { skipped: string };

/** A file as text, its last MAX_FILE_BYTES only; binary files are skipped (they cannot be redacted). */
async function readText(file: string): Promise<TextRead> {
  const fh = await fs.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const start = Math.max(0, size - MAX_FILE_BYTES);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    if (buf.subarray(0, 8192).includes(0)) return { skipped: 'binary content' };
    let text = buf.toString('utf8');
    if (start > 0) {
      // Drop the cut first line so no half value (half a token) survives the cut unredacted.
      text = `[the first ${start} bytes were left out: the file is larger than ${MAX_FILE_BYTES} bytes]\n${text.slice(text.indexOf('\n') + 1)}`;
    }
    return { text };
  } finally {
    await fh.close();
  }
}

const isMissing = (e: unknown): boolean => (e as { code?: unknown })?.code === 'ENOENT';

/** Every regular file under dir, sorted, as paths relative to it. Symlinks are not followed: they could
 *  point anywhere (a kubeconfig, a key), and nothing the app writes into logs/ is a link. */
async function listFiles(dir: string, rel = ''): Promise<{ files: string[]; links: string[] }> {
  const entries = (await fs.readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const out = { files: [] as string[], links: [] as string[] };
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      const sub = await listFiles(dir, r);
      out.files.push(...sub.files);
      out.links.push(...sub.links);
    } else if (e.isFile()) out.files.push(r);
    else if (e.isSymbolicLink()) out.links.push(r);
  }
  return out;
}

async function addLogs(stage: Stage, logsDir: string, warnings: string[], signal: AbortSignal | undefined): Promise<void> {
  let found: { files: string[]; links: string[] };
  try {
    found = await listFiles(logsDir);
  } catch (e) {
    warnings.push(isMissing(e) ? 'No run logs yet (the logs folder does not exist).' : `Run logs could not be listed: ${(e as Error).message}`);
    return;
  }
  for (const l of found.links) warnings.push(`logs/${l} was left out: it is a symbolic link.`);
  for (const rel of found.files) {
    signal?.throwIfAborted();
    await addFile(stage, path.join(logsDir, ...rel.split('/')), `logs/${rel.split('/').map(safeSegment).join('/')}`, warnings);
  }
}

/** One file of the data dir; a missing one is only noted (a fresh install has no journal yet). */
async function addFile(stage: Stage, file: string, name: string, warnings: string[], missing?: string): Promise<void> {
  let read: TextRead;
  try {
    read = await readText(file);
  } catch (e) {
    if (!isMissing(e)) warnings.push(`${name} could not be read: ${(e as Error).message}`);
    else if (missing) warnings.push(missing);
    return;
  }
  if ('skipped' in read) warnings.push(`${name} was left out: ${read.skipped}.`);
  else await stage.add(name, read.text);
}

async function addCluster(stage: Stage, o: BundleOptions, warnings: string[]): Promise<string> {
  const kc = o.kubeconfig;
  if (!kc) {
    warnings.push('No cluster: the bundle has no cluster state.');
    return 'none';
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) {
    warnings.push(`The kubeconfig's context "${kc.getCurrentContext()}" names no cluster: the bundle has no cluster state.`);
    return `context ${kc.getCurrentContext()} (no cluster)`;
  }
  const c = await collectCluster({ kc, namespaces: o.namespaces, signal: o.signal, ...(o.requestTimeoutMs ? { requestTimeoutMs: o.requestTimeoutMs } : {}) });
  for (const f of c.files) await stage.add(f.path, f.content, f.redactions ?? 0);
  warnings.push(...c.warnings);
  return `context ${kc.getCurrentContext()} at ${server}`;
}

/** The first file of the archive: what is in it, how much was redacted where, and what is missing. */
function renderManifest(o: { createdAt: Date; root: string; cluster: string; namespaces: string[]; files: BundleFile[]; warnings: string[] }): string {
  const width = Math.max(5, ...o.files.map((f) => String(f.bytes).length));
  const total = o.files.reduce((n, f) => n + f.redactions, 0);
  return [
    'llm-d Installer support bundle',
    `Created:    ${o.createdAt.toISOString()}`,
    `Folder:     ${o.root}/`,
    `Cluster:    ${o.cluster}`,
    `Namespaces: ${o.namespaces.join(', ') || '(none)'}`,
    '',
    'Secrets are redacted: values the app knows to be secret, and anything shaped like a credential',
    '(authorization headers, Hugging Face tokens, kubeconfig credentials, secret-named settings), are',
    `replaced with ***. ${total} value(s) were replaced. Neither the kubeconfig nor any Secret's data is included.`,
    '',
    `Files (${o.files.length}, besides this MANIFEST):`,
    `  ${'bytes'.padStart(width)}  redacted  path`,
    ...o.files.map((f) => `  ${String(f.bytes).padStart(width)}  ${String(f.redactions).padStart(8)}  ${f.path}`),
    '',
    `Warnings (${o.warnings.length}):`,
    ...(o.warnings.length ? o.warnings.map((w) => `  - ${w}`) : ['  (none)']),
    '',
  ].join('\n');
}

/** Archives the staged entries into outFile (0600) through a temporary name beside it. */
async function writeArchive(stageDir: string, entries: string[], outFile: string): Promise<number> {
  await fs.mkdir(path.dirname(outFile), { recursive: true, mode: 0o700 });
  const partial = `${outFile}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  try {
    await tar.create({ gzip: true, file: partial, cwd: stageDir, portable: true, mode: 0o600 }, entries);
    // The mode option is subject to the umask and not applied to an existing file: set it explicitly.
    await fs.chmod(partial, 0o600);
    await fs.rename(partial, outFile);
  } catch (e) {
    await fs.rm(partial, { force: true });
    throw e;
  }
  return (await fs.stat(outFile)).size;
}

export async function createSupportBundle(opts: BundleOptions): Promise<BundleResult> {
  const createdAt = (opts.now ?? (() => new Date()))();
  const root = `llm-d-support-${bundleStamp(createdAt)}`;
  const outFile = path.resolve(opts.outFile);
  const stageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-bundle-'));
  try {
    const stage = new Stage(path.join(stageDir, root), opts.redactor);
    const warnings: string[] = [];
    await addLogs(stage, opts.paths.logsDir, warnings, opts.signal);
    await addFile(stage, opts.paths.journalFile, 'journal.json', warnings, 'No journal.json yet (no install has run).');
    await addFile(stage, opts.paths.settingsFile, 'settings.json', warnings);
    for (const x of opts.extras ?? []) await stage.add(extraPath(x.name), x.content);
    opts.signal?.throwIfAborted();
    const cluster = await addCluster(stage, opts, warnings);
    opts.signal?.throwIfAborted();

    // Warnings quote server messages and file names: they are redacted like everything else.
    const safeWarnings = warnings.map((w) => redactText(opts.redactor, w).text);
    const manifest = redactText(opts.redactor, renderManifest({ createdAt, root, cluster, namespaces: opts.namespaces, files: stage.files, warnings: safeWarnings }));
    await stage.write(MANIFEST, manifest.text);
    const files: BundleFile[] = [{ path: MANIFEST, bytes: Buffer.byteLength(manifest.text), redactions: manifest.redactions }, ...stage.files];
    const bytes = await writeArchive(stageDir, files.map((f) => `${root}/${f.path}`), outFile);
    return { file: outFile, bytes, files, warnings: safeWarnings };
  } finally {
    await fs.rm(stageDir, { recursive: true, force: true });
  }
}
