// Vite build of the console (the web dashboard the Worker serves at `/` through Workers Static Assets,
// wrangler.toml [assets]). Output: console/dist, git-ignored, rebuilt by scripts/build-console.mjs.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative URLs: the page works wherever the Worker is mounted.
  base: './',
  publicDir: 'public',
  // Preact's automatic JSX runtime (no React, no compat layer).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One JS file and one CSS file: the whole console is small, and the strict CSP allows only 'self'.
    modulePreload: false,
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
