// The local ports the app's port-forwards prefer (forward/access.ts PREFERRED_PORTS: the gateway's 8000 the
// guide's `curl localhost:8000` uses, Prometheus 9090, Grafana 3000) and who holds each: this app's own
// forwarder, another process, or nobody. The holder is read from the OS without a shell: on Linux from
// /proc (the listening socket's inode in /proc/net/tcp{,6}, then the process whose fd points at it), on
// macOS with `lsof -F` (argument array).
import fs from 'node:fs';
import type { ForwardName } from '../../../shared/api/cluster.js';
import { PREFERRED_PORTS } from '../forward/access.js';
import { runProcess } from '../process/runner.js';
import { portAnswers } from './collect-forwards.js';
import type { ForwardSnapshot, LocalPortSnapshot } from './snapshot.js';

type Holder = { holder?: { pid: number; command?: string }; how: string };

/** TCP_LISTEN in /proc/net/tcp's `st` column; the local addresses a 127.0.0.1 client reaches (loopback, any). */
const LISTEN = '0A';
const REACHABLE_V4 = new Set(['0100007F', '00000000']);
const REACHABLE_V6 = new Set(['00000000000000000000000001000000', '00000000000000000000000000000000', '0000000000000000FFFF00000100007F']);

/** The inode of the socket listening on <port> where 127.0.0.1 reaches it, from /proc/net/tcp and tcp6. */
export function listeningInode(port: number, tables: { tcp: string; tcp6: string }): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const [text, reachable] of [[tables.tcp, REACHABLE_V4], [tables.tcp6, REACHABLE_V6]] as const) {
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [addr, p] = (cols[1] ?? '').split(':');
      if (p === hexPort && cols[3] === LISTEN && reachable.has(addr ?? '') && cols[9] && cols[9] !== '0') return cols[9];
    }
  }
  return undefined;
}

function linuxHolder(port: number): Holder {
  const read = (f: string) => { try { return fs.readFileSync(f, 'utf8'); } catch { return ''; } };
  const inode = listeningInode(port, { tcp: read('/proc/net/tcp'), tcp6: read('/proc/net/tcp6') });
  if (!inode) return { how: '/proc/net/tcp shows no listener of this network namespace (another container or VM may forward it)' };
  const target = `socket:[${inode}]`;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { continue; } // another user's process
    for (const fd of fds) {
      let link: string;
      try { link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
      if (link !== target) continue;
      // The process name only (what `ss -p` and lsof's COMMAND show), not its command line: another
      // program's arguments may hold its own secrets, and the report ends up in support bundles.
      const command = read(`/proc/${pid}/comm`).trim();
      return { holder: { pid: Number(pid), ...(command ? { command } : {}) }, how: `/proc/net/tcp socket inode ${inode}, /proc/${pid}/fd` };
    }
  }
  return { how: `socket inode ${inode} belongs to a process this user cannot see (another user's, or root's)` };
}

/** `lsof -nP -iTCP:<port> -sTCP:LISTEN -Fpc`: `p<pid>` and `c<command>` lines. */
export function parseLsof(stdout: string): { pid: number; command?: string } | undefined {
  let pid: number | undefined;
  let command: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('p') && pid === undefined) pid = Number(line.slice(1));
    else if (line.startsWith('c') && pid !== undefined && command === undefined) command = line.slice(1);
  }
  return pid !== undefined && Number.isInteger(pid) ? { pid, ...(command ? { command } : {}) } : undefined;
}

async function lsofHolder(port: number, env: NodeJS.ProcessEnv): Promise<Holder> {
  const argv = ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'];
  try {
    const r = await runProcess('lsof', argv, { env, timeoutMs: 10_000, okExitCodes: [0, 1] });
    const holder = parseLsof(r.stdout);
    return holder ? { holder, how: `lsof ${argv.join(' ')}` } : { how: `lsof ${argv.join(' ')} names no process (another user's?)` };
  } catch {
    return { how: 'lsof is not available' };
  }
}

export async function collectLocalPorts(forwards: ForwardSnapshot[] | undefined, env: NodeJS.ProcessEnv, platform: string): Promise<LocalPortSnapshot[]> {
  const out: LocalPortSnapshot[] = [];
  for (const [forward, port] of Object.entries(PREFERRED_PORTS) as Array<[ForwardName, number]>) {
    const inUse = await portAnswers(port);
    const ours = (forwards ?? []).some((f) => f.alive && f.port === port);
    if (!inUse || ours) {
      out.push({ forward, port, inUse, ours, how: ours ? 'this app’s own forward' : 'nothing listens' });
      continue;
    }
    const found = platform === 'linux' ? linuxHolder(port) : await lsofHolder(port, env);
    out.push({ forward, port, inUse, ours, ...found });
  }
  return out;
}
