// File names as people write them: browsers send a name as raw UTF-8 in the multipart header, and
// it is stored as sent; Unicode's bidirectional controls, which only serve to disguise a name, are
// removed from every stored name; a long name is cut between characters, never inside an emoji.
import { beforeAll, expect, it } from '@jest/globals';
import { editorHttp, type Http } from '../helpers/callers.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { twoColours } from '../helpers/media.js';

describeEachDatabase('uploaded file names', (t) => {
  let http: Http;
  let png: Buffer;
  beforeAll(async () => {
    http = await editorHttp(t());
    png = await twoColours(64, 64, '#102030', '#c0ffee', 'png');
  });

  const storedName = async (id: number) => (await t().db('folio_files').where({ id }).first()).name as string;

  it('keeps a UTF-8 name as sent: ü…😀.png', async () => {
    const res = await http().post('/api/upload').attach('files', png, 'ü…😀.png');
    expect(res.status).toBe(201);
    expect(res.body[0].name).toBe('ü…😀.png');
    expect(await storedName(res.body[0].id)).toBe('ü…😀.png');
  });

  it("keeps it through the Admin API's upload too", async () => {
    const res = await http().post('/admin-api/upload/files').attach('files', png, 'Ελληνικά 日本語.png');
    expect(res.status).toBe(201);
    expect(await storedName(res.body.data[0].id)).toBe('Ελληνικά 日本語.png');
  });

  it('removes a right-to-left override that disguises the extension', async () => {
    const res = await http().post('/api/upload').attach('files', png, 'invoice\u202Egnp.png');
    expect(res.status).toBe(201);
    expect(await storedName(res.body[0].id)).toBe('invoicegnp.png');
  });

  it('removes every bidi control from a renamed file, the Arabic letter mark included', async () => {
    const up = await http().post('/api/upload').attach('files', png, 'plain.png');
    const res = await http()
      .put(`/admin-api/upload/files/${up.body[0].id}`)
      .send({ name: 'a\u2067b\u061Cc\u200Fd\u202A.png' });
    expect(res.status).toBe(200);
    expect(await storedName(up.body[0].id)).toBe('abcd.png');
  });

  it('cuts a long name between characters, never inside an emoji', async () => {
    const res = await http()
      .post('/api/upload')
      .attach('files', png, `${'a'.repeat(199)}😀😀.png`);
    expect(res.status).toBe(201);
    expect(await storedName(res.body[0].id)).toBe(`${'a'.repeat(199)}😀`);
  });
});
