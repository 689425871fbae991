// `blocks` values are Strapi 5's blocks JSON, accepted and refused as Strapi's entity validator does,
// over HTTP on both databases: every node type is stored and read back deeply equal (MySQL's JSON
// columns may reorder keys), and a document Strapi would refuse is a 400 naming where, writing nothing.
import { beforeAll, expect, it } from '@jest/globals';
import { blogSchema } from '../fixtures/blog-schema.js';
import { everyNodeType, SAMPLE_IMAGE, text, type Json } from '../fixtures/strapi-blocks.js';
import { tokenHttp, type Http } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { applyTestSchema } from '../helpers/schema.js';

const paragraph = (...children: Json[]) => ({ type: 'paragraph', children });

/** Documents Strapi refuses, and where the error says the problem is. */
const REFUSED: [string, unknown, string][] = [
  ['a block of an unknown type', [{ type: 'video', children: [text('x')] }], '[0].type'],
  ['a list-item outside a list', [{ type: 'list-item', children: [text('x')] }], '[0].type'],
  [
    'a paragraph inside a list',
    [{ type: 'list', format: 'ordered', children: [paragraph(text('x'))] }],
    '[0].children[0].type',
  ],
  ['a list without items', [{ type: 'list', format: 'unordered', children: [] }], '[0].children'],
  [
    'a list of an unknown format',
    [{ type: 'list', format: 'checklist', children: [{ type: 'list-item', children: [text('x')] }] }],
    '[0].format',
  ],
  ['a heading of level 7', [{ type: 'heading', level: 7, children: [text('x')] }], '[0].level'],
  ['an empty paragraph', [paragraph()], '[0].children'],
  [
    'a javascript: link',
    [paragraph({ type: 'link', url: 'javascript:alert(1)', children: [text('x')] })],
    '[0].children[0].url',
  ],
  [
    'a data: link',
    [paragraph({ type: 'link', url: 'data:text/html,<script>1</script>', children: [text('x')] })],
    '[0].children[0].url',
  ],
  [
    'a link inside a link',
    [paragraph({ type: 'link', url: '/a', children: [{ type: 'link', url: '/b', children: [text('x')] }] })],
    '[0].children[0].children[0].type',
  ],
  ['a text node without text', [paragraph({ type: 'text' })], '[0].children[0].text'],
  ['a modifier that is not a boolean', [paragraph(text('x', { bold: 'yes' }))], '[0].children[0].bold'],
  [
    'a link in a code block',
    [{ type: 'code', children: [{ type: 'link', url: '/a', children: [text('x')] }] }],
    '[0].children[0].type',
  ],
  ['an image without the file', [{ type: 'image', children: [text('')] }], '[0].image'],
  [
    'an image without its url',
    [{ type: 'image', image: { ...SAMPLE_IMAGE, url: undefined }, children: [text('')] }],
    '[0].image.url',
  ],
  ['not an array', paragraph(text('x')), ''],
];

describeEachDatabase('blocks attributes', (t) => {
  let http: Http;

  beforeAll(async () => {
    await applyTestSchema(t().folio, blogSchema);
    http = await tokenHttp(t(), 'full-access');
  });

  it('stores every Strapi node type and reads it back deeply equal', async () => {
    const created = await http()
      .post('/api/articles')
      .send({ data: { title: 'Every block', content: everyNodeType() } });
    expect(created.status).toBe(201);
    expect(created.body.data.content).toEqual(everyNodeType());
    const read = await http().get(`/api/articles/${created.body.data.documentId}`);
    expect(read.body.data.content).toEqual(everyNodeType());
  });

  it("keeps keys Strapi keeps beyond the shape (a list's indentLevel, a link's rel and target)", async () => {
    const content = [
      { type: 'list', format: 'ordered', indentLevel: 0, children: [{ type: 'list-item', children: [text('x')] }] },
      paragraph({ type: 'link', url: 'https://example.com', rel: 'noopener', target: '_blank', children: [text('x')] }),
    ];
    const created = await http()
      .post('/api/articles')
      .send({ data: { title: 'Extra keys', content } });
    expect(created.status).toBe(201);
    expect(created.body.data.content).toEqual(content);
  });

  it.each(REFUSED)('refuses %s with 400 naming where, and writes nothing', async (_name, content, where) => {
    const before = await t().db('articles').count({ n: '*' }).first();
    const res = await http()
      .post('/api/articles')
      .send({ data: { title: 'Refused', content } });
    expect(res.status).toBe(400);
    const [error] = res.body.error.details.errors as { path: string[]; message: string }[];
    expect(error.path).toEqual(['content']);
    expect(error.message.startsWith(where ? `${where}: ` : 'must be an array')).toBe(true);
    expect(await t().db('articles').count({ n: '*' }).first()).toEqual(before);
  });

  it('refuses a document nested deeper than the limit before validating it', async () => {
    let list: Json = { type: 'list-item', children: [text('deep')] };
    for (let i = 0; i < 30; i += 1) list = { type: 'list', format: 'unordered', children: [list] };
    const res = await http()
      .post('/api/articles')
      .send({ data: { title: 'Deep', content: [list] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].message).toBe('blocks are nested too deeply');
  });
});
