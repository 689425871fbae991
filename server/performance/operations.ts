// The advisor's one write, as an operation: "Add index" on a content type, for a caller allowed to
// change the schema (`update` on content-type-builder, as the builder's apply). The route declares the
// same permission; it is checked again here so that a direct call holds the same rule.
import type { Caller } from '../access/caller.js';
import { refusal } from '../access/caller.js';
import type { AuditLog } from '../events/audit.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { QueryAdvisor, ShapeReport } from './advisor.js';
import { applyIndex } from './apply-index.js';

export interface AddIndexDeps {
  schema: SchemaRegistry;
  advisor: QueryAdvisor;
  audit: Pick<AuditLog, 'record'>;
}

export interface AddIndexResult {
  /** What the schema apply did (nothing when the type already lists the index). */
  steps: string[];
  version: number;
  noop: boolean;
  /** The type's shapes afterwards: their timings before, and the plan read again. */
  shapes: ShapeReport[];
}

export async function addIndex(
  deps: AddIndexDeps,
  caller: Caller | undefined,
  input: { type: string; attributes: string[]; ip?: string },
): Promise<AddIndexResult> {
  if (caller?.can('update', 'content-type-builder') !== true)
    throw refusal(caller, 'Forbidden: update on content-type-builder');
  const result = await applyIndex(deps.schema, input.type, input.attributes);
  if (!result.noop) {
    await deps.audit.record({
      actor: caller,
      action: 'schema.apply', // the same event as the builder and `folio schema apply` record
      subject: 'content-type-builder',
      entityId: result.version,
      ip: input.ip,
      details: {
        index: { type: input.type, attributes: input.attributes },
        steps: result.applied.map((s) => s.description),
      },
    });
    await deps.advisor.indexApplied(input.type, input.attributes);
  }
  return {
    steps: result.applied.map((s) => s.description),
    version: result.version,
    noop: result.noop,
    shapes: deps.advisor.list().filter((s) => s.type === input.type),
  };
}
