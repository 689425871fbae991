// Preview URL templates (server/content/preview-url.ts): filled with URL-encoded values, checked when
// the schema is applied.
import { describe, expect, it } from '@jest/globals';
import { fillPreviewUrl, previewUrlProblems } from '../../server/content/preview-url.js';

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
});
