// The grammar of member-role permission items (docs/members.md, "Field allowlists"):
// `<type>.<action>[:own][(<field>,…)]`, parsed, answered back in one canonical form, and checked
// against the schema's attributes.
import { describe, expect, it } from '@jest/globals';
import {
  memberItem,
  parseMemberAllowList,
  parseMemberItem,
  withSchemaFields,
} from '../../server/access/member-grants.js';

const ARTICLE = ['title', 'slug', 'summary', 'body', 'cover'];
const attributes = new Map([['article', ARTICLE]]);

describe('member permission items', () => {
  it('parse the owner limit and the field allowlist', () => {
    expect(parseMemberItem('comment.update:own(body)')).toEqual({
      subject: 'comment',
      action: 'update',
      own: true,
      fields: ['body'],
    });
    expect(parseMemberItem(' article.find(title, summary) ')).toEqual({
      subject: 'article',
      action: 'find',
      own: false,
      fields: ['title', 'summary'],
    });
    expect(parseMemberItem('comment.find:own')).toEqual({
      subject: 'comment',
      action: 'find',
      own: true,
      fields: null,
    });
  });

  it('round-trip through their canonical form', () => {
    for (const item of ['article.find', 'comment.findDrafts:own', 'comment.update:own(body)', 'article.create(title)'])
      expect(memberItem(parseMemberItem(item))).toBe(item);
  });

  it.each([
    ['a field list on delete', 'comment.delete(body)'],
    ['an owner limit on create', 'comment.create:own'],
    ['an empty field name', 'article.find(title,)'],
    ['an unknown action', 'article.publish'],
    ['the limits in the wrong order', 'comment.update(body):own'],
  ])('refuse %s (400)', (_, item) => {
    expect(() => parseMemberItem(item)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('keep the last grant named for a type and action', () => {
    expect(parseMemberAllowList(['article.find', 'article.find(title)']).map(memberItem)).toEqual([
      'article.find(title)',
    ]);
  });

  it('put field lists in the schema attribute order', () => {
    const [grant] = withSchemaFields([parseMemberItem('article.find(cover,title)')], attributes);
    expect(grant.fields).toEqual(['title', 'cover']);
  });

  it('refuse unknown fields with a 400 naming them', () => {
    expect(() => withSchemaFields([parseMemberItem('article.find(title,secret,nope)')], attributes)).toThrow(
      /secret, nope/,
    );
  });

  it('refuse a field list on what is not a content type', () => {
    expect(() => withSchemaFields([parseMemberItem('upload.find(name)')], attributes)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
