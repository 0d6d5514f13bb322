// A fit level shown as icon + word + colour (never colour alone).
import type { FitLevel } from '../../../shared/api/host.js';
import { AlertTriangle, CheckCircle, XCircle } from './Icons.js';

export const LEVEL_TEXT: Record<FitLevel, string> = { fits: 'Fits', tight: 'Needs attention', 'does-not-fit': 'Does not fit' };

export function LevelIcon({ level, size = 18 }: { level: FitLevel; size?: number }) {
  if (level === 'fits') return <CheckCircle size={size} />;
  if (level === 'tight') return <AlertTriangle size={size} />;
  return <XCircle size={size} />;
}

export function LevelBadge({ level, text }: { level: FitLevel; text?: string }) {
  return (
    <span className={`badge badge-${level}`}>
      <LevelIcon level={level} size={15} />
      {text ?? LEVEL_TEXT[level]}
    </span>
  );
}
