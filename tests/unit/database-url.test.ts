import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DatabaseUrlError, parseDatabaseUrl, redactUrl } from '../../server/db/connection.js';

describe('parseDatabaseUrl', () => {
  it('resolves a relative SQLite path against the working directory', () => {
    expect(parseDatabaseUrl('sqlite:./data/folio.db')).toEqual({
      dialect: 'sqlite',
      filename: path.resolve('data/folio.db'),
    });
  });

  it('keeps an in-memory SQLite database in memory', () => {
    expect(parseDatabaseUrl('sqlite::memory:').filename).toBe(':memory:');
  });

  it('splits a MySQL URL into connection settings', () => {
    expect(parseDatabaseUrl('mysql://folio:s%40cret@db.internal:3307/cms')).toEqual({
      dialect: 'mysql',
      mysql: { host: 'db.internal', port: 3307, user: 'folio', password: 's@cret', database: 'cms' },
    });
  });

  it.each(['postgres://x/y', 'mysql://', 'mysql://h/bad name!', 'sqlite:'])('refuses %s', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(DatabaseUrlError);
  });

  it('hides the password when a URL is shown', () => {
    expect(redactUrl('mysql://folio:secret@db/cms')).toBe('mysql://folio:***@db/cms');
  });
});
