// The contract between the simulated API server (sim/apiserver) and everything that lives in the same
// process as it (the controller, the "kubelet", replica servers in sim/cluster). The API server owns
// objects; the rest of the simulated cluster reads and writes them only through ObjectStore.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
  managedFields?: unknown[];
  generateName?: string;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Identifies a resource type: core group is ''. `resource` is the plural lower-case name ("pods"). */
export interface ResourceType {
  group: string;
  version: string;
  resource: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /** Events strictly after this resourceVersion are delivered (replayed from history when possible). */
  resourceVersion?: string;
}

/** Thrown by store operations; the API server maps it to a Kubernetes Status response. */
export class StoreError extends Error {
  /** Per-field detail (Status.details.causes), e.g. the fields of a server-side apply conflict. */
  causes?: Array<{ reason?: string; message: string; field?: string }>;
  /** Status.details name/group/kind when the request path does not carry them (a create). */
  details?: { name?: string; group?: string; kind?: string };

  constructor(
    readonly status: 404 | 409 | 410 | 422 | 400 | 403 | 405 | 415,
    readonly reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired' | 'Invalid' | 'BadRequest' | 'Forbidden' | 'MethodNotAllowed' | 'UnsupportedMediaType',
    message: string,
  ) {
    super(message);
  }
}

export interface ObjectStore {
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  list(type: ResourceType, opts?: ListOptions): { items: KubeObject[]; resourceVersion: string };
  create(type: ResourceType, obj: KubeObject): KubeObject;
  /** Replaces the object (optimistic concurrency when metadata.resourceVersion is set). */
  update(type: ResourceType, obj: KubeObject): KubeObject;
  /** Replaces only `.status` of an existing object. */
  updateStatus(type: ResourceType, namespace: string | undefined, name: string, status: unknown): KubeObject;
  /** Server-side apply of a (partial) object by a field manager; creates when absent. */
  apply(type: ResourceType, obj: KubeObject, fieldManager: string, force?: boolean): KubeObject;
  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  watch(type: ResourceType, opts: WatchOptions, onEvent: (type: WatchEventType, obj: KubeObject) => void): () => void;
  /** Current resourceVersion of the whole store. */
  resourceVersion(): string;
}

/**
 * Annotation on a pod that tells the API server where the pod's container ports really listen on this
 * machine, for pod port-forward: JSON object { "<containerPort>": <local port on 127.0.0.1> }.
 */
export const SIM_PORTS_ANNOTATION = 'sim.llm-d.ai/ports';

/**
 * Pod logs are files; the API server serves them (tail, follow, timestamps). Each line in the file is
 * `<RFC 3339 timestamp with nanoseconds> <text>` as the container runtime writes it; the API server strips
 * the timestamp unless `timestamps=true`.
 */
export const podLogFile = (stateDir: string, profile: string, namespace: string, pod: string, container: string): string =>
  `${stateDir}/clusters/${profile}/logs/${namespace}/${pod}/${container}.log`;
