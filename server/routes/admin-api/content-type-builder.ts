// /admin-api/content-type-builder: the dashboard's door to the schema engine (server/schema), the
// same diff → plan → apply that `folio schema apply` runs. The body of plan and apply is a schema
// file (docs/schema.md: the desired state of the types and components it names, `null` removes
// one, the others are left alone) plus `renames` and `force`, so the schema validator's error paths
// (`contentTypes.article.attributes.title.maxLength`) are paths into the request body as sent.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { ApplicationError, ConflictError, ValidationError } from '../../errors.js';
import { canonicalJson, type PlannedStep, type Rename, type SchemaPlan } from '../../schema/plan.js';
import type { SchemaDocument, SchemaFile } from '../../schema/types.js';
import { FILE_LINK_TABLE } from '../../schema/naming.js';
import { defineRoutes } from '../define.js';
import { parseBody } from '../params.js';

const SUBJECT = 'content-type-builder';
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const changeInput = z.strictObject({
  // Checked in depth by the schema validator (server/schema/validate.ts), which names every path.
  contentTypes: z.record(z.string(), z.unknown()).optional(),
  components: z.record(z.string(), z.unknown()).optional(),
  renames: z
    .array(
      z.strictObject({
        type: z.string().min(1).max(200),
        from: z.string().regex(NAME, 'must be an attribute name'),
        to: z.string().regex(NAME, 'must be an attribute name'),
      }),
    )
    .max(500)
    .default([]),
  force: z.boolean().default(false),
  /** Also build the suggested default indexes of existing attributes (the plan's `suggested`). */
  acceptSuggested: z.boolean().default(false),
  /** The body is the whole schema: types and components it does not name are removed. */
  replace: z.boolean().default(false),
  /**
   * The schema version the plan was made against (`meta.version` of the plan): apply refuses when
   * another apply came in between, so what runs is what the person confirmed.
   */
  version: z.number().int().min(0).optional(),
});
type ChangeInput = z.infer<typeof changeInput>;

/** One step as the dashboard shows it: what it does, where, and what it would destroy. */
export interface StepView {
  action: PlannedStep['step']['action'];
  description: string;
  table: string;
  column: string | null;
  /** The content types and components the step belongs to. */
  uids: string[];
  /** Rows (or values, or links) the step destroys: 0 when nothing is lost. */
  rowsAtStake: number;
  /** Whether the step can lose data at all. */
  lossy: boolean;
  /** Whether it would lose data now: it runs only with `force`. */
  destructive: boolean;
}

export interface DefinitionChange {
  kind: 'contentType' | 'component';
  uid: string;
  change: 'create' | 'update' | 'delete';
}

function whereOf(step: PlannedStep['step']): { table: string; column: string | null } {
  switch (step.action) {
    case 'createTable':
      return { table: step.table.name, column: null };
    case 'addColumn':
    case 'alterColumn':
    case 'recreateColumn':
    case 'sealColumn':
    case 'openColumn':
      return { table: step.table, column: step.column.name };
    case 'renameColumn':
      return { table: step.table, column: step.from };
    case 'renameTable':
      return { table: step.from, column: null };
    case 'renameField':
      return { table: step.table, column: step.column };
    case 'dropColumn':
      return { table: step.table, column: step.column };
    case 'deleteFileLinks':
      return { table: FILE_LINK_TABLE, column: step.field ?? null };
    case 'deleteComponentLinks':
      return { table: step.table, column: step.field };
    case 'dropIndex':
    case 'createIndex':
    case 'renameIndex':
    case 'trimLinks':
    case 'clearTable':
    case 'reshapeVersions':
    case 'reshapeLocales':
    case 'dropTable':
    case 'changeLayout':
      return { table: step.table, column: null };
  }
}

export function stepView(planned: PlannedStep): StepView {
  return {
    action: planned.step.action,
    description: planned.description,
    ...whereOf(planned.step),
    uids: planned.uids,
    rowsAtStake: planned.rowsAtStake,
    lossy: planned.lossy,
    destructive: planned.lossy && planned.rowsAtStake > 0,
  };
}

/** Which definitions the plan creates, changes or removes (for the confirmation dialog). */
export function definitionChanges(before: SchemaDocument, after: SchemaDocument): DefinitionChange[] {
  const changes: DefinitionChange[] = [];
  const compare = (kind: DefinitionChange['kind'], from: Record<string, unknown>, to: Record<string, unknown>) => {
    for (const uid of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
      if (!(uid in from)) changes.push({ kind, uid, change: 'create' });
      else if (!(uid in to)) changes.push({ kind, uid, change: 'delete' });
      else if (canonicalJson(from[uid]) !== canonicalJson(to[uid])) changes.push({ kind, uid, change: 'update' });
    }
  };
  compare('contentType', before.contentTypes, after.contentTypes);
  compare('component', before.components, after.components);
  return changes;
}

