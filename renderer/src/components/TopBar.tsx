// Title bar: app name and version, where it runs, the theme switch.
import type { AppInfo } from '../../../shared/api/app.js';
import { useTheme, type ThemeChoice } from '../stores/theme.js';
import { Monitor, Moon, Sun } from './Icons.js';

const CHOICES: Array<{ value: ThemeChoice; label: string; Icon: typeof Sun }> = [
  { value: 'system', label: 'System theme', Icon: Monitor },
  { value: 'light', label: 'Light theme', Icon: Sun },
  { value: 'dark', label: 'Dark theme', Icon: Moon },
];

export function ThemeSwitch() {
  const { choice, setChoice } = useTheme();
  return (
    <div className="theme-switch" role="group" aria-label="Theme">
      {CHOICES.map(({ value, label, Icon }) => (
        <button key={value} type="button" className="icon-button" aria-pressed={choice === value} aria-label={label} title={label} onClick={() => setChoice(value)}>
          <Icon size={16} />
        </button>
      ))}
    </div>
  );
}

export function TopBar({ info }: { info?: AppInfo | undefined }) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="6" cy="12" r="3" fill="currentColor" />
            <circle cx="18" cy="6" r="3" fill="currentColor" opacity="0.75" />
            <circle cx="18" cy="18" r="3" fill="currentColor" opacity="0.75" />
            <path d="M8.6 10.7 15.4 7.3M8.6 13.3l6.8 3.4" stroke="currentColor" strokeWidth="1.8" />
          </svg>
        </span>
        <span className="brand-name">{info?.name ?? 'llm-d Installer'}</span>
        {info && <span className="brand-version">v{info.version}</span>}
      </div>
      <div className="topbar-end">
        {info?.transport === 'web' && <span className="chip" title="This window talks to the installer over a local, token-protected connection">Browser mode · 127.0.0.1</span>}
        <ThemeSwitch />
      </div>
    </header>
  );
}
