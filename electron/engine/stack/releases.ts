// Loads the stack releases kept as data under resources/releases/<id>/ (docs/architecture.md §4 "Stack releases"):
// release.yaml validated against shared/release.ts, its templates checked to exist. Synchronous and cached
// because the Plan page's describe() is synchronous and asks for the release once per step.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { ApiException } from '../../../shared/result.js';
import { StackRelease, stackRequests, type StackRequests } from '../../../shared/release.js';
import { findResourcesDir } from '../resources.js';

export const releasesDir = (resourcesDir: string): string => path.join(resourcesDir, 'releases');
export const releaseDir = (resourcesDir: string, id: string): string => path.join(releasesDir(resourcesDir), id);

const cache = new Map<string, StackRelease>();

/** Parses and validates one release folder; a broken release is a clear INTERNAL error naming the file. */
export function readRelease(dir: string): StackRelease {
  const file = path.join(dir, 'release.yaml');
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ApiException('INTERNAL', `Cannot read the stack release ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = StackRelease.safeParse(raw);
  if (!parsed.success) throw new ApiException('INTERNAL', `The stack release ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.id !== path.basename(dir)) {
    throw new ApiException('INTERNAL', `The stack release in ${dir} says id "${parsed.data.id}"; the folder and the id must match.`);
  }
  for (const t of parsed.data.templates) {
    if (!fs.existsSync(path.join(dir, 'templates', t))) throw new ApiException('INTERNAL', `The stack release ${parsed.data.id} names templates/${t}, which does not exist.`);
  }
  return parsed.data;
}

/** The ids of every release folder, newest date first. */
export function listReleases(resourcesDir: string = findResourcesDir()): StackRelease[] {
  const ids = fs.readdirSync(releasesDir(resourcesDir), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  return ids.map((id) => loadRelease(id, resourcesDir)).sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id));
}

export function loadRelease(id: string, resourcesDir: string = findResourcesDir()): StackRelease {
  const key = `${resourcesDir}\0${id}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = releaseDir(resourcesDir, id);
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(id) || !fs.existsSync(path.join(dir, 'release.yaml'))) {
    const known = fs.existsSync(releasesDir(resourcesDir)) ? fs.readdirSync(releasesDir(resourcesDir)).join(', ') : 'none';
    throw new ApiException('BAD_REQUEST', `There is no stack release "${id}".`, `Known releases: ${known}.`);
  }
  const release = readRelease(dir);
  cache.set(key, release);
  return release;
}

/** A template file of a release, as text. */
export function readTemplate(resourcesDir: string, release: StackRelease, name: string): string {
  if (!release.templates.includes(name)) throw new ApiException('INTERNAL', `The stack release ${release.id} has no template ${name}.`);
  return fs.readFileSync(path.join(releaseDir(resourcesDir, release.id), 'templates', name), 'utf8');
}

/** A settings issue when `id` names no release folder (the schema can only check its shape). */
export function releaseIssue(id: string, resourcesDir: string = findResourcesDir()): { path: string; message: string } | undefined {
  try {
    loadRelease(id, resourcesDir);
    return undefined;
  } catch (e) {
    if (e instanceof ApiException && e.code === 'BAD_REQUEST') return { path: 'release', message: `${e.message} ${e.hint ?? ''}`.trim() };
    throw e;
  }
}

/** What the release's non-model pods request, for the fit; null when there is no such release (releaseIssue says so). */
export function releaseRequests(id: string, resourcesDir: string = findResourcesDir()): StackRequests | null {
  return releaseIssue(id, resourcesDir) ? null : stackRequests(loadRelease(id, resourcesDir));
}
