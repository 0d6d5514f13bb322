// The support bundle: opened with the system tar (as the person receiving it would), every file searched
// for the planted secrets; against the simulated cluster for pods, events, describes and logs; and against
// clusters that refuse (403) or do not answer, which must give warnings, never a failed bundle.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, until, type World } from '../../../sim/testkit.js';
import { FAST_SCENARIO } from '../../../sim/scenario.js';
import { BundleResult } from '../../../shared/api/bundle.js';
import { appPaths, type AppPaths } from '../paths.js';
import { Redactor } from '../process/redact.js';
import { createSupportBundle, defaultBundleFile, extraPath } from './bundle.js';
import { bundleCommand } from './cli.js';
import { redactText } from './redact.js';

const run = promisify(execFile);
const TAR = '/usr/bin/tar';
const TOKEN = 'hf_plantedSecretToken1234567890';
const BEARER = 'abc.def.ghi';
const KUBE_TOKEN = 'kubeTokenValue1234567';
const KEY_DATA = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQplantedKey';
/** Strings that must appear in no file of any bundle. */
const SECRETS = [TOKEN, BEARER, KUBE_TOKEN, KEY_DATA];
const FIXED_NOW = new Date('2025-03-04T05:06:07.890Z');

const dirs: string[] = [];
const tmp = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Our own staging dirs in the temp folder (to prove none is left behind). */
const stagingDirs = (): string[] => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('llmd-bundle-'));

/** A data dir as a failed install leaves it: run logs (nested), journal, settings. */
function plantDataDir(): AppPaths {
  const paths = appPaths(tmp('bundle-data-'));
  const run1 = path.join(paths.logsDir, 'run-20250304-050000');
  fs.mkdirSync(path.join(run1, 'steps'), { recursive: true });
  fs.writeFileSync(path.join(run1, 'install.log'), [
    '05:00:01 step hf-secret: creating the secret with token hf_plantedSecretToken1234567890',
    `05:00:02 curl -H 'Authorization: Bearer ${BEARER}' https://huggingface.co/api/whoami-v2`,
    '05:00:03 step hf-secret: done',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(run1, 'steps', 'kubeconfig-dump.log'), [
    'users:', '- name: minikube', '  user:', `    client-key-data: ${KEY_DATA}`, `    token: ${KUBE_TOKEN}`, '    client-certificate: /home/x/.minikube/profiles/llm-d-cpu/client.crt', '',
  ].join('\n'));
  fs.writeFileSync(paths.journalFile, JSON.stringify({ runId: 'run-20250304-050000', status: 'failed', steps: [{ id: 'hf-secret', output: `HF_TOKEN=${TOKEN}` }] }, null, 2));
  fs.writeFileSync(paths.settingsFile, JSON.stringify({ model: 'smollm2-360m', hfToken: TOKEN, replicas: 1 }, null, 2));
  return paths;
}

interface Opened {
  /** Archive entries in order, as `tar -t` lists them. */
  entries: string[];
  root: string;
  /** Path inside the root folder → content. */
  files: Map<string, string>;
  dir: string;
}

/** Lists and extracts with the system tar (argv, no shell) and reads every extracted file. */
async function open(file: string): Promise<Opened> {
  const dir = tmp('bundle-x-');
  const entries = (await run(TAR, ['-tzf', file])).stdout.split('\n').filter(Boolean);
  await run(TAR, ['-xzf', file, '-C', dir]);
  const [root] = fs.readdirSync(dir);
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, root!, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else files.set(r, fs.readFileSync(path.join(dir, root!, r), 'utf8'));
    }
  };
  walk('');
  return { entries, root: root!, files, dir };
}

/** `grep -rlF` over the extracted tree (exit 1 = no file matches), besides the in-process check. */
async function grepFinds(dir: string, needle: string): Promise<string[]> {
  try {
    return (await run('/usr/bin/grep', ['-rlF', '--', needle, dir])).stdout.split('\n').filter(Boolean);
  } catch (e) {
    if ((e as { code?: unknown }).code === 1) return [];
    throw e;
  }
}

