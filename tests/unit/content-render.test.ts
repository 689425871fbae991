// The renderers behind `render=html` (server/content/render/) on values the write checks would refuse
// (documents stored before a rule, imported, or written straight into the database) and on what Markdown
// may carry: whatever comes in, the HTML that comes out holds only allowlisted tags, attributes and URLs.
import { describe, expect, it } from '@jest/globals';
import { blocksToHtml, markdownToHtml } from '../../server/content/render/index.js';
import { SAMPLE_IMAGE, text, type Json } from '../fixtures/strapi-blocks.js';

const paragraph = (...children: Json[]): Json => ({ type: 'paragraph', children });
const image = (fields: Json): Json => ({ type: 'image', image: { ...SAMPLE_IMAGE, ...fields }, children: [text('')] });

describe('blocksToHtml', () => {
  it('renders a value that is not a list of blocks as nothing', () => {
    expect(blocksToHtml({ type: 'paragraph', children: [text('x')] })).toBe('');
    expect(blocksToHtml('<script>alert(1)</script>')).toBe('');
  });

  it('keeps only the text of a node type it does not know', () => {
    expect(blocksToHtml([{ type: 'video', url: 'https://x', children: [text('caption', { bold: true })] }])).toBe(
      '<strong>caption</strong>',
    );
  });

  it('renders a heading of an unknown level as a paragraph', () => {
    expect(blocksToHtml([{ type: 'heading', level: 9, children: [text('x')] }])).toBe('<p>x</p>');
  });

  it('puts a list that opens a list inside an item of its own', () => {
    const nested = { type: 'list', format: 'unordered', children: [{ type: 'list-item', children: [text('a')] }] };
    expect(blocksToHtml([{ type: 'list', format: 'ordered', children: [nested] }])).toBe(
      '<ol><li><ul><li>a</li></ul></li></ol>',
    );
  });

  it('names a code language only when it is a plain word', () => {
    expect(blocksToHtml([{ type: 'code', language: 'c++', children: [text('a < b')] }])).toBe(
      '<pre><code class="language-c++">a &lt; b</code></pre>',
    );
    expect(blocksToHtml([{ type: 'code', language: 'x" onclick="y', children: [text('z')] }])).toBe(
      '<pre><code>z</code></pre>',
    );
  });

  it('drops links to data:, vbscript: and javascript: hidden behind blanks or control characters', () => {
    const links = ['data:text/html,<b>x</b>', 'vbscript:msgbox(1)', '\tjava\nscript:alert(1)', '\u0001javascript:x'];
    const html = blocksToHtml([paragraph(...links.map((url) => ({ type: 'link', url, children: [text('x')] })))]);
    expect(html).toBe('<p>xxxx</p>');
  });

  it('keeps relative, http(s) and mailto links, their URLs escaped', () => {
    const urls = ['/a?b=1&c="2"', '#top', 'https://example.com', 'mailto:a@example.com'];
    const html = blocksToHtml([paragraph(...urls.map((url) => ({ type: 'link', url, children: [text('x')] })))]);
    expect(html).toBe(
      '<p><a href="/a?b=1&amp;c=&quot;2&quot;">x</a><a href="#top">x</a><a href="https://example.com">x</a>' +
        '<a href="mailto:a@example.com">x</a></p>',
    );
  });

  it('shows no image whose source is not http(s) or relative', () => {
    expect(blocksToHtml([image({ url: 'javascript:alert(1)' }), image({ url: 'data:image/png;base64,AAAA' })])).toBe(
      '',
    );
  });

  it('wraps a captioned image in a figure and leaves an unusable format out of srcset', () => {
    const formats = {
      small: { url: '/uploads/small,1.png', width: 100 },
      medium: { url: 'javascript:alert(1)', width: 200 },
      thumbnail: { url: '/uploads/thumb.png', width: 50 },
    };
    expect(blocksToHtml([image({ caption: 'At <dawn>', alternativeText: null, formats })])).toBe(
      '<figure><img src="https://cms.example.com/uploads/harbour_1a2b3c.png" alt="" width="320" height="200" ' +
        'srcset="/uploads/thumb.png 50w, https://cms.example.com/uploads/harbour_1a2b3c.png 320w" ' +
        'sizes="(max-width: 320px) 100vw, 320px" /><figcaption>At &lt;dawn&gt;</figcaption></figure>',
    );
  });

  it('stops at the nesting limit instead of recursing without end', () => {
    let list: Json = { type: 'list-item', children: [text('deep')] };
    for (let i = 0; i < 5000; i++) list = { type: 'list', format: 'unordered', children: [list] };
    expect(blocksToHtml([list])).not.toContain('deep');
  });
});

describe('markdownToHtml', () => {
  it('turns bare URLs into links and keeps table alignment, but no other style', () => {
    expect(markdownToHtml('See https://example.com <span style="color:red">red</span>')).toBe(
      '<p>See <a href="https://example.com">https://example.com</a> <span>red</span></p>',
    );
    expect(markdownToHtml('| a |\n|--:|\n| 1 |')).toContain('<td style="text-align:right">1</td>');
  });

  it('removes forms, frames, styles and event handlers written as raw HTML', () => {
    const html = markdownToHtml(
      '<form action="/x"><input name="q"></form><style>p{}</style><div onmouseover="x()">hi</div>\n\n' +
        '<object data="x.swf"></object><svg><script>1</script></svg>',
    );
    expect(html).toBe('<div>hi</div>\n<p></p>');
  });

  it('shows no image whose source may run script', () => {
    expect(markdownToHtml('![x](javascript:alert(1))')).toBe('<p>![x](javascript:alert(1))</p>');
    expect(markdownToHtml('<img src="data:image/svg+xml,<svg onload=alert(1)>">')).toBe('<img />');
  });
});
