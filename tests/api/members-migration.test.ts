// Migration 20261207_0200_members: the Content API's Public role becomes the member role `public`,
// its permissions moved in place (folio_public_permissions → folio_member_permissions), and back.
import { expect, it } from '@jest/globals';
import { describeEachTestDatabase } from '../helpers/databases.js';
import * as members from '../../migrations/20261207_0200_members.js';
import * as memberSessions from '../../migrations/20261208_0200_member_sessions.js';

describeEachTestDatabase('members migration', (t) => {
  it('moves the Public role’s permissions into the member role "public", and back down', async () => {
    const { db } = t();
    await memberSessions.down(db); // a later migration's table refers to folio_members
    await members.down(db);
    await db('folio_public_permissions').insert([
      { subject: 'article', action: 'find' },
      { subject: 'article', action: 'findOne' },
      { subject: 'upload', action: 'find' },
    ]);

    await members.up(db);
    expect(await db.schema.hasTable('folio_public_permissions')).toBe(false);
    const roles = await db('folio_member_roles').orderBy('id').select('code', 'name');
    expect(roles).toEqual([
      { code: 'public', name: 'Public' },
      { code: 'authenticated', name: 'Authenticated' },
    ]);
    const moved = await db('folio_member_permissions as p')
      .join('folio_member_roles as r', 'r.id', 'p.role_id')
      .orderBy(['p.subject', 'p.action'])
      .select('r.code', 'p.subject', 'p.action');
    expect(moved).toEqual([
      { code: 'public', subject: 'article', action: 'find' },
      { code: 'public', subject: 'article', action: 'findOne' },
      { code: 'public', subject: 'upload', action: 'find' },
    ]);

    await members.down(db);
    const back = await db('folio_public_permissions').orderBy(['subject', 'action']).select('subject', 'action');
    expect(back).toEqual([
      { subject: 'article', action: 'find' },
      { subject: 'article', action: 'findOne' },
      { subject: 'upload', action: 'find' },
    ]);
    await db('folio_public_permissions').delete();
    await members.up(db); // leaves the database as the migrations table says it is
    await memberSessions.up(db);
  });
});