async function expectNoSecrets(b: Opened, secrets: string[]): Promise<void> {
  for (const s of secrets) {
    for (const [p, text] of b.files) expect(text.includes(s), `${s} in ${p}`).toBe(false);
    expect(await grepFinds(b.dir, s), s).toEqual([]);
  }
}

/** The MANIFEST's file table: path → bytes, redactions. */
function manifestTable(text: string): Map<string, { bytes: number; redactions: number }> {
  const table = new Map<string, { bytes: number; redactions: number }>();
  const start = text.indexOf('\nFiles (');
  const end = text.indexOf('\nWarnings (');
  for (const line of text.slice(start, end).split('\n')) {
    const m = /^\s+(\d+)\s+(\d+)\s+(\S.*)$/.exec(line);
    if (m) table.set(m[3]!, { bytes: Number(m[1]), redactions: Number(m[2]) });
  }
  return table;
}

describe('redaction patterns', () => {
  it('scrubs credentials the Redactor does not know, keeps JSON valid and counts each value', () => {
    const r = new Redactor(['known-secret-value']);
    const cases: Array<[string, string, number]> = [
      ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer ***', 1],
      ['{"authorization":"Basic dXNlcjpwYXNz"}', '{"authorization":"Basic ***"}', 1],
      ['curl -H "Bearer eyJhbGciOiJSUzI1NiJ9.x.y"', 'curl -H "Bearer ***"', 1],
      ['token hf_abcdefghijKLMNOP1234', 'token ***', 1],
      ['    token: eyJhbGciOi.payload.sig', '    token: ***', 1],
      ['    client-certificate-data: LS0tCERT', '    client-certificate-data: ***', 1],
      ['"password": "hunter22", "replicas": 2', '"password": "***", "replicas": 2', 1],
      ['HF_TOKEN=known-secret-value', 'HF_TOKEN=***', 1],
      ['helm --password s3cr3t install', 'helm --password *** install', 1],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIEo\nabc\n-----END RSA PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----\n***\n-----END RSA PRIVATE KEY-----', 1],
      // Not secrets: counts, tokenizer settings, numbers after a credential-like key.
      ['max_num_batched_tokens: 2048 tokenizer: auto', 'max_num_batched_tokens: 2048 tokenizer: auto', 0],
      ['"token": 5, "secretName": "llm-d-hf-token"', '"token": 5, "secretName": "llm-d-hf-token"', 0],
    ];
    for (const [input, output, count] of cases) expect(redactText(r, input), input).toEqual({ text: output, redactions: count });
    expect(JSON.parse(redactText(r, JSON.stringify({ hfToken: 'known-secret-value', password: 'x1y2z3' })).text)).toEqual({ hfToken: '***', password: '***' });
  });

  it('places extras at their name unless it is one of the bundle\'s own, and never outside the bundle', () => {
    expect(extraPath('doctor.json')).toBe('doctor.json');
    expect(extraPath('extra/tools.json')).toBe('extra/tools.json');
    expect(extraPath('journal.json')).toBe('extra/journal.json');
    expect(extraPath('MANIFEST')).toBe('extra/MANIFEST');
    expect(extraPath('cluster/nodes.json')).toBe('extra/cluster/nodes.json');
    expect(extraPath('../../etc/passwd')).toBe('etc/passwd');
    expect(extraPath('/abs/host.json')).toBe('abs/host.json');
  });
});

