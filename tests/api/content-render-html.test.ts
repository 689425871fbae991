// `render=html` on the Content API's reads (docs/content-api.md, "Rich text as HTML"), on both databases:
// richtext (Markdown) and blocks answered as sanitised HTML — at the top level, in components, dynamic
// zones and populated relations, chosen by attribute type — while the default answer stays the stored
// values; a stored <script> or javascript: link never survives; media-library images carry their
// formats as srcset; a bad value is a 400; the response cache keeps the JSON and HTML answers apart.
import { beforeAll, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { everyNodeType, blockImage, text, type Json } from '../fixtures/strapi-blocks.js';
import { tokenHttp, type Http } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { twoColours } from '../helpers/media.js';
import { applyTestSchema } from '../helpers/schema.js';
import { SYSTEM_COLUMNS } from '../../server/schema/naming.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import type { OpenApiDocument } from '../../server/content/openapi.js';

const schema: SchemaDocument = {
  contentTypes: {
    post: {
      kind: 'collectionType',
      info: { singularName: 'post', pluralName: 'posts', displayName: 'Post' },
      options: { draftAndPublish: false },
      attributes: {
        title: { type: 'string', required: true },
        summary: { type: 'text' },
        body: { type: 'richtext' },
        content: { type: 'blocks' },
        aside: { type: 'component', component: 'shared.aside' },
        sections: { type: 'dynamiczone', components: ['shared.rich-text', 'shared.quote'] },
        related: { type: 'relation', relation: 'oneToMany', target: 'post' },
      },
    },
    about: {
      kind: 'singleType',
      info: { singularName: 'about', pluralName: 'abouts', displayName: 'About' },
      options: { draftAndPublish: false },
      attributes: { body: { type: 'richtext' } },
    },
  },
  components: {
    'shared.aside': {
      info: { displayName: 'Aside' },
      attributes: { note: { type: 'richtext' }, content: { type: 'blocks' } },
    },
    'shared.rich-text': { info: { displayName: 'Rich text' }, attributes: { body: { type: 'richtext' } } },
    'shared.quote': { info: { displayName: 'Quote' }, attributes: { text: { type: 'text' } } },
  },
};

const paragraph = (...children: Json[]): Json => ({ type: 'paragraph', children });

/** everyNodeType() as HTML: what each node type renders to, byte for byte. */
const EVERY_NODE_TYPE_HTML = [
  '<h1>Heading 1</h1><h2>Heading 2</h2><h3>Heading 3</h3><h4>Heading 4</h4><h5>Heading 5</h5><h6>Heading 6</h6>',
  '<p>Plain, <strong>bold</strong>, <em>italic</em>, <u>underlined</u>, <del>struck</del>, <code>code</code>, ',
  '<strong><em><u><del><code>all</code></del></u></em></strong> and a ',
  '<a href="https://example.com/page">link<strong> in bold</strong></a> or a ',
  '<a href="/relative">relative one</a>.<br />A second line.</p>',
  '<blockquote>A quote with <em>emphasis</em></blockquote>',
  '<pre><code class="language-javascript">const a = 1;\nconst b = 2;</code></pre>',
  '<ul><li>One<ul><li>One point one<ol><li>Deepest</li></ol></li></ul></li>',
  '<li>Two <a href="https://example.com">linked</a></li></ul>',
  '<ol><li>First</li><li>Second</li></ol>',
  '<img src="https://cms.example.com/uploads/harbour_1a2b3c.png" alt="The harbour at dawn" width="320" height="200" ',
  'srcset="/uploads/thumbnail_harbour_1a2b3c.png 245w, https://cms.example.com/uploads/harbour_1a2b3c.png 320w" ',
  'sizes="(max-width: 320px) 100vw, 320px" />',
  '<p>The end</p>',
].join('');

describeEachDatabase('Content API render=html', (t) => {
  let read: Http;
  let write: Http;

  beforeAll(async () => {
    await applyTestSchema(t().folio, schema);
    read = await tokenHttp(t(), 'read-only');
    write = await tokenHttp(t(), 'full-access');
  });

  async function createPost(data: Json): Promise<string> {
    const res = await write()
      .post('/api/posts')
      .send({ data: { title: 'A post', ...data } });
    expect(res.status).toBe(201);
    return res.body.data.documentId as string;
  }

  /** A value stored without the write checks (imported, or written before a rule): the database's own. */
  async function storeRaw(documentId: string, field: string, value: unknown): Promise<void> {
    const type = (await t().folio.schema.current()).contentTypes.get('post');
    const column = type?.fields.get(field);
    if (!type || column?.kind !== 'scalar') throw new Error(`no scalar ${field}`);
    const stored = typeof value === 'string' ? value : JSON.stringify(value);
    await t()
      .db(type.table)
      .where(SYSTEM_COLUMNS.documentId, documentId)
      .update({ [column.column]: stored });
  }

  it('answers the stored Markdown and blocks JSON when render is absent', async () => {
    const id = await createPost({ body: '# Title', content: everyNodeType() });
    const res = await read().get(`/api/posts/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data.body).toBe('# Title');
    expect(res.body.data.content).toEqual(everyNodeType());
  });

  it('renders a richtext field from Markdown', async () => {
    const body = '# Title\n\nSome **bold**, a [link](https://example.com/a?b=1&c=2) and `code`.\n\n- one\n- two';
    const id = await createPost({ body });
    const res = await read().get(`/api/posts/${id}?render=html`);
    expect(res.status).toBe(200);
    expect(res.body.data.body).toBe(
      '<h1>Title</h1>\n<p>Some <strong>bold</strong>, a <a href="https://example.com/a?b=1&amp;c=2">link</a> ' +
        'and <code>code</code>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>',
    );
    expect(res.body.data.title).toBe('A post');
  });

  it('renders every blocks node type to its HTML', async () => {
    const id = await createPost({ content: everyNodeType() });
    const res = await read().get(`/api/posts/${id}?render=html`);
    expect(res.body.data.content).toBe(EVERY_NODE_TYPE_HTML);
  });

  it('leaves empty rich text null and other text fields as stored', async () => {
    const id = await createPost({ summary: '**not markdown**' });
    const res = await read().get(`/api/posts/${id}?render=html`);
    expect(res.body.data).toMatchObject({ summary: '**not markdown**', body: null, content: null });
  });

  it('never lets a <script> or a javascript: link in Markdown through', async () => {
    const body = [
      'Hello <script>alert("md")</script>',
      '',
      '[click](javascript:alert(1)) <a href="javascript:alert(2)" onclick="alert(3)">raw</a>',
      '',
      '<img src="x.png" onerror="alert(4)"><iframe src="https://evil.example"></iframe>',
    ].join('\n');
    const id = await createPost({ body });
    const html = (await read().get(`/api/posts/${id}?render=html`)).body.data.body as string;
    expect(html).not.toMatch(/<script|href="\s*javascript|onclick|onerror|<iframe/i);
    // The Markdown link that may not be a link stays its source text; the raw one loses its href.
    expect(html).toBe('<p>Hello </p>\n<p>[click](javascript:alert(1)) <a>raw</a></p>\n<p><img src="x.png" /></p>');
  });

  it('escapes a <script> typed in a blocks text and drops a stored javascript: link', async () => {
    const id = await createPost({ content: [paragraph(text('<script>alert("blocks")</script>'))] });
    // The write checks refuse a javascript: link; one stored before them must not become a link either.
    await storeRaw(id, 'content', [
      paragraph(
        text('<script>alert("blocks")</script>'),
        { type: 'link', url: 'javascript:alert(1)', children: [text('click')] },
        { type: 'link', url: ' JaVaScRiPt:alert(2)', children: [text(' me')] },
        { type: 'link', url: 'mailto:team@example.com', children: [text(' or mail')] },
      ),
    ]);
    const res = await read().get(`/api/posts/${id}?render=html`);
    expect(res.body.data.content).toBe(
      '<p>&lt;script&gt;alert("blocks")&lt;/script&gt;click me' + '<a href="mailto:team@example.com"> or mail</a></p>',
    );
  });

  it('gives a media-library image its formats as srcset, with width, height and alt', async () => {
    const upload = await write()
      .post('/api/upload')
      .attach('files', await twoColours(1200, 900, '#336699', '#ffcc00'), 'harbour.jpg');
    expect(upload.status).toBe(201);
    const file = upload.body[0] as Json & { formats: Record<string, { url: string; width: number }> };
    const image: Json = { ...blockImage(file, 'https://cms.example.com'), alternativeText: 'The harbour' };
    const id = await createPost({ content: [{ type: 'image', image, children: [text('')] }] });
    const html = (await read().get(`/api/posts/${id}?render=html`)).body.data.content as string;
    expect(Object.keys(file.formats)).toHaveLength(4);
    const srcset = [
      ...Object.values(file.formats)
        .sort((a, b) => a.width - b.width)
        .map((f) => `${f.url} ${f.width}w`),
      `${String(image.url)} 1200w`,
    ].join(', ');
    expect(html).toBe(
      `<img src="${String(image.url)}" alt="The harbour" width="1200" height="900" srcset="${srcset}" ` +
        'sizes="(max-width: 1200px) 100vw, 1200px" />',
    );
  });

  it('renders rich text inside components, dynamic zones and populated relations by attribute type', async () => {
    const relatedId = await createPost({ title: 'Related', body: '*related*' });
    const id = await createPost({
      aside: { note: 'An **aside**', content: [paragraph(text('Aside block'))] },
      sections: [
        { __component: 'shared.rich-text', body: '## In a zone' },
        { __component: 'shared.quote', text: '*a quote stays text*' },
      ],
      related: [relatedId],
    });
    const res = await read().get(`/api/posts/${id}?render=html&populate=*`);
    expect(res.status).toBe(200);
    const { aside, sections, related } = res.body.data;
    expect(aside).toMatchObject({ note: '<p>An <strong>aside</strong></p>', content: '<p>Aside block</p>' });
    expect(sections).toMatchObject([
      { __component: 'shared.rich-text', body: '<h2>In a zone</h2>' },
      { __component: 'shared.quote', text: '*a quote stays text*' },
    ]);
    expect(related).toMatchObject([{ documentId: relatedId, body: '<p><em>related</em></p>' }]);
  });

  it('renders lists and single types too', async () => {
    const id = await createPost({ title: 'Listed', body: 'In a *list*' });
    const list = await read().get('/api/posts?render=html&filters[title][$eq]=Listed');
    expect(list.status).toBe(200);
    expect(list.body.data).toMatchObject([{ documentId: id, body: '<p>In a <em>list</em></p>' }]);
    expect(
      (
        await write()
          .put('/api/about')
          .send({ data: { body: 'About **us**' } })
      ).status,
    ).toBe(200);
    const single = await read().get('/api/about?render=html');
    expect(single.body.data.body).toBe('<p>About <strong>us</strong></p>');
  });

  it('answers what the OpenAPI document describes, rendered or not', async () => {
    const id = await createPost({
      body: '*x*',
      content: everyNodeType(),
      aside: { note: '*y*', content: [paragraph(text('z'))] },
      sections: [{ __component: 'shared.rich-text', body: '*w*' }],
    });
    const doc = (await read().get('/api/openapi.json')).body as OpenApiDocument;
    expect(doc.paths['/api/posts'].get?.parameters?.find((p) => p.name === 'render')?.schema).toEqual({
      type: 'string',
      enum: ['html'],
    });
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'folio-openapi', components: doc.components });
    const check = ajv.getSchema('folio-openapi#/components/schemas/PostResponse')!;
    for (const query of ['populate=*', 'populate=*&render=html']) {
      const res = await read().get(`/api/posts/${id}?${query}`);
      expect([query, check(res.body), check.errors ?? null]).toEqual([query, true, null]);
    }
  });

  it.each([
    ['render=markdown', '/api/posts'],
    ['render=HTML', '/api/posts'],
    ['render=', '/api/about'],
    ['render[0]=html', '/api/posts'],
    ['render[format]=html', '/api/about'],
  ])('refuses %s with a 400 naming the parameter (%s)', async (query, path) => {
    const res = await read().get(`${path}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      data: null,
      error: { status: 400, name: 'ValidationError', details: { source: 'query', param: 'render', key: 'render' } },
    });
  });

  it('keeps the JSON and HTML answers of one URL apart in the response cache', async () => {
    const id = await createPost({ body: 'Cached *text*', content: [paragraph(text('Cached block'))] });
    const url = `/api/posts/${id}`;
    let postReads = 0;
    const table = (await t().folio.schema.current()).contentTypes.get('post')?.table;
    const count = (q: { sql: string }) => {
      if (/^select/i.test(q.sql) && q.sql.includes(`${table}`)) postReads += 1;
    };
    t().db.on('query', count);
    try {
      const json = await read().get(url);
      const html = await read().get(`${url}?render=html`);
      postReads = 0;
      const jsonAgain = await read().get(url);
      const htmlAgain = await read().get(`${url}?render=html`);
      expect(postReads).toBe(0);
      expect(json.body.data).toMatchObject({ body: 'Cached *text*', content: [paragraph(text('Cached block'))] });
      expect(html.body.data).toMatchObject({ body: '<p>Cached <em>text</em></p>', content: '<p>Cached block</p>' });
      expect(jsonAgain.text).toBe(json.text);
      expect(htmlAgain.text).toBe(html.text);
      expect(html.headers.etag).not.toBe(json.headers.etag);
      expect((await read().get(`${url}?render=html`).set('If-None-Match', json.headers.etag)).status).toBe(200);
    } finally {
      t().db.removeListener('query', count);
    }
  });
});
