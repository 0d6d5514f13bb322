// Around the current wizard page: a quiet placeholder while a lazily loaded page's chunk arrives
// (lazy-page.tsx), and a way out when it cannot be fetched — without this, a failed chunk (e.g. the web
// host was rebuilt under an open tab) would unmount the whole app.
import { Component, Suspense, type ReactNode } from 'react';
import { retryFailedPages } from './lazy-page.js';

interface State {
  failed: boolean;
}

class ChunkErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };
  static getDerivedStateFromError(): State {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="page-inner" role="alert">
        <p>This page could not be loaded.</p>
        <div className="actions">
          <button type="button" className="button primary" onClick={() => {
            retryFailedPages();
            this.setState({ failed: false });
          }}>Try again</button>
          <button type="button" className="button" onClick={() => window.location.reload()}>Reload the app</button>
        </div>
      </div>
    );
  }
}

export function PageBoundary({ children }: { children: ReactNode }) {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={<div className="page-inner" aria-busy="true" />}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}
