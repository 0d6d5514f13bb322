// Start-up: pick the transport, connect the API, apply the theme, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createApi } from './api/client.js';
import { setApi } from './api/index.js';
import { pickTransport } from './api/transport.js';
import { preloadPages } from './pages/index.js';
import { useApp } from './stores/app.js';
import { attachStores } from './stores/wire.js';
import { applyTheme } from './stores/theme.js';
import './styles.css';

applyTheme(document, window);
const root = createRoot(document.getElementById('root')!);
const picked = pickTransport(window, (state) => useApp.getState().setConnection(state));

if (picked.kind === 'missing-token') {
  root.render(
    <StrictMode>
      <main className="missing-token">
        <h1>Open the link the installer printed</h1>
        <p>This page needs the address with its access token. Run <code>npm run web</code> and open the <code>http://127.0.0.1:…/?token=…</code> line it prints.</p>
      </main>
    </StrictMode>,
  );
} else {
  if (picked.kind === 'electron') useApp.getState().setConnection('open');
  const a = createApi(picked.transport);
  setApi(a);
  attachStores(a);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // The other pages' chunks are fetched once the first page is up — the engine has answered (app.info)
  // and the browser has nothing else to do — so they never compete with the connection and the first
  // render, yet are ready before anyone clicks on.
  const whenIdle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 200));
  const preloadWhenUp = (): void => {
    whenIdle(() => void preloadPages());
  };
  if (useApp.getState().info) preloadWhenUp();
  else {
    const stop = useApp.subscribe((s) => {
      if (!s.info) return;
      stop();
      preloadWhenUp();
    });
  }
}
