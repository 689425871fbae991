// A member role's allow list ↔ the dashboard's permission matrix (admin/src/settings/memberPermissions.ts):
// `<type>.<action>[:own][(<field>,…)]` items become grants and come back unchanged; what the matrix
// does not show is kept as it was.
import { describe, expect, it } from '@jest/globals';
import {
  inFieldOrder,
  limitsOffered,
  memberItem,
  parseMemberItem,
  toAllowList,
  toMemberMatrix,
  withGrant,
} from '../../admin/src/settings/memberPermissions.js';

const KNOWN = new Set([
  'article.find',
  'article.findOne',
  'article.update',
  'comment.find',
  'comment.update',
  'comment.delete',
  'upload.find',
]);

describe('a member permission item', () => {
  it('reads the type, the action, "own" and the field allowlist', () => {
    expect(parseMemberItem('comment.update:own(body,rating)')).toEqual({
      subject: 'comment',
      action: 'update',
      own: true,
      fields: ['body', 'rating'],
    });
    expect(parseMemberItem('article.find(title)')).toEqual({
      subject: 'article',
      action: 'find',
      own: false,
      fields: ['title'],
    });
    expect(parseMemberItem('comment.find:own')).toEqual({
      subject: 'comment',
      action: 'find',
      own: true,
      fields: null,
    });
  });

  it('is not read when it has another form (empty or unclosed field list, no action)', () => {
    for (const item of ['article.find()', 'article.find(title', 'article', 'article.find:mine', 'article.find(a b)'])
      expect(parseMemberItem(item)).toBeUndefined();
  });

  it('is written back in the form it was read in', () => {
    for (const item of [
      'article.find',
      'comment.update:own',
      'article.find(title,summary)',
      'comment.update:own(body)',
    ])
      expect(memberItem(parseMemberItem(item)!)).toBe(item);
  });
});

describe('an allow list as the matrix shows it', () => {
  it('round-trips: grants and kept items give the same list back', () => {
    const allow = [
      'article.find(title,summary)',
      'article.findOne',
      'comment.delete:own',
      'comment.update:own(body)',
      'users.find',
    ];
    expect(toAllowList(toMemberMatrix(allow, KNOWN))).toEqual(allow);
  });

  it('keeps items the catalogue does not show, or of another form, untouched and out of the grants', () => {
    const state = toMemberMatrix(['users.find', 'gone.find(title)', 'article.find()', 'article.find'], KNOWN);
    expect(state.grants).toEqual([{ subject: 'article', action: 'find', own: false, fields: null }]);
    expect(state.extra).toEqual(['users.find', 'gone.find(title)', 'article.find()']);
    expect(toAllowList(state)).toEqual(['article.find', 'article.find()', 'gone.find(title)', 'users.find']);
  });

  it('keeps the last of two grants on one type and action, as the server does', () => {
    const state = toMemberMatrix(['comment.update', 'comment.update:own(body)'], KNOWN);
    expect(toAllowList(state)).toEqual(['comment.update:own(body)']);
  });
});

describe('editing the matrix', () => {
  const state = toMemberMatrix(['article.find', 'comment.update:own', 'users.find'], KNOWN);

  it('a tick adds a whole grant and keeps the rest', () => {
    const next = withGrant(state, 'upload', 'find', { own: false, fields: null });
    expect(toAllowList(next)).toEqual(['article.find', 'comment.update:own', 'upload.find', 'users.find']);
  });

  it('limiting a grant to fields or to own entries changes that grant only', () => {
    const fields = withGrant(state, 'article', 'find', { own: false, fields: ['title', 'summary'] });
    expect(toAllowList(fields)).toEqual(['article.find(title,summary)', 'comment.update:own', 'users.find']);
    const everyEntry = withGrant(state, 'comment', 'update', { own: false, fields: null });
    expect(toAllowList(everyEntry)).toEqual(['article.find', 'comment.update', 'users.find']);
  });

  it('unticking removes the grant with its limits', () => {
    expect(toAllowList(withGrant(state, 'comment', 'update', null))).toEqual(['article.find', 'users.find']);
  });

  it('chosen fields follow the type’s attribute order, names it no longer has last', () => {
    expect(inFieldOrder(['summary', 'old', 'title'], ['title', 'body', 'summary'])).toEqual([
      'title',
      'summary',
      'old',
    ]);
  });
});

describe('what a grant may be limited to', () => {
  const comment = { owner: true };
  const article = { owner: false };

  it('offers fields on reads and on writes with a body, not on delete nor outside content types', () => {
    for (const action of ['find', 'findOne', 'findDrafts', 'create', 'update'])
      expect(limitsOffered('public', action, article).fields).toBe(true);
    expect(limitsOffered('member', 'delete', article).fields).toBe(false);
    expect(limitsOffered('member', 'find', undefined)).toEqual({ fields: false, own: false });
  });

  it('offers own entries to member roles on a type with an owner, except on create', () => {
    for (const action of ['find', 'findOne', 'findDrafts', 'update', 'delete'])
      expect(limitsOffered('member', action, comment).own).toBe(true);
    expect(limitsOffered('member', 'create', comment).own).toBe(false);
    expect(limitsOffered('member', 'update', article).own).toBe(false);
  });

  it('never offers own entries to the Public role', () => {
    expect(limitsOffered('public', 'update', comment)).toEqual({ fields: true, own: false });
    expect(limitsOffered('public', 'delete', comment)).toEqual({ fields: false, own: false });
  });
});
