// Builds the renderer (renderer/index.html) to out/renderer. Relative asset URLs so the same files
// work from app://renderer/ (Electron) and http://127.0.0.1:PORT/ (web host).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome130',
    // Inline nothing as data: URLs except tiny assets; CSP allows img data: only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
