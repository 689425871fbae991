// The Content-Type Builder's working copy as the server would take it, for tests of the builder's
// edits (admin/src/content-type-builder/model.ts).
import { changeSet, type Draft } from '../../admin/src/content-type-builder/model.js';
import { mergeDocument } from '../../server/schema/plan.js';
import type { SchemaDocument } from '../../server/schema/types.js';
import { assertValidDocument, validateRenames } from '../../server/schema/validate.js';

/** What the server would store after Save: the change merged into the schema in force, validated. */
export function saved(draft: Draft): SchemaDocument {
  const set = changeSet(draft);
  const file = { contentTypes: set.contentTypes, components: set.components };
  validateRenames(draft.stored, file, set.renames, 'body');
  const document = mergeDocument(draft.stored, file);
  assertValidDocument(document);
  return document;
}
