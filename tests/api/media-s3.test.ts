// The s3 provider against a real S3-compatible server (tests/helpers/s3.ts), which every run has.
import { afterAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { describeEachDatabase } from '../helpers/folio.js';
import { tinyMp4, twoColours } from '../helpers/media.js';
import { editorHttp } from '../helpers/callers.js';
import { startTestS3 } from '../helpers/s3.js';

// Started before the Folio instances, which read its address from their environment.
const s3 = await startTestS3('folio-media');
const { endpoint, bucket, client, env } = s3;
afterAll(() => s3.stop());

async function storedKeys(): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((o) => o.Key as string).sort();
}

describe('s3 storage provider', () => {
  describeEachDatabase(
    'media on S3',
    (t) => {
      it('stores the original and formats in the bucket, with URLs built by the provider', async () => {
        const http = await editorHttp(t());
        const res = await http()
          .post('/api/upload')
          .attach('files', await twoColours(800, 600, '#aa0000', '#00aa00'), `s3-${t().dialect}.jpg`);
        expect(res.status).toBe(201);
        const file = res.body[0];
        expect(file.provider).toBe('s3');
        expect(file.url).toBe(`${endpoint}/${bucket}/${file.hash}.jpg`);
        expect(await storedKeys()).toEqual(
          expect.arrayContaining([`${file.hash}.jpg`, `small_${file.hash}.jpg`, `thumbnail_${file.hash}.jpg`]),
        );
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${file.hash}.jpg` }));
        expect(object.ContentType).toBe('image/jpeg');
        expect(
          (
            await sharp(
              Buffer.from(
                await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
              ),
            ).metadata()
          ).width,
        ).toBe(800);

        const transformed = await http().get(`/uploads/${file.hash}.jpg?w=256&format=webp`).responseType('blob');
        expect(transformed.status).toBe(200);
        expect((await sharp(transformed.body as Buffer).metadata()).width).toBe(256);
        expect(await storedKeys()).toContain(`_transforms/${file.hash}/w256-h0-cover-q80.webp`);
        const ranged = await http().get(`/uploads/${file.hash}.jpg`).set('Range', 'bytes=0-1').responseType('blob');
        expect(ranged.status).toBe(206);
        expect([...(ranged.body as Buffer)]).toEqual([0xff, 0xd8]);

        expect((await http().delete(`/api/upload/files/${file.id}`)).status).toBe(200);
        expect((await storedKeys()).filter((k) => k.includes(file.hash))).toEqual([]);
      });

      it('streams a non-image file from its temporary file to the bucket', async () => {
        const http = await editorHttp(t());
        const mp4 = tinyMp4(200_000);
        const res = await http().post('/api/upload').attach('files', mp4, `clip-${t().dialect}.mp4`);
        expect(res.status).toBe(201);
        const ranged = await http()
          .get(`/uploads/${res.body[0].hash}.mp4`)
          .set('Range', 'bytes=1000-1999')
          .responseType('blob');
        expect(ranged.status).toBe(206);
        expect((ranged.body as Buffer).equals(mp4.subarray(1000, 2000))).toBe(true);
      });
    },
    env,
  );
});
