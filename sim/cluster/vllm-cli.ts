// vLLM's command line as the versions our images carry parse it: a real vLLM exits with argparse's status
// 2 and "error: unrecognized arguments: …" when it is given a flag its version does not have, and the pod
// goes CrashLoopBackOff. The kubelet (sim/cluster/kubelet.ts) asks vllmStartFailure() when it starts the
// model-server container, so a template that adds a newer flag to an older image fails in the sim too.
//
// Two tables: flag → the vLLM releases that accept it, and image reference → the vLLM version inside.
// Only the flags our templates use are listed (resources/…/ms-values.yaml, the guide's values, the
// TinyLlama `--kv-cache-memory-bytes` electron/engine/stack/render.ts adds, the upstream CPU args of
// llm-d-facts.md §4); a flag not in the table, or an image not in the table, is accepted — the sim only
// refuses what it knows the real program refuses. Where the first release is not pinned, the table uses
// the earliest release that could contain the flag (so the sim never rejects what the real one accepts)
// and says ⚠.
import { normalizeImage } from '../../shared/image-ref.js';
import { argValue } from './servers.js';
import type { StartFailure } from './start-failure.js';

export interface FlagRule {
  /** First vLLM release that accepts the flag. */
  since: string;
  /** First vLLM release that no longer accepts it. */
  removedIn?: string;
  source: string;
}

// Predates every vLLM the images below carry (the oldest is v0.9.3).
const OLD = '0.0.0';

export const VLLM_FLAGS: Record<string, FlagRule> = {
  '--model': { since: OLD, source: 'vllm/engine/arg_utils.py EngineArgs.add_cli_args, in every release' },
  '--host': { since: OLD, source: 'vllm/entrypoints/openai/cli_args.py make_arg_parser, in every release' },
  '--port': { since: OLD, source: 'vllm/entrypoints/openai/cli_args.py make_arg_parser, in every release' },
  '--dtype': { since: OLD, source: 'vllm/engine/arg_utils.py (ModelConfig.dtype), in every release' },
  '--max-model-len': { since: OLD, source: 'vllm/engine/arg_utils.py (ModelConfig.max_model_len), in every release' },
  '--max-num-batched-tokens': { since: OLD, source: 'vllm/engine/arg_utils.py (SchedulerConfig), in every release' },
  '--disable-frontend-multiprocessing': { since: OLD, source: 'vllm/entrypoints/openai/cli_args.py (since v0.5.x, before every image here)' },
  '--kv-cache-memory-bytes': {
    since: '0.10.2',
    source: 'vllm-project/vllm PR #21489 "Allow users to specify kv cache memory size" (opened 2025-07-24), merged in the week '
      + 'ending 2025-09-12 per vLLM\'s weekly summary; v0.10.2 was released 2025-09-13 ⚠ so the first release is v0.10.2 or, if '
      + 'the v0.10.2 branch was cut before the merge, v0.11.0; registered in vllm/engine/arg_utils.py (CacheConfig.kv_cache_memory_bytes), '
      + 'present at v0.26.0 (Tanguille/cluster#4179)',
  },
  '--enable-log-requests': {
    since: '0.10.1',
    source: 'vllm-project/vllm PR #21739 (replaces --disable-log-requests; merged before 2025-08-02, when PR #22113 removed the old flag from '
      + 'the docs); v0.10.0 was released 2025-07-24, v0.10.1 2025-08-18 ⚠ inferred from the dates',
  },
  '--no-enable-log-requests': { since: '0.10.1', source: 'argparse BooleanOptionalAction form of --enable-log-requests (PR #21739; ai-dynamo/dynamo PR #8693)' },
  '--disable-log-requests': {
    since: OLD, removedIn: '0.12.0',
    source: 'deprecated by PR #21739 (v0.10.1, warning "will be removed in v0.12.0", PR #22113), removed by vllm-project/vllm PR #29402 '
      + '(merged late November 2025; ai-dynamo/dynamo PR #4659: "will result in the same crash … with the upcoming 0.12 release", '
      + 'ovg-project/kvcached PR #270: "removed from vllm since v0.12.0")',
  },
  '--disable-access-log-for-endpoints': {
    since: '0.16.0',
    source: 'vllm-project/vllm PR #30011 "[feat][log]: add `--disable-access-log-for-endpoints` CLI option" (opened 2025-12-04); '
      + 'kserve/kserve PR #5507 (2026-05-07): "vLLM 0.16 introduced `--disable-access-log-for-endpoints`" ⚠ first release from that secondary source; '
      + 'llm-d v0.9.0 guides/optimized-baseline/modelserver/cpu/vllm patch-vllm.yaml passes it to vLLM v0.26.0',
  },
  '--disable-hybrid-kv-cache-manager': {
    since: '0.9.1',
    source: 'vllm-project/vllm PR #17996 "[v1] Hybrid Memory Allocator" (reviewed 2025-06-02, merged June 2025) adds '
      + 'SchedulerConfig.disable_hybrid_kv_cache_manager ⚠ first release v0.9.1 (2025-06-10) or v0.9.2',
  },
};

