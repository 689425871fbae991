import { expect, it } from '@jest/globals';
import sharp from 'sharp';
import { uploadDemoImages } from '../../server/media/index.js';
import { describeEachDatabase } from '../helpers/folio.js';
import { editorHttp } from '../helpers/callers.js';

describeEachDatabase('demo images', (t) => {
  it('draws real pictures and uploads them with formats, placeholders and alternative texts', async () => {
    const files = await uploadDemoImages(t().folio.media);
    expect(files).toHaveLength(4);
    for (const f of files) {
      expect(f).toMatchObject({ mime: 'image/jpeg', width: 1600, height: 900 });
      expect(Object.keys(f.formats ?? {}).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
      expect(f.alternativeText).toBeTruthy();
      expect(f.placeholder).toBeTruthy();
    }
    const res = await (await editorHttp(t()))().get(files[0].url).responseType('blob');
    const stats = await sharp(res.body as Buffer).stats();
    // A picture, not a flat fill: its channels vary.
    expect(stats.channels[0].stdev).toBeGreaterThan(10);
    expect((await (await editorHttp(t()))().get('/api/upload/files')).body).toHaveLength(4);
  });
});
