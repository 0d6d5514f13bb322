// The wizard frame: title bar, rehearsal banner, step rail, the current step's page.
import { useEffect } from 'react';
import { RehearsalBanner } from './components/RehearsalBanner.js';
import { StepRail } from './components/StepRail.js';
import { TopBar } from './components/TopBar.js';
import { PageBoundary } from './PageBoundary.js';
import { hasPage, PAGES } from './pages/index.js';
import { useApp } from './stores/app.js';
import { railStep } from './steps.js';
import { syncWizardWithHash, useWizard } from './stores/wizard.js';

export function App() {
  const { info, error, connection, load } = useApp();
  const { current, go } = useWizard();
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => syncWizardWithHash(hasPage), []);

  const Page = PAGES[current] ?? PAGES.welcome!;
  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <TopBar info={info} />
      {info?.rehearsal && <RehearsalBanner />}
      {connection === 'closed' && (
        <div className="connection-lost" role="alert">Lost the connection to the installer — reconnecting…</div>
      )}
      {error && <div className="connection-lost" role="alert">{error}</div>}
      <div className="shell">
        <aside className="sidebar">
          <StepRail current={railStep(current)} available={hasPage} onSelect={go} />
        </aside>
        <main id="main" className="page" tabIndex={-1}>
          <PageBoundary key={current}>
            <Page />
          </PageBoundary>
        </main>
      </div>
    </div>
  );
}
