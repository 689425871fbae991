// The request parsers every route shares: ids, pagination, locales, zod-validated bodies. Each rule exists
// once here so that two routes never answer the same bad input differently.
import type { Context } from 'koa';
import qs from 'qs';
import { z } from 'zod';
import { LOCALE_PARAM_FORMAT } from '../content/locales.js';
import { ValidationError } from '../errors.js';

/** Issues of a zod parse as the error envelope's details, their paths under `prefix`. */
export function validationErrorOf(error: z.ZodError, prefix: (string | number)[] = []): ValidationError {
  return ValidationError.fromErrors(
    error.issues.map((i) => ({
      path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      message: i.message,
      name: 'ValidationError',
    })),
  );
}

/** `value` checked against `schema`; a 400 naming every issue otherwise. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  prefix: (string | number)[] = [],
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationErrorOf(result.error, prefix);
  return result.data;
}

/** The JSON body (an empty object when there is none) checked against `schema`. */
export function parseBody<T extends z.ZodType>(schema: T, ctx: Context): z.infer<T> {
  return parseWith(schema, ctx.request.body ?? {});
}

/**
 * The id rule of every route: a positive whole number of at most 12 digits. Ids are auto-increment
 * keys starting at 1; 12 digits stay far inside Number.MAX_SAFE_INTEGER, so the number compared in
 * SQL is the one the client sent, and an id beyond the table is a 404, never a 500.
 */
export function parseId(raw: string | undefined, name = 'id'): number {
  if (!raw || !/^\d{1,12}$/.test(raw) || Number(raw) < 1)
    throw new ValidationError(`"${name}" must be a positive whole number`);
  return Number(raw);
}

/** The path parameter `name` as the router decoded it ('' when the route has none by that name). */
export function pathParam(ctx: Context, name: string): string {
  return (ctx.params as Record<string, string | undefined>)[name] ?? '';
}

/** The path parameter `name` (default `:id`) under the id rule. */
export function idParam(ctx: Context, name = 'id'): number {
  return parseId((ctx.params as Record<string, string | undefined>)[name], name);
}

/** A page number or size from the query string: a positive whole number, `fallback` when absent. */
export function positiveInt(raw: unknown, param: string, key: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) < 1)
    throw ValidationError.query(`${key} must be a positive whole number`, param, key);
  return Number(raw);
}

/** The `meta` of a paginated answer. */
export function paginationMeta(page: number, pageSize: number, total: number) {
  return { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } };
}

export interface ListParams {
  page: number;
  pageSize: number;
  q?: string;
  sort?: { field: string; order: 'asc' | 'desc' };
  filters: Record<string, string>;
}

const listSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  q: z.string().max(200).optional(),
  sort: z
    .string()
    .regex(/^[A-Za-z_]+(:(asc|desc))?$/i)
    .optional(),
  filters: z.record(z.string(), z.string()).optional(),
});

/** Admin lists: `?page=1&pageSize=25&sort=field:asc&q=text&filters[field]=value` (README, Admin API conventions). */
export function listParams(ctx: Context): ListParams {
  // Null-prototype objects keep every name the client sent as an own key (`filters[hasOwnProperty]`
  // is then refused by the route's own check, never silently dropped or looked up on a prototype).
  const result = listSchema.safeParse(qs.parse(ctx.querystring, { depth: 2, arrayLimit: 100, plainObjects: true }));
  if (!result.success) throw queryIssueError(result.error.issues[0]);
  const { page, pageSize, q, sort, filters } = result.data;
  const [field, order] = sort ? sort.split(':') : [];
  return {
    page,
    pageSize,
    q: q || undefined,
    sort: field ? { field, order: (order?.toLowerCase() as 'asc' | 'desc') ?? 'asc' } : undefined,
    filters: filters ?? {},
  };
}

/** The first issue of a query string's zod parse as a 400 naming its parameter. */
export function queryIssueError(issue: z.core.$ZodIssue | undefined): ValidationError {
  const key = String(issue?.path[0] ?? 'query');
  return ValidationError.query(`Invalid ${key}: ${issue?.message ?? 'bad value'}`, key, key);
}

/** A query parameter given once (`?a=1&a=2` is a 400), or undefined. */
export function singleQueryValue(value: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw ValidationError.query(`Invalid ${key}: expected one value`, key, key);
  return value;
}

/** `?locale=` of a document route, the only parameter it takes besides `allowed` (others: 400). */
export function localeParam(ctx: Context, allowed: readonly string[] = []): string | undefined {
  for (const key of Object.keys(ctx.query)) {
    if (key !== 'locale' && !allowed.includes(key)) {
      throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
    }
  }
  const locale = singleQueryValue(ctx.query.locale, 'locale');
  if (locale !== undefined && !LOCALE_PARAM_FORMAT.test(locale)) {
    throw ValidationError.query('Invalid locale', 'locale', 'locale');
  }
  return locale;
}

/** A route that takes no query parameters: the first one given is a 400 naming it. */
export function noQueryParams(ctx: Context): void {
  const [key] = Object.keys(ctx.query);
  if (key !== undefined) throw ValidationError.query(`Invalid query parameter ${key}`, key, key);
}
