// Media test helpers: real images (and a few hostile files) made with sharp. Who calls is real too:
// see tests/helpers/callers.ts.
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A two-colour image: left half `left`, right half `right`. */
export async function twoColours(
  width: number,
  height: number,
  left: string,
  right: string,
  format: 'jpeg' | 'png' = 'jpeg',
): Promise<Buffer> {
  const half = await sharp({ create: { width: Math.floor(width / 2), height, channels: 3, background: right } })
    .png()
    .toBuffer();
  const image = sharp({ create: { width, height, channels: 3, background: left } }).composite([
    { input: half, left: Math.floor(width / 2), top: 0 },
  ]);
  return format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : image.png().toBuffer();
}

/** 1000×400, white with its right 40% green: a focal point there fills a cover crop with green. */
export async function greenRight(): Promise<Buffer> {
  const green = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#00ff00' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 1000, height: 400, channels: 3, background: '#ffffff' } })
    .composite([{ input: green, left: 600, top: 0 }])
    .png()
    .toBuffer();
}

/** The share of a picture's pixels that are green (red low, green high). */
export async function greenShare(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let green = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i] < 128 && data[i + 1] > 128) green++;
  return green / (info.width * info.height);
}

/** A JPEG stored sideways with EXIF orientation 6 (display: rotate 90° clockwise) and a GPS position. */
export async function sidewaysJpeg(): Promise<Buffer> {
  const raw = await twoColours(400, 200, '#ff0000', '#0000ff', 'png');
  return sharp(raw)
    .withExif({ IFD0: { Make: 'FolioCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A gradient-like noisy image: large files that compress badly. */
export async function noisyPng(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (Math.random() * 256) | 0;
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

export async function animatedGif(frames = 3, size = 300): Promise<Buffer> {
  const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];
  const images = await Promise.all(
    Array.from({ length: frames }, (_, i) =>
      sharp({ create: { width: size, height: size, channels: 3, background: colours[i % colours.length] } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(images, { join: { animated: true } })
    .gif({ delay: 100, loop: 0 })
    .toBuffer();
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A decompression bomb: a valid 1-bit PNG of side×side pixels (400 megapixels by default) that
 * weighs a few tens of kilobytes.
 */
export function pixelBombPng(side = 20000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const row = Math.ceil(side / 8) + 1; // filter byte + packed pixels
  const raw = Buffer.alloc(row * side);
  const idat = deflateSync(raw, { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The smallest MP4 file-type recognises: an ftyp box and an mdat of `payload` bytes. */
export function tinyMp4(payload = 4096): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypisom'),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from('isomiso2'),
  ]);
  const mdatHeader = Buffer.alloc(8);
  mdatHeader.writeUInt32BE(payload + 8);
  mdatHeader.write('mdat', 4, 'ascii');
  const data = Buffer.alloc(payload);
  for (let i = 0; i < payload; i++) data[i] = i % 251;
  return Buffer.concat([ftyp, mdatHeader, data]);
}

/** A minimal PDF file-type recognises (a document, category `files`). */
export function tinyPdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
}
