// The dashboard's error path (admin/src/http.ts): a save refused because the entry changed since it
// was read (409 on If-Match) says so in the editor's words, with who changed it, when, and what to do,
// in the message the dashboard notifies; other errors keep the envelope's message.
import { describe, expect, it } from '@jest/globals';
import { httpError } from '../../admin/src/http.js';

const conflict = (details: Record<string, unknown>) => ({
  data: null,
  error: { status: 409, name: 'ConflictError', message: 'The entry was changed since you read it', details },
});

describe('httpError', () => {
  it('names who changed the entry on a 409 conflict', () => {
    const updatedAt = '2026-12-06T10:00:00.000Z';
    const err = httpError(409, 'Conflict', conflict({ updatedAt, updatedBy: { id: 2, name: 'Bob Editor' } }));
    expect(err.status).toBe(409);
    const when = new Date(updatedAt).toLocaleString();
    expect(err.message).toBe(
      `Bob Editor saved this entry on ${when}, after you opened it. Reload the page to see their version, then ` +
        'make your changes again.',
    );
  });

  it('says when the entry was saved again when nobody is named', () => {
    const updatedAt = '2026-12-06T10:00:00.000Z';
    const err = httpError(409, 'Conflict', conflict({ updatedAt, updatedBy: null }));
    const when = new Date(updatedAt).toLocaleString();
    expect(err.message).toBe(
      `This entry was saved again on ${when}, after you opened it. Reload the page to see that version, then ` +
        'make your changes again.',
    );
  });

  it('words an answer that is not Folio’s (a proxy’s 502) for the editor, keeping the status', () => {
    expect(httpError(502, 'Bad Gateway', undefined).message).toBe(
      'The server did not answer as expected (502 Bad Gateway). Please try again in a moment.',
    );
  });

  it('keeps the plain message when the conflict says neither who nor when', () => {
    expect(httpError(409, 'Conflict', conflict({})).message).toBe('The entry was changed since you read it');
  });
});
