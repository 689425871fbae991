// The media library of a running Folio: one service (and file server) per Folio, created on first
// use so that the HTTP app, the CLI, the demo seed and the content engine share it.
//   const media = mediaOf(folio);            // MediaService: upload, replace, delete, links, folders
//   media.setLinks({ entityTable, entityId, field }, [fileIds])   // content engine: `media` attributes
//   media.filesFor(entityTable, field, entityIds)                 // content engine: populate, batched
import type { Folio } from '../folio.js';
import { RequestRateLimiter } from '../limits/request-rate.js';
import { MediaServer } from './serve.js';
import { MediaService, type MediaOptions } from './service.js';
import { createStorage } from './storage.js';
import { DEFAULT_TRANSFORM_ALLOWLIST, type TransformAllowlist } from './transforms.js';

export interface MediaSetup {
  service: MediaService;
  server: MediaServer;
}

const instances = new WeakMap<Folio, MediaSetup>();

export function mediaSetup(folio: Folio, options: Partial<MediaOptions> & { transforms?: TransformAllowlist } = {}): MediaSetup {
  let setup = instances.get(folio);
  if (!setup) {
    const configured = folio.config.media;
    const service = new MediaService(folio.db, createStorage(folio.config), folio.logger, {
      maxInputPixels: configured?.maxInputPixels,
      imageConcurrency: configured?.imageConcurrency,
      ...options,
    });
    const allowlist: TransformAllowlist = options.transforms ?? {
      sizes: configured?.transformSizes ?? DEFAULT_TRANSFORM_ALLOWLIST.sizes,
      formats: configured?.transformFormats ?? DEFAULT_TRANSFORM_ALLOWLIST.formats,
      qualities: configured?.transformQualities ?? DEFAULT_TRANSFORM_ALLOWLIST.qualities,
    };
    const server = new MediaServer(service, folio.config.secret, allowlist, {
      maxVariants: configured.transformMaxVariants,
      maxGenerations: configured.transformQueue,
      perIp: new RequestRateLimiter(folio.rateCounters, { limit: configured.transformRatePerMinute, windowMs: 60_000 }, 'transform:ip'),
    });
    setup = { service, server };
    instances.set(folio, setup);
  }
  return setup;
}

export function mediaOf(folio: Folio): MediaService {
  return mediaSetup(folio).service;
}

export { MediaService } from './service.js';
export type { FileInfo, IncomingFile, LinkTarget, UploadOptions } from './service.js';
export type { MediaFile, MediaFolder, MediaFormat } from './shape.js';
export { signedTransformPath } from './transforms.js';
export { uploadDemoImages } from './demo.js';
