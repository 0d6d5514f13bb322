// Files of one simulated cluster (profile) in the state folder, shared by minikube and the cluster process.
import { join } from 'node:path';
import { clusterDir } from '../state.js';

export interface ClusterConfig {
  profile: string;
  driver: string;
  cpus: number;
  memoryMiB: number;
  diskGB: number;
  kubernetesVersion: string;
  /**
   * Host folders bound into the node (`minikube start --mount --mount-string=<host>:<node>`): with the docker
   * and podman drivers a bind mount made when the node's container is created, so only a new cluster gets it.
   */
  mounts?: Array<{ host: string; node: string }>;
}

export interface ServerInfo { pid: number; port: number; url: string }

export const serverFile = (state: string, profile: string): string => join(clusterDir(state, profile), 'server.json');
export const storeFile = (state: string, profile: string): string => join(clusterDir(state, profile), 'store.json');
export const configFile = (state: string, profile: string): string => join(clusterDir(state, profile), 'config.json');

