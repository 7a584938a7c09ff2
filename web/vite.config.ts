import { defineConfig } from 'vite';
import { precompress } from './precompress.mjs';

// Preact's JSX through esbuild's automatic runtime: no Babel plugin, nothing more to install.
// The server sends a strict Content-Security-Policy, so the build must emit no inline script or
// style: the module-preload polyfill (an inline helper in some setups) is off, Chromium needs none.
export default defineConfig({
  // name.gz and name.br beside each text file, sent by the server by Accept-Encoding.
  plugins: [precompress()],
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a server started with `praktika serve --port 8080`.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
