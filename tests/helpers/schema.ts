// Puts a schema in force on a test Folio the way `folio schema apply` does (validated, planned,
// materialised as real tables), and answers the resolved model.
import type { Folio } from '../../server/folio.js';
import type { SchemaModel } from '../../server/schema/model.js';
import type { ApplyOptions, ApplyResult } from '../../server/schema/registry.js';
import type { SchemaFile } from '../../server/schema/types.js';

/** The locales the fixtures' localized content is written in, besides the default `en`. */
export const TEST_LOCALES = ['fr', 'de'];

/** Applies the schema and configures TEST_LOCALES (Settings › Locales), as a project would. */
export async function applyTestSchema(folio: Folio, doc: SchemaFile, options: ApplyOptions = {}): Promise<SchemaModel> {
  await folio.schema.apply(doc, options);
  await addLocales(folio, ...TEST_LOCALES);
  return folio.schema.current();
}

/** The full result (plan, applied steps, version), for tests of the schema module itself. */
export function applySchema(folio: Folio, doc: unknown, options: ApplyOptions = {}): Promise<ApplyResult> {
  return folio.schema.apply(doc, options);
}

/** Configures locales besides the default `en` (Settings › Locales), for tests writing in them. */
export async function addLocales(folio: Folio, ...codes: string[]): Promise<void> {
  const existing = new Set((await folio.locales.list()).map((l) => l.code));
  for (const code of codes) if (!existing.has(code)) await folio.locales.create({ code });
}