export interface ImageRule {
  pattern: RegExp;
  /** The vLLM version for a match (the tag's X.Y.Z unless a fixed version is given). */
  version: (m: RegExpExecArray) => string;
  source: string;
}

const tagVersion = (m: RegExpExecArray): string => m[1] ?? '';

export const VLLM_IMAGES: ImageRule[] = [
  {
    pattern: /^quay\.io\/petecheslock\/llm-d-cpu:v0\.4\.0-arm64$/, version: () => '0.11.1',
    source: 'built by the guide\'s build-and-push-to-quay.sh from llm-d v0.4.0 docker/Dockerfile.cpu (llm-d/llm-d #465), which checks out '
      + 'vLLM c5f10cc139ec87e217f2bb56a677dd57394729f5; guide README l.566 "(v0.11.1+)"',
  },
  {
    pattern: /^ghcr\.io\/llm-d\/llm-d-cpu:v0\.9\.0$/, version: () => '0.26.0',
    source: 'llm-d-current-facts.md §2: ghcr.io/llm-d/llm-d-cpu:v0.9.0 = vLLM commit 568afb3a = v0.26.0 (docker/common-versions)',
  },
  {
    pattern: /^public\.ecr\.aws\/q9t5s3a7\/vllm-(?:arm64-)?cpu-release-repo:v(\d+\.\d+\.\d+(?:\.\d+)?)$/, version: tagVersion,
    source: 'vLLM .buildkite/scripts/publish-release-images.sh: the CPU release images are tagged v<vLLM version> (llm-d-current-facts.md §7)',
  },
  {
    pattern: /^docker\.io\/vllm\/vllm-openai-cpu:v(\d+\.\d+\.\d+(?:\.\d+)?)(?:-x86_64|-arm64)?$/, version: tagVersion,
    source: 'vLLM publish-release-images.sh: vllm/vllm-openai-cpu:v<ver>, v<ver>-x86_64, v<ver>-arm64 (llm-d-current-facts.md §7)',
  },
  {
    pattern: /^docker\.io\/vllm\/vllm-openai:v(\d+\.\d+\.\d+(?:\.\d+)?)$/, version: tagVersion,
    source: 'vLLM\'s release image vllm/vllm-openai:v<ver> (CUDA; the release.yaml amd64 GPU entry uses v0.11.0, from GAIE config/manifests/vllm/gpu-deployment.yaml)',
  },
];

/** The vLLM version an image carries; undefined for images the table does not know. */
export function vllmVersionOfImage(image: string): string | undefined {
  const ref = normalizeImage(image.split('@')[0] ?? image);
  for (const rule of VLLM_IMAGES) {
    const m = rule.pattern.exec(ref);
    if (m) return rule.version(m);
  }
  return undefined;
}

/** Numeric comparison of dotted versions (`0.10.1.1` > `0.10.1`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * FlexibleArgumentParser turns underscores into dashes in the option name (the part after `--` up to the
 * first `.` or `=`), so `--max_model_len` is `--max-model-len` (vllm/utils FlexibleArgumentParser.parse_args).
 */
export const canonicalFlag = (token: string): string => {
  const eq = token.indexOf('=');
  const key = eq < 0 ? token : token.slice(0, eq);
  const rest = eq < 0 ? '' : token.slice(eq);
  return key.replace(/^--([^.]*)/, (_m, name: string) => `--${name.replace(/_/g, '-')}`) + rest;
};

export function acceptsFlag(version: string, flag: string): boolean {
  const rule = VLLM_FLAGS[canonicalFlag(flag).split('=')[0] ?? flag];
  if (!rule) return true;
  return compareVersions(version, rule.since) >= 0 && (rule.removedIn === undefined || compareVersions(version, rule.removedIn) < 0);
}

/**
 * What argparse reports as unrecognized, in order: each refused option (as FlexibleArgumentParser rewrote
 * it) and, for `--flag value`, the value — argparse did not consume it and the api_server parser has no
 * positional to take it, so it is left over as well.
 */
