// The command-line tools the installer needs, their pinned versions, minimums and official release
// locations (docs/architecture.md §4 step 2). The engine downloads through shared/mirror.ts; sim/mirror lays out the
// same paths. Checksums: each official release publishes a checksum file beside its asset (formats below);
// the engine verifies every download against it before anything is made executable.

export type ToolOs = 'linux' | 'darwin';
export type ToolArch = 'amd64' | 'arm64';

export type ChecksumFormat =
  /** the file holds just the hex digest (minikube `<asset>.sha256`, kubectl `kubectl.sha256`) */
  | 'bare'
  /** lines of `<hex>  <filename>` (helm `<asset>.sha256sum`, helmfile `checksums.txt`) */
  | 'sha256sum';

export interface ToolRelease {
  /** URL of the release asset. */
  url: string;
  /** URL of the checksum file that covers the asset. */
  checksumUrl: string;
  checksumFormat: ChecksumFormat;
  /** 'binary' = the asset is the executable; 'tar.gz' = the executable is at `pathInArchive`. */
  kind: 'binary' | 'tar.gz';
  pathInArchive?: string;
}

export interface ToolSpec {
  name: 'minikube' | 'helm' | 'helmfile' | 'kubectl';
  version: string;
  /** Oldest version known to work with the guide's flow. */
  minimum: string;
  required: boolean;
  release(os: ToolOs, arch: ToolArch): ToolRelease;
}

export const TOOLS: Record<ToolSpec['name'], ToolSpec> = {
  minikube: {
    name: 'minikube',
    version: '1.37.0',
    minimum: '1.32.0', // native sidecars (routing-proxy) need Kubernetes >= 1.29
    required: true,
    release: (os, arch) => {
      const url = `https://github.com/kubernetes/minikube/releases/download/v1.37.0/minikube-${os}-${arch}`;
      return { url, checksumUrl: `${url}.sha256`, checksumFormat: 'bare', kind: 'binary' };
    },
  },
  helm: {
    name: 'helm',
    version: '3.19.0',
    minimum: '3.12.0',
    required: true,
    release: (os, arch) => {
      const url = `https://get.helm.sh/helm-v3.19.0-${os}-${arch}.tar.gz`;
      return { url, checksumUrl: `${url}.sha256sum`, checksumFormat: 'sha256sum', kind: 'tar.gz', pathInArchive: `${os}-${arch}/helm` };
    },
  },
  helmfile: {
    name: 'helmfile',
    version: '1.1.7',
    minimum: '0.162.0',
    required: true,
    release: (os, arch) => ({
      url: `https://github.com/helmfile/helmfile/releases/download/v1.1.7/helmfile_1.1.7_${os}_${arch}.tar.gz`,
      checksumUrl: 'https://github.com/helmfile/helmfile/releases/download/v1.1.7/helmfile_1.1.7_checksums.txt',
      checksumFormat: 'sha256sum',
      kind: 'tar.gz',
      pathInArchive: 'helmfile',
    }),
  },
  kubectl: {
    name: 'kubectl',
    version: '1.33.5',
    minimum: '1.29.0',
    required: false,
    release: (os, arch) => {
      const url = `https://dl.k8s.io/release/v1.33.5/bin/${os}/${arch}/kubectl`;
      return { url, checksumUrl: `${url}.sha256`, checksumFormat: 'bare', kind: 'binary' };
    },
  },
};

/**
 * Container runtimes come from the system (Docker Desktop / Engine, Podman); the app checks them but does
 * not download them. Minimums: podman machine `--rootful` needs 4.1; Docker 20.10 is minikube's floor.
 */
export const RUNTIMES = {
  docker: { name: 'docker', minimum: '20.10.0' },
  podman: { name: 'podman', minimum: '4.1.0' },
} as const;

/** Node's platform/arch → the names release assets use; undefined where no release exists. */
export function toolTarget(platform: string, arch: string): { os: ToolOs; arch: ToolArch } | undefined {
  const os = platform === 'linux' || platform === 'darwin' ? platform : undefined;
  const a = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  return os && a ? { os, arch: a } : undefined;
}
