// Every `folio.*` key the dashboard names has English words: a typo in a key would otherwise show
// the raw key to an editor (the i18nProvider allows missing keys and answers them with the key).
// The dashboard's sources are read as text: a key is any string literal that is exactly a
// `folio.…` key. Keys built at run time (template literals) cannot be checked here.
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { i18nProvider } from '../../admin/src/i18n.js';

const SOURCES = fileURLToPath(new URL('../../admin/src', import.meta.url));
const KEY_LITERAL = /(['"])(folio\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+)\1/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Each key the sources name, with the first file that names it. */
function keysUsed(): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of sourceFiles(SOURCES)) {
    for (const match of readFileSync(file, 'utf8').matchAll(KEY_LITERAL)) {
      if (!keys.has(match[2])) keys.set(match[2], file.slice(SOURCES.length + 1));
    }
  }
  return keys;
}

/** Whether the English messages have words for the key (a missing key translates to itself). */
const hasWords = (key: string) => i18nProvider.translate(key, { smart_count: 1 }) !== key;

describe('the dashboard’s folio.* messages', () => {
  test('every folio.* key named in admin/src has English words', () => {
    const missing = [...keysUsed()].filter(([key]) => !hasWords(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  test('the check finds the keys the sources name and tells a missing key from a present one', () => {
    const keys = keysUsed();
    expect(keys.get('folio.auth.sign_in')).toBeDefined();
    expect(keys.size).toBeGreaterThan(100);
    expect(hasWords('folio.auth.sign_in')).toBe(true);
    expect(hasWords('folio.auth.sign_inn')).toBe(false);
    // A group of messages is not a message.
    expect(hasWords('folio.auth')).toBe(false);
  });
});
