// Configure → Advanced: the precision the CPU model server computes in. Automatic follows the CPU (bf16
// only where the host check saw AVX512-BF16/AMX or Arm's FEAT_BF16); the other two are for when that
// guess is wrong — vLLM stops at start-up on a bf16 model the CPU cannot run.
import { useId } from 'react';
import { DTYPE_CHOICES, type DtypeChoice as Choice, type ReleaseSummary } from '../../../../shared/release.js';

const LABELS: Record<Choice, string> = { auto: 'Automatic', bfloat16: 'bfloat16', float32: 'float32' };

interface Props {
  release: ReleaseSummary | undefined;
  value: Choice;
  onChange(value: Choice): void;
}

export function DtypeChoice({ release, value, onChange }: Props) {
  const id = useId();
  const auto = release?.dtype;
  if (!auto) return null; // the release does not follow the CPU (the guide's args decide), or GPU
  return (
    <div className="field dtype-choice" data-testid="dtype-choice">
      <label htmlFor={id} className="field-label">Model precision (vLLM --dtype)</label>
      <select id={id} name="dtype" value={value} onChange={(e) => onChange(e.target.value as Choice)} aria-describedby={`${id}-hint`}>
        {DTYPE_CHOICES.map((c) => (
          <option key={c} value={c}>{c === 'auto' ? `${LABELS.auto} — ${auto.value}` : LABELS[c]}</option>
        ))}
      </select>
      <p className="field-hint" id={`${id}-hint`}>
        {value === 'auto'
          ? <>Automatic picks <code>{auto.value}</code>: {auto.reason}.</>
          : value === 'bfloat16'
            ? <>bfloat16 halves the model’s memory but needs bf16 in the CPU; without it vLLM stops at start-up.</>
            : <>float32 runs on every CPU, at twice the memory per weight and more slowly where bf16 would work.</>}
      </p>
    </div>
  );
}
