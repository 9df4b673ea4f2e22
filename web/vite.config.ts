/**
 * Vite config of the web app. Run from the repository root:
 *   vite --config web/vite.config.ts          (dev server; /api and /healthz go to the Pledge server on :3000)
 *   vite build --config web/vite.config.ts    (production build into web/dist, served by Fastify at /)
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.PLEDGE_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react()],
  resolve: {
    // The server's zod contracts are the single source of the request/response shapes.
    alias: { '@contracts': fileURLToPath(new URL('../src/modules', import.meta.url)) },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Stable, cacheable vendor chunks; pages stay in their own lazy chunks (React.lazy in App.tsx).
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/ },
            { name: 'data', test: /node_modules[\\/](@tanstack|i18next|react-i18next|dayjs)[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
          ],
        },
      },
    },
  },
});
