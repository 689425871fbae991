// Permission conditions as stored on a permission row: built-in conditions by name, plus a custom
// CASL (MongoDB-style) query. Built-ins are ORed with each other and ANDed with the custom query.
import { z } from 'zod';

export type MongoQuery = { [key: string]: unknown };

export const BUILTIN_CONDITIONS = ['isCreator', 'hasSameRoleAsCreator'] as const;
export type BuiltinCondition = (typeof BUILTIN_CONDITIONS)[number];

export interface PermissionConditions {
  builtins?: BuiltinCondition[];
  query?: MongoQuery;
}

const FIELD_OPS = new Set(['$eq', '$ne', '$in', '$nin', '$lt', '$lte', '$gt', '$gte', '$exists']);
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const MAX_DEPTH = 6;

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Problems with a custom query (empty when it is valid): only the operators SQL compiles. */
export function queryProblems(query: unknown, path = 'query', depth = 0): string[] {
  if (depth > MAX_DEPTH) return [`${path} is nested too deeply`];
  if (!isRecord(query)) return [`${path} must be an object`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(value)) problems.push(`${path}.${key} must be an array`);
      else value.forEach((item, i) => problems.push(...queryProblems(item, `${path}.${key}[${i}]`, depth + 1)));
    } else if (key.startsWith('$')) {
      problems.push(`${path}: unsupported operator ${key}`);
    } else if (!FIELD_PATH.test(key)) {
      problems.push(`${path}: invalid field path "${key}"`);
    } else if (isRecord(value)) {
      for (const [op, operand] of Object.entries(value)) {
        if (!FIELD_OPS.has(op)) problems.push(`${path}.${key}: unsupported operator ${op}`);
        else if (op === '$in' || op === '$nin') {
          if (!Array.isArray(operand) || !operand.every(isScalar))
            problems.push(`${path}.${key}.${op} must be an array of scalars`);
        } else if (op === '$exists') {
          if (typeof operand !== 'boolean') problems.push(`${path}.${key}.$exists must be true or false`);
        } else if (!isScalar(operand)) problems.push(`${path}.${key}.${op} must be a scalar`);
      }
    } else if (!isScalar(value)) {
      problems.push(`${path}.${key} must be a scalar or an operator object`);
    }
  }
  return problems;
}

export const permissionConditionsSchema = z
  .object({
    builtins: z.array(z.enum(BUILTIN_CONDITIONS)).optional(),
    query: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.query)
      for (const message of queryProblems(value.query)) ctx.addIssue({ code: 'custom', message, path: ['query'] });
  });

/** What the built-ins need to know about the user the ability is for. */
export interface ConditionUser {
  id: number;
  /** Ids of the users who share at least one role with this user (this user included). */
  sameRoleUserIds: number[];
}

/** The CASL conditions of one permission for one user; undefined when unconditional. */
export function resolveConditions(
  conditions: PermissionConditions | null,
  user: ConditionUser | null,
): MongoQuery | undefined {
  if (!conditions) return undefined;
  const parts: MongoQuery[] = [];
  const builtins = conditions.builtins ?? [];
  if (builtins.length) {
    const alternatives = builtins.map((name): MongoQuery => {
      // Without a user (Public, tokens) a creator condition can never hold.
      if (!user) return { createdBy: { $in: [] } };
      return name === 'isCreator' ? { createdBy: user.id } : { createdBy: { $in: user.sameRoleUserIds } };
    });
    parts.push(alternatives.length === 1 ? alternatives[0] : { $or: alternatives });
  }
  if (conditions.query && Object.keys(conditions.query).length) parts.push(conditions.query);
  if (!parts.length) return undefined;
  return parts.length === 1 ? parts[0] : { $and: parts };
}
