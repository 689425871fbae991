// The concepts Folio derives in one place each (issue 18, item 5): document ids and slugs.
import { describe, expect, it } from '@jest/globals';
import { newDocumentId } from '../../server/content/document-id.js';
import { slugify } from '../../server/slug.js';

describe('newDocumentId', () => {
  it('is 24 characters of [a-z0-9]', () => {
    for (let i = 0; i < 100; i++) expect(newDocumentId()).toMatch(/^[a-z0-9]{24}$/);
  });

  it('draws every character equally often (no modulo bias towards a–d)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) for (const c of newDocumentId()) counts.set(c, (counts.get(c) ?? 0) + 1);
    const expected = (20_000 * 24) / 36;
    // A byte taken modulo 36 makes a–d 8/7 as likely as the rest: about 14% above the mean.
    for (const c of 'abcd') expect(counts.get(c)! / expected).toBeLessThan(1.05);
  });
});

describe('slugify', () => {
  it('folds accents before splitting words, so a letter is never cut in two', () => {
    expect(slugify('Rédacteur en chef')).toBe('redacteur-en-chef');
  });

  it('joins words with the separator asked for and trims it at the ends', () => {
    expect(slugify(' My Photo (1) ', { separator: '_' })).toBe('my_photo_1');
  });

  it('keeps only the punctuation asked for', () => {
    expect(slugify('v1.2~beta')).toBe('v1-2-beta');
    expect(slugify('v1.2~beta', { keep: '._~' })).toBe('v1.2~beta');
  });
});
