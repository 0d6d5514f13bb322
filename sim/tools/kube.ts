// The little of a Kubernetes client the simulated helm needs, over fetch: discovery (kind → resource),
// server-side apply, get, delete, list — against the server the kubeconfig names.
import type { KubeObject } from '../apiserver/types.js';

interface ApiResource { name: string; kind: string; namespaced: boolean }

export class NoKindMatch extends Error {
  constructor(readonly obj: KubeObject) {
    super(`resource mapping not found for name: "${obj.metadata.name}" namespace: "${obj.metadata.namespace ?? ''}" from "": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`);
  }
}

export class KubeError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export class KubeClient {
  private readonly discovery = new Map<string, ApiResource[] | null>();
  constructor(readonly server: string) {}

  private async resources(apiVersion: string, refresh = false): Promise<ApiResource[] | null> {
    if (!refresh && this.discovery.has(apiVersion)) return this.discovery.get(apiVersion) ?? null;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await fetch(`${this.server}${path}`);
    const list = res.ok ? ((await res.json()) as { resources: ApiResource[] }).resources.filter((r) => !r.name.includes('/')) : null;
    this.discovery.set(apiVersion, list);
    return list;
  }

  async mapping(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<ApiResource | undefined> {
    let r = (await this.resources(obj.apiVersion))?.find((x) => x.kind === obj.kind);
    if (!r) r = (await this.resources(obj.apiVersion, true))?.find((x) => x.kind === obj.kind);
    return r;
  }

  async path(obj: KubeObject, withName = true): Promise<string> {
    const r = await this.mapping(obj);
    if (!r) throw new NoKindMatch(obj);
    const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
    const ns = r.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
    return `${base}${ns}/${r.name}${withName ? `/${encodeURIComponent(obj.metadata.name)}` : ''}`;
  }

  private async check(res: Response): Promise<unknown> {
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try { message = (JSON.parse(text) as { message?: string }).message ?? text; } catch { /* plain text */ }
      throw new KubeError(res.status, message);
    }
    return text ? JSON.parse(text) : undefined;
  }

  async apply(obj: KubeObject, fieldManager = 'helm'): Promise<KubeObject> {
    const url = `${this.server}${await this.path(obj)}?fieldManager=${fieldManager}&force=true`;
    return (await this.check(await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/apply-patch+yaml' }, body: JSON.stringify(obj) }))) as KubeObject;
  }

  async get(obj: KubeObject): Promise<KubeObject | undefined> {
    const res = await fetch(`${this.server}${await this.path(obj)}`);
    if (res.status === 404) return undefined;
    return (await this.check(res)) as KubeObject;
  }

  async delete(obj: KubeObject): Promise<void> {
    let path: string;
    try { path = await this.path(obj); } catch (e) { if (e instanceof NoKindMatch) return; throw e; }
    const res = await fetch(`${this.server}${path}`, { method: 'DELETE' });
    if (res.status !== 404) await this.check(res);
  }

  async list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]> {
    const probe = { apiVersion, kind, metadata: { name: 'x', ...(namespace ? { namespace } : {}) } } as KubeObject;
    const base = await this.path(probe, false);
    const path = namespace ? base : base.replace(/\/namespaces\/[^/]+/, '');
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return ((await this.check(await fetch(`${this.server}${path}${q}`))) as { items: KubeObject[] }).items;
  }

  async namespaceExists(name: string): Promise<boolean> {
    return (await fetch(`${this.server}/api/v1/namespaces/${name}`)).ok;
  }

  async createNamespace(name: string): Promise<void> {
    if (await this.namespaceExists(name)) return;
    await this.check(await fetch(`${this.server}/api/v1/namespaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) }));
  }
}
