// Measures upload + processing of a 4000×3000 JPEG through POST /api/upload (formats, placeholder),
// and how long API reads wait meanwhile. Run: npx tsx tests/bench/media-upload.ts
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import supertest from 'supertest';
import { SYSTEM_CALLER } from '../../server/access/caller.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openFolio } from '../../server/folio.js';
import { silentLogger } from '../../server/logger.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'folio-bench-media-'));
const folio = await openFolio(
  loadConfig({
    DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`,
    UPLOADS_DIR: path.join(dir, 'uploads'),
    FOLIO_SECRET: 'x'.repeat(40),
    FOLIO_DEMO: 'false',
  }),
  { logger: silentLogger() },
);
const app = createApp(folio);
app.middleware.unshift(async (ctx, next) => {
  ctx.state.caller = SYSTEM_CALLER;
  await next();
});
const http = supertest(app.callback());

// A photo-like 4000×3000 JPEG: a gradient with noise, so that it compresses like a real photo.
const w = 4000;
const h = 3000;
const noise = Buffer.alloc(w * h * 3);
for (let i = 0; i < noise.length; i++) noise[i] = ((i % (w * 3)) / (w * 3)) * 200 + Math.random() * 55;
const jpeg = await sharp(noise, { raw: { width: w, height: h, channels: 3 } })
  .jpeg({ quality: 90 })
  .toBuffer();
console.log(`input: ${w}×${h} JPEG, ${(jpeg.length / 1024 / 1024).toFixed(1)} MB; cpus: ${os.cpus().length}`);

const times: number[] = [];
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  const res = await http.post('/api/upload').attach('files', jpeg, `photo-${run}.jpg`);
  const ms = performance.now() - started;
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  times.push(ms);
  console.log(`run ${run + 1}: ${ms.toFixed(0)} ms (formats: ${Object.keys(res.body[0].formats).join(', ')})`);
}
times.sort((a, b) => a - b);
console.log(`median upload+process: ${times[Math.floor(times.length / 2)].toFixed(0)} ms`);

// A burst of 4 uploads while reading the file list: how long does a read wait?
const reads: number[] = [];
let uploading = true;
const burst = Promise.all(
  Array.from({ length: 4 }, (_, i) => http.post('/api/upload').attach('files', jpeg, `burst-${i}.jpg`)),
).then(() => (uploading = false));
while (uploading) {
  const t0 = performance.now();
  await http.get('/api/upload/files');
  reads.push(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 20));
}
await burst;
reads.sort((a, b) => a - b);
console.log(
  `reads during a burst of 4 uploads: ${reads.length} reads, median ` +
    `${reads[Math.floor(reads.length / 2)].toFixed(1)} ms, max ${reads[reads.length - 1].toFixed(1)} ms`,
);
await folio.close();
rmSync(dir, { recursive: true, force: true });
