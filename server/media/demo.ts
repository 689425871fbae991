// Demo images for the demo seed: real pictures (gradients and shapes, no text) drawn by sharp at
// seed time and uploaded through the media service like any editor's upload, formats and all.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { MediaService } from './service.js';
import type { MediaFile } from './shape.js';

interface DemoPicture {
  name: string;
  alternativeText: string;
  from: string;
  to: string;
  shapes: string;
}

const PICTURES: DemoPicture[] = [
  {
    name: 'sunrise.jpg',
    alternativeText: 'An orange sun rising over violet hills',
    from: '#ff9a5a',
    to: '#5b2a86',
    shapes:
      '<circle cx="800" cy="560" r="180" fill="#ffd166"/><path d="M0 900 L400 560 L800 820 L1200 500 ' +
      'L1600 900 Z" fill="#3a1c5c"/>',
  },
  {
    name: 'ocean.jpg',
    alternativeText: 'Blue waves under a pale sky',
    from: '#bde0fe',
    to: '#023e8a',
    shapes:
      '<path d="M0 620 Q200 560 400 620 T800 620 T1200 620 T1600 620 V900 H0 Z" fill="#0077b6"/><path ' +
      'd="M0 720 Q200 660 400 720 T800 720 T1200 720 T1600 720 V900 H0 Z" fill="#03045e"/>',
  },
  {
    name: 'forest.jpg',
    alternativeText: 'Green triangles of pine trees on a misty slope',
    from: '#d8f3dc',
    to: '#1b4332',
    shapes:
      '<polygon points="300,250 450,700 150,700" fill="#2d6a4f"/><polygon points="700,180 880,720 520,' +
      '720" fill="#40916c"/><polygon points="1150,260 1300,700 1000,700" fill="#2d6a4f"/>',
  },
  {
    name: 'city.jpg',
    alternativeText: 'Blocks of buildings against a dusk sky',
    from: '#f8c8dc',
    to: '#22223b',
    shapes:
      '<rect x="150" y="400" width="180" height="500" fill="#4a4e69"/><rect x="380" y="250" width="220" ' +
      'height="650" fill="#22223b"/><rect x="660" y="480" width="160" height="420" fill="#4a4e69"/><rect ' +
      'x="880" y="320" width="260" height="580" fill="#2b2d42"/><rect x="1200" y="420" width="200" ' +
      'height="480" fill="#4a4e69"/>',
  },
];

function svgOf(p: DemoPicture, width: number, height: number): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 1600 900" ` +
      `preserveAspectRatio="xMidYMid slice">` +
      `<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">` +
      `<stop offset="0" stop-color="${p.from}"/><stop offset="1" stop-color="${p.to}"/></linearGradient></defs>` +
      `<rect width="1600" height="900" fill="url(#g)"/>${p.shapes}</svg>`,
  );
}

/**
 * Draws `count` demo pictures (1600×900 JPEGs) and uploads them through the service. Returns the
 * media files, ready to be linked to demo entries (`media.setLinks(...)`).
 */
export async function uploadDemoImages(media: MediaService, count = PICTURES.length): Promise<MediaFile[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'folio-demo-'));
  try {
    const chosen = Array.from({ length: count }, (_, i) => PICTURES[i % PICTURES.length]);
    const files = [];
    for (const [i, p] of chosen.entries()) {
      const file = path.join(dir, `${i}.jpg`);
      const data = await sharp(svgOf(p, 1600, 900))
        .jpeg({ quality: 85, mozjpeg: true })
        .toBuffer();
      await writeFile(file, data);
      files.push({ path: file, filename: p.name, size: data.length });
    }
    return await media.upload(
      files,
      chosen.map((p) => ({ alternativeText: p.alternativeText, caption: null })),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
