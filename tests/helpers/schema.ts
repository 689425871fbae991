// Puts a schema in force on a test Folio the way `folio schema apply` does (validated, planned,
// materialised as real tables), and answers the resolved model.
import type { Folio } from '../../server/folio.js';
import type { SchemaModel } from '../../server/schema/model.js';
import type { ApplyOptions, ApplyResult } from '../../server/schema/registry.js';
import type { SchemaFile } from '../../server/schema/types.js';

export async function applyTestSchema(folio: Folio, doc: SchemaFile, options: ApplyOptions = {}): Promise<SchemaModel> {
  await folio.schema.apply(doc, options);
  return folio.schema.current();
}

/** The full result (plan, applied steps, version), for tests of the schema module itself. */
export function applySchema(folio: Folio, doc: unknown, options: ApplyOptions = {}): Promise<ApplyResult> {
  return folio.schema.apply(doc, options);
}
