// One small inline-SVG chart of a metric's recent values. The SVG is an image with a text alternative
// (the current value in words); the same value is printed next to it for sighted readers.
import { sparkPath, type MetricPoint } from './history.js';

const W = 120;
const H = 32;

export function Sparkline({ points, minMax, label }: { points: readonly MetricPoint[]; minMax: number; label: string }) {
  const { line, area } = sparkPath(points, W, H, minMax);
  return (
    <svg className="sparkline" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <line className="sparkline-base" x1="0" y1={H - 0.5} x2={W} y2={H - 0.5} />
      {area && <path className="sparkline-area" d={area} />}
      {line && <path className="sparkline-line" d={line} vectorEffect="non-scaling-stroke" />}
    </svg>
  );
}