describe('a bundle without a cluster', () => {
  let paths: AppPaths;
  let result: BundleResult;
  let b: Opened;
  let stagingBefore: string[];
  beforeAll(async () => {
    paths = plantDataDir();
    stagingBefore = stagingDirs();
    result = await createSupportBundle({
      paths, outFile: path.join(tmp('bundle-out-'), 'nested', 'bundle.tar.gz'), redactor: new Redactor([TOKEN]), namespaces: ['llm-d-cpu-inference'],
      extras: [{ name: 'doctor.json', content: JSON.stringify({ findings: [], note: `saw ${TOKEN}` }) }, { name: 'journal.json', content: 'an extra with a clashing name' }],
      now: () => FIXED_NOW,
    });
    b = await open(result.file);
  });

  it('is a 0600 .tar.gz whose root folder is named after the time, MANIFEST first', () => {
    expect(BundleResult.parse(result)).toEqual(result);
    expect(fs.statSync(result.file).mode & 0o777).toBe(0o600);
    expect(result.bytes).toBe(fs.statSync(result.file).size);
    expect(b.root).toBe('llm-d-support-2025-03-04T05-06-07Z');
    expect(b.entries[0]).toBe(`${b.root}/MANIFEST`);
    expect(b.entries.every((e) => e.startsWith(`${b.root}/`))).toBe(true);
    expect(fs.readdirSync(path.dirname(result.file))).toEqual(['bundle.tar.gz']); // no .partial left
  });

  it('holds the run logs (recursively), journal, settings and the extras', () => {
    expect([...b.files.keys()].sort()).toEqual([
      'MANIFEST', 'doctor.json', 'extra/journal.json', 'journal.json',
      'logs/run-20250304-050000/install.log', 'logs/run-20250304-050000/steps/kubeconfig-dump.log', 'settings.json',
    ]);
    expect(b.files.get('logs/run-20250304-050000/install.log')).toContain('step hf-secret: done');
    expect(JSON.parse(b.files.get('settings.json')!)).toEqual({ model: 'smollm2-360m', hfToken: '***', replicas: 1 });
    expect(b.files.get('extra/journal.json')).toBe('an extra with a clashing name');
  });

  it('contains the planted token, the bearer value and the kubeconfig credentials nowhere', async () => {
    await expectNoSecrets(b, SECRETS);
    expect(b.files.get('logs/run-20250304-050000/install.log')).toContain('Authorization: Bearer ***');
  });

  it('lists every file in the MANIFEST with its size and redaction count, and the warnings', () => {
    const manifest = b.files.get('MANIFEST')!;
    const table = manifestTable(manifest);
    expect([...table.keys()].sort()).toEqual([...b.files.keys()].filter((p) => p !== 'MANIFEST').sort());
    for (const [p, row] of table) expect(row.bytes, p).toBe(Buffer.byteLength(b.files.get(p)!));
    expect(table.get('logs/run-20250304-050000/install.log')?.redactions).toBe(2);
    expect(table.get('logs/run-20250304-050000/steps/kubeconfig-dump.log')?.redactions).toBe(2);
    expect(table.get('journal.json')?.redactions).toBe(1);
    expect(table.get('settings.json')?.redactions).toBe(1);
    expect(table.get('doctor.json')?.redactions).toBe(1);
    expect(manifest).toContain(`Created:    ${FIXED_NOW.toISOString()}`);
    expect(manifest).toContain('- No cluster: the bundle has no cluster state.');
    expect(result.files.map((f) => f.path)).toEqual(b.entries.map((e) => e.slice(b.root.length + 1)));
    expect(result.warnings).toEqual(['No cluster: the bundle has no cluster state.']);
  });

  it('removes its staging folder', () => {
    expect(stagingDirs().filter((d) => !stagingBefore.includes(d))).toEqual([]);
  });

  it('stops on a cancel, leaving neither an archive nor a staging folder', async () => {
    const out = path.join(tmp('bundle-out-'), 'cancelled.tar.gz');
    const ac = new AbortController();
    ac.abort(new Error('cancelled by the test'));
    await expect(createSupportBundle({ paths, outFile: out, redactor: new Redactor([TOKEN]), namespaces: [], signal: ac.signal })).rejects.toThrow('cancelled by the test');
    expect(fs.existsSync(out)).toBe(false);
    expect(stagingDirs().filter((d) => !stagingBefore.includes(d))).toEqual([]);
  });

  it('the CLI command writes to <dataDir>/support by default and prints JSON or a summary', async () => {
    const lines: string[] = [];
    const code = await bundleCommand({ paths, redactor: new Redactor([TOKEN]), namespaces: [], json: true, io: { out: (t) => lines.push(t) }, now: () => FIXED_NOW });
    expect(code).toBe(0);
    const printed = BundleResult.parse(JSON.parse(lines[0]!));
    expect(printed.file).toBe(defaultBundleFile(paths, FIXED_NOW));
    expect(printed.file).toBe(path.join(paths.dataDir, 'support', 'llm-d-support-2025-03-04T05-06-07Z.tar.gz'));
    const human: string[] = [];
    const out = path.join(tmp('bundle-out-'), 'human.tar.gz');
    expect(await bundleCommand({ paths, redactor: new Redactor([TOKEN]), namespaces: [], out, json: false, io: { out: (t) => human.push(t) } })).toBe(0);
    expect(human.join('\n')).toMatch(new RegExp(`Support bundle written: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n  [\\d.]+ (B|kB|MB), 5 files, \\d+ secret value\\(s\\) redacted`));
    expect(human.join('\n')).toContain('1 warning(s):');
  });
});