export function unrecognizedArgs(version: string, argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] ?? '';
    if (!tok.startsWith('--') || acceptsFlag(version, tok)) continue;
    out.push(canonicalFlag(tok));
    const next = argv[i + 1];
    if (!tok.includes('=') && next !== undefined && !next.startsWith('-')) { out.push(next); i++; }
  }
  return out;
}

/**
 * The value of a vLLM option on the container's command line, in any form argparse accepts after
 * FlexibleArgumentParser's rewrite: `--max-model-len 8192`, `--max-model-len=8192`, `--max_model_len=8192`.
 */
export function vllmOption(c: { command?: string[]; args?: string[] }, flag: string): string | undefined {
  return argValue({ command: c.command?.map(canonicalFlag), args: c.args?.map(canonicalFlag) }, flag);
}

/**
 * The model a vLLM command line serves: `--model`, else the positional of `vllm serve <model>` (the form
 * llm-d's kustomize recipes use: command [vllm, serve], args [<model>, …]), else a leading positional
 * argument. The name clients use is `--served-model-name` when that is given.
 */
export function vllmModel(c: { command?: string[]; args?: string[] }): string | undefined {
  const named = vllmOption(c, '--model');
  if (named) return named;
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  const serve = argv.indexOf('serve');
  const positional = serve >= 0 ? argv[serve + 1] : c.args?.[0];
  return positional && !positional.startsWith('-') ? positional : undefined;
}

export interface VllmContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
}

/** The model-server container names the templates use (modelservice default `vllm`; llm-d 0.9 `modelserver`). */
export const isModelServerContainer = (c: VllmContainer): boolean => c.name === 'vllm' || c.name === 'modelserver';

/**
 * The start failure of a vLLM container whose command line its version refuses, as argparse prints it:
 * the usage, then `<prog>: error: unrecognized arguments: …`, exit status 2 (ArgumentParser.error).
 * `python3 -m vllm.entrypoints.openai.api_server` has prog `api_server.py` (the script's basename, e.g.
 * kvcache-ai/Mooncake#421: "api_server.py: error: unrecognized arguments: --kv-transfer-config …");
 * `vllm serve` reports through the top-level `vllm` parser (vllm-project/vllm#34545, v0.15: "usage: vllm
 * [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ..." / "vllm: error: unrecognized arguments:
 * --omni"). The real api_server usage lists every option over many lines (their order varies by version);
 * the sim prints its start only.
 */
export function vllmStartFailure(c: VllmContainer): StartFailure | undefined {
  if (!isModelServerContainer(c)) return undefined;
  const version = vllmVersionOfImage(c.image);
  if (!version) return undefined;
  const command = c.command ?? [];
  const argv = [...command, ...(c.args ?? [])];
  const bad = unrecognizedArgs(version, argv);
  if (bad.length === 0) return undefined;
  const apiServer = command.some((t) => t.includes('vllm.entrypoints.openai.api_server'));
  const usage = apiServer ? 'usage: api_server.py [-h] [--host HOST] [--port PORT] ...' : 'usage: vllm [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ...';
  const prog = apiServer ? 'api_server.py' : 'vllm';
  return { exitCode: 2, afterSeconds: 3, log: [usage, `${prog}: error: unrecognized arguments: ${bad.join(' ')}`] };
}

/**
 * The start failure of a CPU vLLM asked for bfloat16 on a CPU without bf16: llm-d's CPU recipe says such
 * CPUs "crash on the bf16 model unless run with --dtype=float32" (llm-d @ e3dbeca1 guides/optimized-baseline/
 * modelserver/cpu/vllm/README.md). How it crashes is not written down; the sim has the process die on an
 * instruction the CPU lacks (SIGILL, status 132 = 128 + 4), as vllm-project/vllm#18660 reports for the x86
 * image on a CPU without AVX-512 ⚠ inferred. Only an explicit bf16 dtype is judged (`auto` follows the
 * model's config.json, which the sim does not read).
 */
export function vllmDtypeFailure(c: VllmContainer, node: { bf16: boolean }): StartFailure | undefined {
  if (!isModelServerContainer(c) || node.bf16) return undefined;
  const dtype = vllmOption(c, '--dtype');
  if (dtype !== 'bfloat16' && dtype !== 'bf16') return undefined;
  if (!/cpu/i.test(c.image)) return undefined; // the CUDA image computes on the GPU
  return { exitCode: 132, afterSeconds: 8, log: ['INFO Automatically detected platform cpu.', 'Illegal instruction (core dumped)'] };
}
