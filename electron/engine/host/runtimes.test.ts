import { describe, expect, it } from 'vitest';
import { execaRunner, parseMachineList, parseVersionJson } from './runtimes.js';

describe('container runtime detection', () => {
  it('reads docker version JSON with and without a daemon', () => {
    expect(parseVersionJson({ notFound: false, exitCode: 0, stdout: '{"Client":{"Version":"28.2.2"},"Server":{"Version":"28.2.2"}}', stderr: '' }))
      .toEqual({ installed: true, version: '28.2.2', running: true });
    expect(parseVersionJson({ notFound: false, exitCode: 1, stdout: '{"Client":{"Version":"28.2.2"},"Server":null}', stderr: 'Cannot connect' }))
      .toEqual({ installed: true, version: '28.2.2', running: false });
  });

  it('tolerates a missing binary and garbage output', () => {
    expect(parseVersionJson({ notFound: true, exitCode: undefined, stdout: '', stderr: '' })).toEqual({ installed: false });
    expect(parseVersionJson({ notFound: false, exitCode: 1, stdout: 'not json', stderr: '' })).toEqual({ installed: true, running: false });
  });

  it('parses podman machine lists and skips malformed entries', () => {
    expect(parseMachineList('[{"Name":"m1","Running":false,"CPUs":4,"Memory":"2147483648","DiskSize":"100000000000"},{"x":1}]'))
      .toEqual([{ name: 'm1', running: false, cpus: 4, memoryMiB: 2048, diskGB: 100 }]);
    expect(parseMachineList('oops')).toEqual([]);
  });

  it('runs a real command without a shell and reports a missing one as notFound', async () => {
    const run = execaRunner(process.env);
    expect(await run('node', ['-e', 'process.stdout.write("hi")'])).toMatchObject({ notFound: false, exitCode: 0, stdout: 'hi' });
    expect((await run('llmd-no-such-tool-xyz', ['version'])).notFound).toBe(true);
  });
});
