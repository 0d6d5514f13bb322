// The few Prometheus metric types a vLLM replica exposes, rendered in the text exposition format with the
// `model_name` label vLLM uses (llm-d-facts.md §6).
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const labelText = (labels: Record<string, string>) => `{${Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}`;

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count += 1;
    this.buckets.forEach((b, i) => { if (v <= b) this.counts[i] = (this.counts[i] ?? 0) + 1; });
  }
  render(labels: Record<string, string>): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(b) })} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${this.count}`);
    lines.push(`${this.name}_sum${labelText(labels)} ${this.sum}`, `${this.name}_count${labelText(labels)} ${this.count}`);
    return lines.join('\n');
  }
}

export function gauge(name: string, help: string, type: 'gauge' | 'counter', samples: Array<[Record<string, string>, number]>): string {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map(([l, v]) => `${name}${labelText(l)} ${v}`)].join('\n');
}
