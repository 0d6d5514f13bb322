// The vLLM flag and image tables: which command lines a given image's vLLM refuses, and how argparse says so.
import { describe, expect, it } from 'vitest';
import {
  acceptsFlag, canonicalFlag, compareVersions, unrecognizedArgs, VLLM_FLAGS, vllmDtypeFailure, vllmStartFailure, vllmVersionOfImage,
} from './vllm-cli.js';

// The guide's TinyLlama decode container (llm-d-facts.md §1), with the image swapped per test.
const guideArgs = ['--model', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', '--host', '0.0.0.0', '--port', '8200', '--dtype', 'bfloat16', '--max-model-len', '2048',
  '--max-num-batched-tokens', '2048', '--kv-cache-memory-bytes', '104857600', '--disable-frontend-multiprocessing'];
const apiServer = ['python3', '-m', 'vllm.entrypoints.openai.api_server'];

describe('image → vLLM version', () => {
  it('knows the images the project uses or may use', () => {
    expect(vllmVersionOfImage('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64')).toBe('0.11.1');
    expect(vllmVersionOfImage('ghcr.io/llm-d/llm-d-cpu:v0.9.0')).toBe('0.26.0');
    expect(vllmVersionOfImage('public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.9.3')).toBe('0.9.3');
    expect(vllmVersionOfImage('public.ecr.aws/q9t5s3a7/vllm-arm64-cpu-release-repo:v0.11.0')).toBe('0.11.0');
    expect(vllmVersionOfImage('docker.io/vllm/vllm-openai-cpu:v0.26.0')).toBe('0.26.0');
    expect(vllmVersionOfImage('vllm/vllm-openai-cpu:v0.26.0-arm64')).toBe('0.26.0');
    expect(vllmVersionOfImage('docker.io/vllm/vllm-openai-cpu:v0.10.1.1-x86_64')).toBe('0.10.1.1');
    expect(vllmVersionOfImage('public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.11.2')).toBe('0.11.2');
    expect(vllmVersionOfImage('docker.io/vllm/vllm-openai:v0.11.0')).toBe('0.11.0');
  });

  it('does not guess for unknown images (llm-d-inference-sim is not vLLM; :latest has no version)', () => {
    expect(vllmVersionOfImage('ghcr.io/llm-d/llm-d-inference-sim:v0.6.1')).toBeUndefined();
    expect(vllmVersionOfImage('docker.io/vllm/vllm-openai-cpu:latest')).toBeUndefined();
    expect(vllmVersionOfImage('quay.io/petecheslock/llm-d-cpu:v0.5.0-arm64')).toBeUndefined();
  });
});

describe('flag table', () => {
  it('compares dotted versions numerically', () => {
    expect(compareVersions('0.10.1', '0.9.3')).toBeGreaterThan(0);
    expect(compareVersions('0.10.1.1', '0.10.1')).toBeGreaterThan(0);
    expect(compareVersions('0.11.0', '0.11')).toBe(0);
  });

  it('--kv-cache-memory-bytes (PR #21489) is refused by v0.9.3 and v0.10.1, accepted from the table\'s first release on', () => {
    expect(acceptsFlag('0.9.3', '--kv-cache-memory-bytes')).toBe(false);
    expect(acceptsFlag('0.10.1', '--kv-cache-memory-bytes')).toBe(false);
    expect(acceptsFlag(VLLM_FLAGS['--kv-cache-memory-bytes']?.since ?? '', '--kv-cache-memory-bytes')).toBe(true);
    expect(acceptsFlag('0.11.1', '--kv-cache-memory-bytes=104857600')).toBe(true);
  });

  it('--disable-log-requests is gone from v0.12.0 (PR #29402); --enable-log-requests exists from v0.10.1 (PR #21739)', () => {
    expect(acceptsFlag('0.11.2', '--disable-log-requests')).toBe(true);
    expect(acceptsFlag('0.12.0', '--disable-log-requests')).toBe(false);
    expect(acceptsFlag('0.26.0', '--disable-log-requests')).toBe(false);
    expect(acceptsFlag('0.9.3', '--enable-log-requests')).toBe(false);
    expect(acceptsFlag('0.10.1', '--enable-log-requests')).toBe(true);
    expect(acceptsFlag('0.10.0', '--no-enable-log-requests')).toBe(false);
  });

  it('reads underscores as dashes, as FlexibleArgumentParser does', () => {
    expect(canonicalFlag('--max_model_len')).toBe('--max-model-len');
    expect(canonicalFlag('--kv_cache_memory_bytes=1')).toBe('--kv-cache-memory-bytes=1');
    expect(canonicalFlag('--compilation_config.level=3')).toBe('--compilation-config.level=3');
    expect(acceptsFlag('0.9.3', '--max_model_len=8192')).toBe(true);
    expect(acceptsFlag('0.9.3', '--kv_cache_memory_bytes')).toBe(false);
  });

  it('accepts flags it has no entry for', () => {
    expect(acceptsFlag('0.9.3', '--served-model-name')).toBe(true);
    expect(acceptsFlag('0.9.3', '--some-future-flag')).toBe(true);
  });

  it('lists what argparse leaves over: the refused flag and its value, in order', () => {
    expect(unrecognizedArgs('0.9.3', guideArgs)).toEqual(['--kv-cache-memory-bytes', '104857600']);
    expect(unrecognizedArgs('0.9.3', ['--kv_cache_memory_bytes=1', '--enable-log-requests', '--port', '8000'])).toEqual(['--kv-cache-memory-bytes=1', '--enable-log-requests']);
    expect(unrecognizedArgs('0.11.1', guideArgs)).toEqual([]);
  });
});

