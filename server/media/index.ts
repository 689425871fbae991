// The media library of a running Folio: one service and one file server, built by openFolio
// (server/folio.ts) and shared by the HTTP app, the CLI, the demo seed and the content engine.
//   folio.media.setLinks({ entityTable, entityId, field }, [fileIds])   // content engine: `media` attributes
//   folio.media.filesFor(entityTable, field, entityIds)                 // content engine: populate, batched
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { RequestRateLimiter } from '../limits/request-rate.js';
import type { WindowCounterStore } from '../limits/window-counters.js';
import { MediaServer } from './serve.js';
import { MediaService, type MediaWiring } from './service.js';
import { createStorage } from './storage.js';
import { DEFAULT_TRANSFORM_ALLOWLIST, type TransformAllowlist } from './transforms.js';

export interface MediaDependencies extends MediaWiring {
  db: Knex;
  config: Config & { secret: string };
  logger: Logger;
  rateCounters: WindowCounterStore;
}

/** The media service and the file server answering /uploads, from the configuration. */
export function createMedia(d: MediaDependencies): { service: MediaService; server: MediaServer } {
  const configured = d.config.media;
  const { linkedFieldTypes, inTransaction, afterChange } = d;
  const service = new MediaService(
    d.db,
    createStorage(d.config),
    d.logger,
    {
      maxInputPixels: configured?.maxInputPixels,
      imageConcurrency: configured?.imageConcurrency,
    },
    { linkedFieldTypes, inTransaction, afterChange },
  );
  const allowlist: TransformAllowlist = {
    sizes: configured?.transformSizes ?? DEFAULT_TRANSFORM_ALLOWLIST.sizes,
    formats: configured?.transformFormats ?? DEFAULT_TRANSFORM_ALLOWLIST.formats,
    qualities: configured?.transformQualities ?? DEFAULT_TRANSFORM_ALLOWLIST.qualities,
  };
  const server = new MediaServer(service, d.config.secret, allowlist, {
    maxVariants: configured.transformMaxVariants,
    maxGenerations: configured.transformQueue,
    perIp: new RequestRateLimiter(
      d.rateCounters,
      { limit: configured.transformRatePerMinute, windowMs: 60_000 },
      'transform:ip',
    ),
  });
  return { service, server };
}

export { MediaServer } from './serve.js';
export { MediaService } from './service.js';
export type { FileInfo, IncomingFile, LinkTarget, UploadOptions } from './service.js';
export type { MediaFile, MediaFolder, MediaFormat } from './shape.js';
export { signedTransformPath } from './transforms.js';
export { uploadDemoImages } from './demo.js';
