import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

// One bundle for both hosts: served by `conclave run --dashboard-port` and loaded by Electron
// from its own protocol, so every URL in it is relative. Two pages share it: the node's
// dashboard (index.html) and the demo lab (lab.html).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or data: URLs, so a strict Content-Security-Policy holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 300,
    rollupOptions: {
      input: { index: page('index.html'), lab: page('lab.html') },
    },
  },
});
