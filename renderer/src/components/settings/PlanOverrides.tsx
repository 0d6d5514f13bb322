// The Plan's summary names the model-server settings that differ from the defaults (a person's or a doctor
// fix's — the settings do not record which), so someone reviewing the plan sees a raised memory limit, a
// smaller KV cache or a longer wait before the install runs with it.
import type { Settings } from '../../../../shared/api/settings.js';
import type { ReleaseSummary } from '../../../../shared/release.js';
import { overridePhrases } from '../../model-server-view.js';
import type { ModelServerOverride } from '../../stores/settings.js';

interface Props {
  settings: Pick<Settings, 'model' | 'gpu' | ModelServerOverride>;
  /** The saved release as this node runs it, when known: its defaults are named beside the overrides. */
  release: ReleaseSummary | undefined;
}

export function PlanOverrides({ settings, release }: Props) {
  const phrases = overridePhrases(settings, release);
  if (phrases.length === 0) return null;
  return (
    <p className="small plan-overrides" data-testid="plan-overrides">
      <strong>Model server, set by you or a doctor fix:</strong> {phrases.join(' · ')}. <span className="muted">Configure → Model → Advanced resets them.</span>
    </p>
  );
}