/** A kubeconfig for a server URL (no credentials: the test servers do not ask). */
function kubeconfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  // client-node refuses plain http unless TLS verification is off: the request must reach the socket.
  kc.loadFromOptions({ clusters: [{ name: 'c', server, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'broken', cluster: 'c', user: 'u' }], currentContext: 'broken' });
  return kc;
}

describe('a cluster that cannot be read', () => {
  it('unreachable (http://127.0.0.1:1, and a closed port): a bundle with a warning, not an error', async () => {
    // Port 1 fetch refuses itself ("bad port"); a port nothing listens on is refused by the kernel.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closed = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    for (const [url, cause] of [['http://127.0.0.1:1', 'bad port'], [`http://127.0.0.1:${closed}`, 'ECONNREFUSED']] as const) {
      const result = await createSupportBundle({ paths: plantDataDir(), outFile: path.join(tmp('bundle-out-'), 'b.tar.gz'), redactor: new Redactor([TOKEN]), kubeconfig: kubeconfigFor(url), namespaces: ['default'] });
      expect(result.warnings).toEqual([
        `cluster nodes: the cluster's API server is not reachable (${cause}).`,
        'The cluster did not answer: no pods, events or logs are in this bundle.',
      ]);
      const b = await open(result.file);
      expect([...b.files.keys()].some((p) => p.startsWith('cluster/'))).toBe(false);
      expect(b.files.get('MANIFEST')).toContain(`Cluster:    context broken at ${url}`);
      expect(b.files.get('MANIFEST')).toContain('  - The cluster did not answer');
    }
  });

  it('forbidden (403 on everything): each refused read is a warning, the bundle is still made', async () => {
    const server = http.createServer((req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `forbidden: User "bundle-test" cannot get ${req.url ?? ''}` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const result = await createSupportBundle({ paths: plantDataDir(), outFile: path.join(tmp('bundle-out-'), 'b.tar.gz'), redactor: new Redactor(), kubeconfig: kubeconfigFor(`http://127.0.0.1:${port}`), namespaces: ['default'] });
      expect(result.warnings.filter((w) => w.includes('forbidden')).map((w) => w.split(':')[0])).toEqual(['cluster nodes', 'helm releases in default', 'pods in default']);
      const b = await open(result.file);
      expect(JSON.parse(b.files.get('cluster/helm-releases.json')!)).toEqual([]);
      expect(b.files.get('MANIFEST')).toContain('- pods in default: forbidden');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

interface Pod { metadata: { name: string; deletionTimestamp?: string }; spec: { containers: Array<{ name: string; env?: Array<{ name: string; value?: string }> }> }; status?: { containerStatuses?: Array<{ name: string; ready: boolean; restartCount: number }> } }

describe('a bundle of the simulated cluster', () => {
  const RELEASE_PAYLOAD = 'helm-release-payload-must-not-leak-0042';
  const LITERAL_KEY = 'plain-secret-value-XYZ-987';
  let w: World;
  let kc: KubeConfig;
  let pods: { good: string; crashy: string };

  const podsOf = async (app: string): Promise<Pod[]> =>
    (JSON.parse((await w.kubectl(['get', 'pods', '-n', 'default', '-l', `app=${app}`, '-o', 'json'])).stdout) as { items: Pod[] }).items.filter((p) => !p.metadata.deletionTimestamp);
  const must = async (p: Promise<{ exitCode: number; stdout: string; stderr: string }>, what: string) => {
    const r = await p;
    if (r.exitCode !== 0) throw new Error(`${what} failed (${r.exitCode}): ${r.stderr}`);
  };
  const server = (name: string, dtype: string, env: Array<Record<string, unknown>>) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{
      name: 'modelserver', image: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', command: ['vllm', 'serve'],
      args: ['HuggingFaceTB/SmolLM2-360M-Instruct', '--max-model-len=4096', `--dtype=${dtype}`], env,
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } },
    }] } } },
  });

  beforeAll(async () => {
    // A node CPU without bf16 (as in sim/charts/start-failures.test.ts): a bfloat16 server crash-loops,
    // which gives a restarted container (previous log, last state) next to a healthy one.
    w = makeWorld(`${fs.readFileSync(FAST_SCENARIO, 'utf8')}\nnode:\n  bf16: false\n`);
    w.env.LLMD_SIM_ARCH = 'amd64';
    await must(w.run('minikube', ['start', '-p', 'llm-d-cpu', '--driver=docker', '--memory=24576', '--cpus=8']), 'minikube start');
    await must(w.kubectl(['create', 'secret', 'generic', 'llm-d-hf-token', `--from-literal=HF_TOKEN=${TOKEN}`, '-n', 'default']), 'hf secret');
    const files = {
      'release.json': { apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1',
        metadata: { name: 'sh.helm.release.v1.fake-release.v1', namespace: 'default', labels: { owner: 'helm', name: 'fake-release', status: 'deployed', version: '1' } },
        data: { release: Buffer.from(RELEASE_PAYLOAD).toString('base64') } },
      'good.json': server('good', 'float32', [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'llm-d-hf-token', key: 'HF_TOKEN' } } }]),
      'crashy.json': server('crashy', 'bfloat16', [{ name: 'MY_API_KEY', value: LITERAL_KEY }, { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' }]),
    };
    for (const [name, doc] of Object.entries(files)) {
      fs.writeFileSync(path.join(w.state, name), JSON.stringify(doc));
      await must(w.kubectl(['apply', '-f', path.join(w.state, name)]), `apply ${name}`);
    }
    const crashy = await until('crashy restarted', async () => (await podsOf('crashy')).find((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1));
    const good = await until('good ready', async () => (await podsOf('good')).find((p) => p.status?.containerStatuses?.[0]?.ready));
    pods = { good: good.metadata.name, crashy: crashy.metadata.name };
    kc = new KubeConfig();
    kc.loadFromFile(String(w.env.KUBECONFIG));
  }, 60_000);
  afterAll(async () => { await w?.cleanup(); });

  it('holds pods, events, describes and container logs of the namespace, with no secret in any file', async () => {
    // How long it takes is bench/support-bundle.ts's figure (a timed assertion would fail on a busy machine).
    const result = await createSupportBundle({ paths: plantDataDir(), outFile: path.join(tmp('bundle-out-'), 'cluster.tar.gz'), redactor: new Redactor([TOKEN]), kubeconfig: kc, namespaces: ['default'] });
    expect(result.warnings).toEqual([]);

    const b = await open(result.file);
    for (const p of ['cluster/nodes.json', 'cluster/helm-releases.json', 'cluster/default/pods.json', 'cluster/default/events.json',
      `cluster/default/describe/${pods.good}.txt`, `cluster/default/describe/${pods.crashy}.txt`,
      `cluster/default/logs/${pods.good}/modelserver.log`, `cluster/default/logs/${pods.crashy}/modelserver.log`, `cluster/default/logs/${pods.crashy}/modelserver.previous.log`]) {
      expect(b.files.has(p), p).toBe(true);
    }
    await expectNoSecrets(b, [...SECRETS, LITERAL_KEY, RELEASE_PAYLOAD, Buffer.from(RELEASE_PAYLOAD).toString('base64')]);

    const podList = JSON.parse(b.files.get('cluster/default/pods.json')!) as { kind: string; items: Pod[] };
    expect(podList.kind).toBe('PodList');
    expect(podList.items.map((p) => p.metadata.name).sort()).toEqual([pods.crashy, pods.good].sort());
    const env = podList.items.find((p) => p.metadata.name === pods.crashy)!.spec.containers[0]!.env;
    expect(env).toEqual([{ name: 'MY_API_KEY', value: '***' }, { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' }]);
    expect(result.files.find((f) => f.path === 'cluster/default/pods.json')?.redactions).toBeGreaterThanOrEqual(1);

    const events = (JSON.parse(b.files.get('cluster/default/events.json')!) as { items: Array<Record<string, string | undefined> & { metadata?: { creationTimestamp?: string } }> }).items;
    expect(events.length).toBeGreaterThan(0);
    const times = events.map((e) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? ''));
    expect(times).toEqual([...times].sort((x, y) => x - y));

    const crashDescribe = b.files.get(`cluster/default/describe/${pods.crashy}.txt`)!;
    expect(crashDescribe).toContain(`Name:           ${pods.crashy}`);
    expect(crashDescribe).toMatch(/Node:\s+llm-d-cpu/);
    expect(crashDescribe).toMatch(/Image:\s+docker\.io\/vllm\/vllm-openai-cpu:v0\.26\.0/);
    expect(crashDescribe).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n(.*\n)*?\s+Exit Code:\s+132/);
    expect(crashDescribe).toMatch(/Restart Count:\s+[1-9]/);
    expect(crashDescribe).toMatch(/\n {4}Requests: +cpu: 1, memory: 2Gi\n/);
    expect(crashDescribe).toMatch(/\n {4}Limits: +memory: 4Gi\n/);
    expect(crashDescribe).toMatch(/Events:\n.*Reason.*\n(.*\n)*.*Scheduled/);
    expect(b.files.get(`cluster/default/describe/${pods.good}.txt`)).toMatch(/State:\s+Running/);
    expect(b.files.get(`cluster/default/logs/${pods.crashy}/modelserver.log`)).toContain('Illegal instruction');
    expect(b.files.get(`cluster/default/logs/${pods.good}/modelserver.log`)!.length).toBeGreaterThan(0);

    const releases = JSON.parse(b.files.get('cluster/helm-releases.json')!) as Array<Record<string, unknown>>;
    expect(releases).toEqual([{ namespace: 'default', secret: 'sh.helm.release.v1.fake-release.v1', name: 'fake-release', status: 'deployed', version: 1, labels: { owner: 'helm', name: 'fake-release', status: 'deployed', version: '1' } }]);
    const nodes = JSON.parse(b.files.get('cluster/nodes.json')!) as Array<{ name: string; allocatable: Record<string, string>; capacity: Record<string, string>; labels: Record<string, string> }>;
    expect(nodes[0]).toMatchObject({ name: 'llm-d-cpu', allocatable: { cpu: expect.any(String), memory: expect.any(String) }, capacity: expect.any(Object), labels: expect.any(Object) });
    expect(b.files.get('MANIFEST')).toMatch(/Cluster:\s+context llm-d-cpu at https?:\/\//);
  }, 30_000);
});
