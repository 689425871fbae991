// The dashboard's build: served by Folio at /admin (server/routes/admin-ui.ts), built into admin/dist.
// JSX goes through Vite's own transform (oxc) with React's automatic runtime; no plugin needed.
// In development (`npm run dev`) the API paths are proxied to the Folio server.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const apiTarget = process.env.FOLIO_API_URL ?? 'http://127.0.0.1:1337';

export default defineConfig({
  root: here,
  base: '/admin/',
  publicDir: path.join(here, 'public'),
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2500,
    rolldownOptions: {
      // MUI marks its modules 'use client' for React Server Components; meaningless in an SPA.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/admin-api', '/uploads', '/_health'].map((p) => [p, { target: apiTarget, changeOrigin: false }]),
    ),
  },
});