function planView(plan: SchemaPlan, stored: SchemaDocument) {
  const steps = plan.steps.map(stepView);
  return {
    steps,
    changes: definitionChanges(stored, plan.document),
    /** Nothing would change: neither the database nor the stored definitions. */
    noop: steps.length === 0 && !plan.documentChanged,
    documentChanged: plan.documentChanged,
    /** Steps that lose data: apply them with `force: true`. */
    destructive: steps.filter((s) => s.destructive),
    /** Changes the data does not allow, force or not (e.g. unique over repeated values). */
    blocked: plan.blocked,
    /** Default indexes existing attributes lack: built only with `acceptSuggested: true`. */
    suggested: plan.suggested.map(stepView),
  };
}

/**
 * The schema file the engine applies. By default the body names the desired state of some types
 * (as `schema apply` reads a file); with `replace` it is the whole schema, so every stored type or
 * component it leaves out is named `null` (removed).
 */
function schemaFileOf(input: ChangeInput, stored: SchemaDocument): SchemaFile {
  const file: Record<string, unknown> = {};
  const named = (given: Record<string, unknown> | undefined, existing: Record<string, unknown>) => {
    if (!input.replace) return given;
    const removed = Object.fromEntries(
      Object.keys(existing)
        .filter((uid) => !(uid in (given ?? {})))
        .map((uid) => [uid, null]),
    );
    return { ...removed, ...(given ?? {}) };
  };
  const contentTypes = named(input.contentTypes, stored.contentTypes);
  const components = named(input.components, stored.components);
  if (contentTypes !== undefined) file.contentTypes = contentTypes;
  if (components !== undefined) file.components = components;
  return file;
}

function refusal(destructive: StepView[]): ConflictError {
  const what = destructive.map((s) => s.description).join('; ');
  return new ConflictError(`This change would lose data: ${what}. Send "force": true to accept the loss.`, {
    refused: destructive,
  });
}

export function adminContentTypeBuilderRoutes(folio: Folio): Router {
  const router = new Router({ prefix: `/admin-api/${SUBJECT}` });
  const { schema, audit } = folio;

  async function plan(input: ChangeInput) {
    // The version is read first: if an apply slips in before the document is read, the plan says
    // an older version than it was made on, and applying it is refused (never the other way round).
    const version = await schema.version();
    const stored = await schema.document();
    const renames: Rename[] = input.renames;
    const result = await schema.plan(schemaFileOf(input, stored), {
      renames,
      force: input.force,
      acceptSuggested: input.acceptSuggested,
      renameSource: 'body',
    });
    return { view: planView(result, stored), version };
  }

  return defineRoutes(router, [
    {
      method: 'get',
      path: '/schema',
      permission: { action: 'read', subject: SUBJECT },
      handler: async (ctx) => {
        const [document, version] = await Promise.all([schema.document(), schema.version()]);
        ctx.body = { data: document, meta: { version } };
      },
    },
    {
      // Planning changes nothing (it reads the database to count what is at stake): reading the
      // builder is enough to ask what a change would do.
      method: 'post',
      path: '/plan',
      permission: { action: 'read', subject: SUBJECT },
      handler: async (ctx) => {
        const { view, version } = await plan(parseBody(changeInput, ctx));
        ctx.body = { data: view, meta: { version } };
      },
    },
    {
      method: 'post',
      path: '/apply',
      permission: { action: 'update', subject: SUBJECT },
      handler: async (ctx) => {
        const input = parseBody(changeInput, ctx);
        if (input.version !== undefined) {
          const current = await schema.version();
          if (current !== input.version) {
            throw new ConflictError(
              `The schema changed since this plan was made (version ${input.version}, now ${current}): plan ` +
                `again and review the new plan`,
              { version: current },
            );
          }
        }
        // Planned first so that a refusal names every step with its table, column and rows; the
        // registry plans again under its lock and refuses on its own if the data changed meanwhile.
        if (!input.force) {
          const { view } = await plan(input);
          if (view.blocked.length > 0)
            throw new ValidationError(`the data does not allow this schema: ${view.blocked.join('; ')}`, {
              blocked: view.blocked,
            });
          if (view.destructive.length > 0) throw refusal(view.destructive);
        }
        const stored = await schema.document();
        let result;
        try {
          result = await schema.apply(schemaFileOf(input, stored), {
            renames: input.renames,
            force: input.force,
            acceptSuggested: input.acceptSuggested,
            renameSource: 'body',
          });
        } catch (err) {
          if (err instanceof ApplicationError && Array.isArray(err.details.refused)) {
            // Rows appeared between the check above and the apply.
            const { view } = await plan(input);
            throw refusal(view.destructive);
          }
          throw err;
        }
        const view = planView(result.plan, stored);
        if (!result.noop) {
          await audit.record({
            actor: ctx.state.caller!,
            action: 'schema.apply', // the same event as `folio schema apply` records; the actor tells them apart
            subject: SUBJECT,
            entityId: result.version,
            ip: ctx.ip,
            details: {
              changes: view.changes,
              renames: input.renames,
              force: input.force,
              steps: result.applied.map((s) => s.description),
              lost: view.destructive.map((s) => ({ description: s.description, rows: s.rowsAtStake })),
            },
          });
        }
        ctx.body = {
          data: { ...view, applied: result.applied.map(stepView), schema: result.plan.document },
          meta: { version: result.version },
        };
      },
    },
  ]);
}
