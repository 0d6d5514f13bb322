import { describe, expect, it } from 'vitest';
import { formatArgv } from './shell-quote.js';

describe('commands shown on the Plan page', () => {
  it('leaves plain arguments alone and quotes the rest so a copy pastes correctly', () => {
    expect(formatArgv(['minikube', 'start', '-p', 'llm-d-cpu', '--memory', '24576'])).toBe('minikube start -p llm-d-cpu --memory 24576');
    expect(formatArgv(['kubectl', 'apply', '-f', 'a b.yaml'])).toBe("kubectl apply -f 'a b.yaml'");
    expect(formatArgv(['echo', "it's", ''])).toBe("echo 'it'\\''s' ''");
    expect(formatArgv(['--set', 'x={a,b}'])).toBe("--set 'x={a,b}'");
  });
});
