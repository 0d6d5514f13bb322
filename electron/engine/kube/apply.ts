// Server-side apply of manifests with client-node (docs/architecture.md §4 step 5): CRDs first, then namespaces,
// then everything else; every failure is surfaced with the object it concerns (the guide's script
// swallows them with `|| true`).
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import YAML from 'yaml';
import { ApiException } from '../../../shared/result.js';
import { isNotFound, kubeError } from './errors.js';

export const FIELD_MANAGER = 'llm-d-installer';

export interface ManifestObject extends KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
}

export const refOf = (o: ManifestObject): string => `${o.kind.toLowerCase()}/${o.metadata.name}${o.metadata.namespace ? ` -n ${o.metadata.namespace}` : ''}`;

/** Parses multi-document YAML into objects, refusing documents that are not Kubernetes objects. */
export function parseManifests(text: string, source = 'manifest'): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const [i, doc] of YAML.parseAllDocuments(text).entries()) {
    if (doc.errors.length) throw new ApiException('BAD_REQUEST', `${source}, document ${i + 1}: ${doc.errors[0]!.message}`);
    const o: unknown = doc.toJSON();
    if (o == null) continue; // empty document between separators
    const obj = o as Partial<ManifestObject>;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
      throw new ApiException('BAD_REQUEST', `${source}, document ${i + 1} is not a Kubernetes object (apiVersion, kind and metadata.name are required).`);
    }
    if (obj.kind.endsWith('List') && Array.isArray((o as { items?: unknown }).items)) {
      out.push(...((o as { items: ManifestObject[] }).items));
      continue;
    }
    out.push(obj as ManifestObject);
  }
  return out;
}

const rank = (o: ManifestObject): number => (o.kind === 'CustomResourceDefinition' ? 0 : o.kind === 'Namespace' ? 1 : 2);

export interface ApplyResult {
  ref: string;
  object: ManifestObject;
}

/** Applies objects in dependency order; stops at the first failure and says which object failed. */
export async function applyObjects(kc: KubeConfig, objects: ManifestObject[], opts: { signal?: AbortSignal; onApplied?: (ref: string) => void } = {}): Promise<ApplyResult[]> {
  const ordered = [...objects].sort((a, b) => rank(a) - rank(b));
  const results: ApplyResult[] = [];
  let client = KubernetesObjectApi.makeApiClient(kc);
  let lastRank = -1;
  for (const obj of ordered) {
    if (opts.signal?.aborted) throw new ApiException('CANCELLED', 'Cancelled while applying manifests.');
    // The object API caches discovery per group-version: after CRDs are created, start a fresh client
    // so the new resources are discovered.
    if (rank(obj) !== lastRank) {
      client = KubernetesObjectApi.makeApiClient(kc);
      lastRank = rank(obj);
    }
    // managedFields must not be sent with an apply patch.
    const { managedFields: _mf, resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...metadata } = obj.metadata as Record<string, unknown>;
    const body = { ...obj, metadata } as ManifestObject;
    try {
      const applied = await client.patch(body, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
      results.push({ ref: refOf(obj), object: applied as ManifestObject });
      opts.onApplied?.(refOf(obj));
    } catch (e) {
      throw kubeError(e, `Applying ${refOf(obj)} failed`);
    }
  }
  return results;
}

/** Deletes objects in reverse dependency order; a missing object counts as deleted. */
export async function deleteObjects(kc: KubeConfig, objects: ManifestObject[]): Promise<string[]> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const deleted: string[] = [];
  for (const obj of [...objects].sort((a, b) => rank(b) - rank(a))) {
    try {
      await client.delete({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) } });
      deleted.push(refOf(obj));
    } catch (e) {
      if (isNotFound(e)) continue;
      throw kubeError(e, `Deleting ${refOf(obj)} failed`);
    }
  }
  return deleted;
}
