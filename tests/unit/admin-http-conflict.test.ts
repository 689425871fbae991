// The dashboard's error path (admin/src/http.ts): a save refused because the entry changed since it
// was read (409 on If-Match) says so, with who changed it and when, in the message the dashboard
// notifies; other errors keep the envelope's message.
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
    expect(err.message).toBe(`The entry was changed since you read it (changed by Bob Editor on ${when})`);
  });

  it('keeps the plain message when the conflict names nobody', () => {
    expect(httpError(409, 'Conflict', conflict({})).message).toBe('The entry was changed since you read it');
  });
});
