import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineSplitter, ProcessError, formatCommand, runProcess } from './runner.js';
import { Redactor } from './redact.js';

let dir: string;
const node = process.execPath;

/** Every process whose command line contains the marker (the `ps` process table, as a person would check). */
const processesWith = (marker: string): string[] =>
  execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !/\bZ/.test(l.trim().split(/\s+/)[1] ?? ''));

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  // A tool that starts a grandchild ignoring SIGTERM, then waits forever: the case that leaves orphans.
  fs.writeFileSync(path.join(dir, 'grandchild.mjs'), `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);`);
  fs.writeFileSync(path.join(dir, 'parent.mjs'), `
    import { spawn } from 'node:child_process';
    const marker = process.argv[2];
    spawn(process.execPath, [${JSON.stringify(path.join(dir, 'grandchild.mjs'))}, marker], { stdio: 'ignore' });
    console.log('started ' + marker);
    setInterval(() => {}, 1000);`);
  fs.writeFileSync(path.join(dir, 'talk.mjs'), `
    console.log('line one'); console.error('warn two'); process.stdout.write('spin 1\\rspin 2\\rdone\\n');
    console.log('token=' + process.env.TOKEN); process.exit(Number(process.argv[2] ?? 0));`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('runProcess', () => {
  it('streams stdout and stderr line by line, splitting spinner redraws', async () => {
    const lines: string[] = [];
    const res = await runProcess(node, [path.join(dir, 'talk.mjs')], { onLine: (l, s) => lines.push(`${s}:${l}`), env: { ...process.env, TOKEN: 'x' } });
    expect(res.exitCode).toBe(0);
    expect(lines).toContain('stdout:line one');
    expect(lines).toContain('stderr:warn two');
    expect(lines.filter((l) => l.startsWith('stdout:spin') || l === 'stdout:done')).toEqual(['stdout:spin 1', 'stdout:spin 2', 'stdout:done']);
  });

  it('redacts secrets in every line, in captured output and in the error', async () => {
    const redactor = new Redactor(['hf_supersecret123']);
    const lines: string[] = [];
    const err = await runProcess(node, [path.join(dir, 'talk.mjs'), '3'], { redactor, onLine: (l) => lines.push(l), env: { ...process.env, TOKEN: 'hf_supersecret123' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProcessError);
    const pe = err as ProcessError;
    expect(pe.code).toBe('TOOL_FAILED');
    expect(pe.exitCode).toBe(3);
    expect(pe.message).toContain('exited with code 3');
    expect(pe.lastLines).toContain('token=***');
    expect(pe.lastLines.join('\n')).not.toContain('supersecret');
    expect(lines).toContain('token=***');
    expect(lines.join('\n')).not.toContain('supersecret');
  });

  it('reports a missing tool as TOOL_MISSING with a hint', async () => {
    const err = (await runProcess('llmd-no-such-tool', ['x']).catch((e: unknown) => e)) as ProcessError;
    expect(err.code).toBe('TOOL_MISSING');
    expect(err.hint).toMatch(/Prerequisites/);
  });

  it('kills the whole process tree on cancel: no process is left behind', async () => {
    const marker = `llmd-tree-${process.pid}-${Date.now()}`;
    const controller = new AbortController();
    const run = runProcess(node, [path.join(dir, 'parent.mjs'), marker], {
      signal: controller.signal,
      killGraceMs: 300,
      onLine: (l) => { if (l.startsWith('started')) setTimeout(() => controller.abort(), 100); },
    });
    const err = (await run.catch((e: unknown) => e)) as ProcessError;
    expect(err.code).toBe('CANCELLED');
    expect(err.cancelled).toBe(true);
    // Give the kernel a moment to reap; then the process table must hold neither parent nor grandchild.
    await new Promise((r) => setTimeout(r, 100));
    expect(processesWith(marker)).toEqual([]);
  });

  it('stops a tool that outlives its timeout, with the TIMEOUT code', async () => {
    const marker = `llmd-timeout-${process.pid}-${Date.now()}`;
    const err = (await runProcess(node, [path.join(dir, 'parent.mjs'), marker], { timeoutMs: 500, killGraceMs: 200 }).catch((e: unknown) => e)) as ProcessError;
    expect(err.code).toBe('TIMEOUT');
    await new Promise((r) => setTimeout(r, 100));
    expect(processesWith(marker)).toEqual([]);
  });

  it('refuses to start when already cancelled', async () => {
    const c = new AbortController();
    c.abort();
    await expect(runProcess(node, ['-e', '1'], { signal: c.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('LineSplitter and formatCommand', () => {
  it('keeps a partial line until the stream ends', () => {
    const out: string[] = [];
    const s = new LineSplitter((l) => out.push(l));
    s.push('ab');
    s.push('c\r\nde');
    expect(out).toEqual(['abc']);
    s.end();
    expect(out).toEqual(['abc', 'de']);
  });

  it('quotes only what a shell would need quoted (display only; nothing runs through a shell)', () => {
    expect(formatCommand(['minikube', 'start', '--memory=24576'])).toBe('minikube start --memory=24576');
    expect(formatCommand(['echo', "it's here"])).toBe(`echo 'it'\\''s here'`);
  });
});
