import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findShellStringUses, scanProject } from './no-shell-strings.js';

const rules = (source: string, file = 'x.ts') => findShellStringUses(file, source).map((u) => u.rule);

describe('the no-shell-strings check', () => {
  it('flags a shell option on a process call, whatever its value', () => {
    expect(rules(`import { spawn } from 'node:child_process'; spawn('ls', [], { shell: true });`)).toEqual(['shell-option']);
    expect(rules(`execa('ls', [], { cwd: '/', shell: '/bin/bash' });`)).toEqual(['shell-option']);
    expect(rules(`const shell = true; execa('ls', [], { shell });`)).toEqual(['shell-option']);
  });

  it('accepts shell: false and data objects that merely have a shell field', () => {
    expect(rules(`execa('ls', ['-l'], { shell: false });`)).toEqual([]);
    expect(rules(`const user = { shell: '/bin/zsh' };`)).toEqual([]);
  });

  it("flags execa's string-command API", () => {
    expect(rules(`import { execaCommand } from 'execa'; await execaCommand('helm ' + args);`)).toEqual(['execa-command']);
    expect(rules(`import * as e from 'execa'; e.execaCommandSync('ls');`)).toEqual(['execa-command']);
  });

  it('flags child_process exec and execSync, also renamed or through a namespace or require', () => {
    expect(rules(`import { exec as run } from 'node:child_process'; run('ls ' + dir);`)).toEqual(['child-process-exec']);
    expect(rules(`import cp from 'child_process'; cp.execSync('ls');`)).toEqual(['child-process-exec']);
    expect(rules(`const out = require('child_process').exec('ls');`, 'x.cjs')).toEqual(['child-process-exec']);
  });

  it('does not confuse exec-named methods of other objects with child_process', () => {
    expect(rules(`const m = /a/.exec('a'); db.exec('select 1');`)).toEqual([]);
    expect(rules(`import { execFile } from 'node:child_process'; execFile('ls', ['-l']);`)).toEqual([]);
  });

  it('flags a shell started by hand with a command string', () => {
    expect(rules(`execa('sh', ['-c', 'minikube start && helm list']);`)).toEqual(['shell-interpreter']);
    expect(rules(`spawn('/bin/bash', ['-lc', cmd]);`)).toEqual(['shell-interpreter']);
    expect(rules(`execa('minikube', ['start', '-p', 'llm-d-cpu']);`)).toEqual([]);
  });

  it('reports file and line', () => {
    const [use] = findShellStringUses('electron/engine/x.ts', `\n\nexeca('ls', [], { shell: true });`);
    expect(use).toMatchObject({ file: 'electron/engine/x.ts', line: 3, rule: 'shell-option' });
  });

  it('finds no shell strings in this project', () => {
    const { files, uses } = scanProject(path.resolve(import.meta.dirname, '..'));
    expect(files).toBeGreaterThan(20);
    expect(uses).toEqual([]);
  });
});
