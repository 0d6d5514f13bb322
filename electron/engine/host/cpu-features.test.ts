import { describe, expect, it } from 'vitest';
import { CpuFeatures } from '../../../shared/api/host.js';
import { detectCpuFeatures, featuresFromFlags } from './cpu-features.js';
import { fakeMachine, fakeRunner, fakeSource } from './fake-machine.js';

describe('featuresFromFlags', () => {
  it('x86: bf16 from avx512_bf16 or amx_bf16, AVX-512 from avx512f', () => {
    expect(featuresFromFlags('x64', 'fpu avx2 avx512f avx512_bf16', 'lscpu')).toEqual({ bf16: true, avx512f: true, from: 'lscpu' });
    expect(featuresFromFlags('x64', 'fpu avx2 amx_bf16 amx_tile avx512f', 'lscpu').bf16).toBe(true);
    // Skylake/Cascade Lake: AVX-512 without BF16.
    expect(featuresFromFlags('x64', 'fpu avx2 avx512f avx512bw avx512_vnni', 'lscpu')).toMatchObject({ bf16: false, avx512f: true });
    // A laptop with AVX2 only.
    expect(featuresFromFlags('x64', 'fpu sse4_2 avx avx2 fma', 'lscpu')).toMatchObject({ bf16: false, avx512f: false });
    // macOS spells leaf-7 features in capitals without underscores.
    expect(featuresFromFlags('x64', 'RDWRFSGS BMI1 AVX2 AVX512F AVX512CD', 'sysctl')).toMatchObject({ bf16: false, avx512f: true });
  });

  it('arm64: bf16 from the `bf16` feature; AVX-512 is not a question there', () => {
    expect(featuresFromFlags('arm64', 'fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics bf16 i8mm', 'cpuinfo')).toEqual({ bf16: true, avx512f: null, from: 'cpuinfo' });
    expect(featuresFromFlags('arm64', 'fp asimd evtstrm aes', 'cpuinfo')).toMatchObject({ bf16: false, avx512f: null });
  });

  it('an empty line is unknown, not "no"', () => {
    expect(featuresFromFlags('x64', '', 'lscpu')).toEqual({ bf16: null, avx512f: null, from: 'lscpu' });
    expect(featuresFromFlags('other', 'avx512f', 'lscpu')).toMatchObject({ bf16: null, avx512f: null });
  });
});

describe('detectCpuFeatures', () => {
  it('Linux reads systeminformation\'s flags line', async () => {
    const m = fakeMachine({ cpuFlags: 'fpu avx2' });
    const f = await detectCpuFeatures(fakeSource(m), fakeRunner(m), 'linux', 'x64');
    expect(CpuFeatures.parse(f)).toEqual({ bf16: false, avx512f: false, from: 'lscpu / /proc/cpuinfo flags' });
  });

  it('Apple Silicon asks sysctl for FEAT_BF16 (M2 and later say 1, M1 says 0)', async () => {
    for (const [out, bf16] of [['1\n', true], ['0\n', false]] as const) {
      const calls: string[] = [];
      const m = fakeMachine({ os: { platform: 'darwin', distro: 'macOS', release: '15.5', arch: 'arm64' }, commands: { 'sysctl -n hw.optional.arm.FEAT_BF16': { exitCode: 0, stdout: out } } });
      expect(await detectCpuFeatures(fakeSource(m), fakeRunner(m, calls), 'darwin', 'arm64')).toMatchObject({ bf16, avx512f: null });
      expect(calls).toEqual(['sysctl -n hw.optional.arm.FEAT_BF16']);
    }
  });

  it('an Apple Silicon Mac whose sysctl has no FEAT_BF16 key (older macOS) is unknown', async () => {
    const m = fakeMachine({ commands: { 'sysctl -n hw.optional.arm.FEAT_BF16': { exitCode: 1, stderr: 'unknown oid' } } });
    expect(await detectCpuFeatures(fakeSource(m), fakeRunner(m), 'darwin', 'arm64')).toMatchObject({ bf16: null });
  });

  it('an Intel Mac reads leaf-7 features (where AVX-512 is listed)', async () => {
    const m = fakeMachine({ commands: { 'sysctl -n machdep.cpu.leaf7_features': { exitCode: 0, stdout: 'RDWRFSGS BMI1 AVX2 SMEP BMI2\n' } } });
    expect(await detectCpuFeatures(fakeSource(m), fakeRunner(m), 'darwin', 'x64')).toMatchObject({ bf16: false, avx512f: false });
  });

  it('never throws: a failing source is unknown', async () => {
    const source = { cpuFlags: () => Promise.reject(new Error('lscpu exploded')) };
    const m = fakeMachine();
    expect(await detectCpuFeatures(source, fakeRunner(m), 'linux', 'x64')).toEqual({ bf16: null, avx512f: null, from: 'not readable' });
  });
});
