// The dashboard's preview panel frames the site's page (issue 20): the page's Content-Security-Policy
// allows, as frame-src, exactly the origins of the schema's preview URL templates, and frames nothing
// else — no other origin, and nothing at all from other responses or without a preview URL.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { beforeAll, expect, it } from '@jest/globals';
import { createApp } from '../../server/app.js';
import type { ContentTypeDefinition, SchemaDocument } from '../../server/schema/types.js';
import { blogSchema } from '../fixtures/blog-schema.js';
import { RUN_DIR } from '../helpers/env.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applySchema, applyTestSchema } from '../helpers/schema.js';

/** A build folder of Vite's shape, so that /admin answers its page whatever the state of admin/dist. */
function buildFolder(): string {
  const dist = mkdtempSync(path.join(RUN_DIR || os.tmpdir(), 'admin-frames-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  return dist;
}

/** The blog schema with these preview URL templates, by type. */
function withPreviewUrls(templates: Record<string, string>): SchemaDocument {
  const contentTypes: Record<string, ContentTypeDefinition> = { ...blogSchema.contentTypes };
  for (const [uid, previewUrl] of Object.entries(templates)) {
    contentTypes[uid] = { ...contentTypes[uid], options: { ...contentTypes[uid].options, previewUrl } };
  }
  return { ...blogSchema, contentTypes };
}

/** The frame-src directive of a response's policy (undefined when it has none). */
function frameSrc(res: supertest.Response): string | undefined {
  const policy = String(res.headers['content-security-policy'] ?? '');
  return policy
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-src'));
}

describeEachDatabase('the dashboard frames only the preview URLs’ sites', (t) => {
  let http: supertest.Agent;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    http = supertest.agent(createApp(t().folio, { adminDist: buildFolder() }).callback());
  });

  it("frames nothing while no type has a preview URL (frame-src 'none')", async () => {
    const res = await http.get('/admin').expect(200);
    expect(frameSrc(res)).toBe("frame-src 'none'");
  });

  it('allows exactly the origins of the preview URL templates, each once', async () => {
    await applySchema(
      t().folio,
      withPreviewUrls({
        article: 'https://site.example/preview/articles/{slug}?token={token}',
        page: 'https://site.example/preview?title={title}&locale={locale}&token={token}',
        category: 'http://127.0.0.1:4321/categories/{documentId}?token={token}',
      }),
    );
    for (const route of ['/admin', '/admin/content/article/abc']) {
      const res = await http.get(route).expect(200);
      expect(frameSrc(res)).toBe('frame-src http://127.0.0.1:4321 https://site.example');
    }
  });

  it('leaves out a template whose origin is filled from the entry', async () => {
    await applySchema(
      t().folio,
      withPreviewUrls({
        article: 'https://{slug}.pages.example/?token={token}',
        page: 'https://site.example/preview?token={token}',
      }),
    );
    const res = await http.get('/admin').expect(200);
    expect(frameSrc(res)).toBe('frame-src https://site.example');
  });

  it("keeps frame-src 'none' on every other response", async () => {
    const res = await http.get('/_health').expect(200);
    expect(frameSrc(res)).toBe("frame-src 'none'");
  });
});
