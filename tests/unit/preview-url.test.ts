// Preview URL templates (server/content/preview-url.ts): filled with URL-encoded values, checked when
// the schema is applied.
import { describe, expect, it } from '@jest/globals';
import { fillPreviewUrl, previewOriginOf, previewUrlProblems } from '../../server/content/preview-url.js';
import { withFrameSources } from '../../server/middleware/security-headers.js';

describe('preview URL templates', () => {
  it('fills every placeholder with its URL-encoded value, a missing one with nothing', () => {
    const url = fillPreviewUrl('https://s.example/p/{slug}?q={title}&n={views}&x={missing}', {
      slug: 'a/b',
      title: 'Fish & chips #1?',
      views: 3,
    });
    expect(url).toBe('https://s.example/p/a%2Fb?q=Fish%20%26%20chips%20%231%3F&n=3&x=');
  });

  it('fills nothing from an object or an inherited property', () => {
    expect(fillPreviewUrl('https://s.example/?a={seo}&b={constructor}', { seo: { a: 1 } })).toBe(
      'https://s.example/?a=&b=',
    );
  });

  it('accepts plain attributes and {locale}, {documentId}, {token}', () => {
    const template = 'https://s.example/preview?slug={slug}&l={locale}&d={documentId}&t={token}';
    expect(previewUrlProblems(template, new Set(['slug']))).toEqual([]);
  });

  it('rejects an unknown placeholder, a relative URL and another scheme', () => {
    expect(previewUrlProblems('https://s.example/{nope}', new Set(['slug']))).toHaveLength(1);
    expect(previewUrlProblems('/preview?t={token}', new Set())).toEqual(['must be an absolute URL (https://…)']);
    expect(previewUrlProblems('javascript:alert({token})', new Set())).toEqual(['must be an http or https URL']);
  });

  it('names the origin a template always has, and none when the entry fills part of it', () => {
    expect(previewOriginOf('https://site.example:8443/p/{slug}?t={token}')).toBe('https://site.example:8443');
    expect(previewOriginOf('http://127.0.0.1:4000/{locale}/{slug}')).toBe('http://127.0.0.1:4000');
    expect(previewOriginOf('https://{slug}.site.example/?t={token}')).toBeUndefined();
    expect(previewOriginOf('https://site.example:{views}/')).toBeUndefined();
    expect(previewOriginOf('/relative?t={token}')).toBeUndefined();
  });
});

describe("the dashboard page's frame-src", () => {
  const POLICY = "default-src 'self';frame-src 'none';object-src 'none'";

  it('replaces frame-src with exactly the origins given, and keeps the rest', () => {
    expect(withFrameSources(POLICY, ['https://a.example', 'http://127.0.0.1:4000'])).toBe(
      "default-src 'self';object-src 'none';frame-src https://a.example http://127.0.0.1:4000",
    );
  });

  it("frames nothing without origins ('none')", () => {
    expect(withFrameSources(POLICY, [])).toBe("default-src 'self';object-src 'none';frame-src 'none'");
  });
});
