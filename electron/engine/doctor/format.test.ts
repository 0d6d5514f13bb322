// The doctor's report in a terminal: a fix's commands are written as a shell reads them, so a copied
// JSON patch or a filter with spaces runs as the argv the rule gave.
import { describe, expect, it } from 'vitest';
import { formatDoctorReport } from './format.js';

describe('formatDoctorReport', () => {
  it('quotes the arguments a shell would split or strip', () => {
    const text = formatDoctorReport({ at: '2026-12-02T10:00:00Z', release: 'r', gaps: [], results: [{ id: 'metrics-port', title: 'T', outcome: 'finding', finding: {
      severity: 'warning', summary: 'S', evidence: [],
      fixes: [{ kind: 'commands', id: 'rename', label: 'L', commands: [['kubectl', 'patch', 'service', 'x', '--type=json', '-p', '[{"op":"replace","path":"/spec/ports/1/name","value":"http-metrics"}]'], ['ss', '-ltnp', 'sport = :8000']] }],
    } }] });
    expect(text).toContain(`      $ kubectl patch service x --type=json -p '[{"op":"replace","path":"/spec/ports/1/name","value":"http-metrics"}]'`);
    expect(text).toContain("      $ ss -ltnp 'sport = :8000'");
  });
});