describe('vllmStartFailure', () => {
  it('the guide\'s args on the amd64 image (v0.9.3) exit 2 with api_server.py\'s argparse error', () => {
    const f = vllmStartFailure({ name: 'vllm', image: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.9.3', command: apiServer, args: guideArgs });
    expect(f?.exitCode).toBe(2);
    expect(f?.log.at(-1)).toBe('api_server.py: error: unrecognized arguments: --kv-cache-memory-bytes 104857600');
    expect(f?.log[0]).toMatch(/^usage: api_server\.py \[-h\]/);
  });

  it('the same args on the guide\'s arm64 image (vLLM 0.11.1) start', () => {
    expect(vllmStartFailure({ name: 'vllm', image: 'quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64', command: apiServer, args: guideArgs })).toBeUndefined();
  });

  it('`vllm serve` reports through the top-level vllm parser; `modelserver` containers are checked too', () => {
    const f = vllmStartFailure({ name: 'modelserver', image: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', command: ['vllm', 'serve'], args: ['Qwen/Qwen3-0.6B', '--disable-log-requests'] });
    expect(f?.log).toEqual(['usage: vllm [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ...', 'vllm: error: unrecognized arguments: --disable-log-requests']);
  });

  it('leaves other containers and unknown images alone', () => {
    expect(vllmStartFailure({ name: 'routing-proxy', image: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.9.3', args: ['--kv-cache-memory-bytes', '1'] })).toBeUndefined();
    expect(vllmStartFailure({ name: 'vllm', image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.6.1', args: ['--kv-cache-memory-bytes', '1'] })).toBeUndefined();
  });
});

describe('vllmDtypeFailure', () => {
  const server = (dtype: string | undefined, image = 'docker.io/vllm/vllm-openai-cpu:v0.26.0') => ({
    name: 'modelserver', image, command: ['vllm', 'serve'], args: ['HuggingFaceTB/SmolLM2-360M-Instruct', ...(dtype ? [`--dtype=${dtype}`] : [])],
  });
  it('a CPU without bf16 dies on a bfloat16 model server (SIGILL, status 132)', () => {
    expect(vllmDtypeFailure(server('bfloat16'), { bf16: false })).toMatchObject({ exitCode: 132, log: expect.arrayContaining(['Illegal instruction (core dumped)']) });
    expect(vllmDtypeFailure({ ...server(undefined), args: ['m', '--dtype', 'bf16'] }, { bf16: false })?.exitCode).toBe(132);
  });
  it('float32, a CPU with bf16, the CUDA image and other containers start', () => {
    expect(vllmDtypeFailure(server('float32'), { bf16: false })).toBeUndefined();
    expect(vllmDtypeFailure(server('bfloat16'), { bf16: true })).toBeUndefined();
    expect(vllmDtypeFailure(server('bfloat16', 'docker.io/vllm/vllm-openai:v0.11.0'), { bf16: false })).toBeUndefined();
    expect(vllmDtypeFailure({ ...server('bfloat16'), name: 'epp' }, { bf16: false })).toBeUndefined();
  });
});
