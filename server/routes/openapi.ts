// GET /api/openapi.json and GET /api/docs (docs/content-api.md, "OpenAPI"): the OpenAPI 3.1 document of the
// Content API for the calling credentials, built from the live schema on every request, and a
// server-rendered HTML page of it (no scripts, nothing from a CDN: CSP is script-src 'self').
// Mounted before the generic content router: both names are reserved route names.
import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Folio } from '../folio.js';
import type { SchemaSource } from '../schema/model.js';
import { defineRoutes } from './define.js';
import {
  buildOpenApiDocument,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
} from '../content/openapi.js';

const METHODS = ['get', 'post', 'put', 'delete'] as const;
/** info.version of the document: Folio's version. */
const VERSION = '0.1.0';

function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

function fresh(ctx: Context, etag: string): boolean {
  const header = ctx.get('If-None-Match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A body with a strong ETag (304 on If-None-Match), varying by credentials like the content GETs. */
function respond(ctx: Context, body: string, type: string): void {
  const etag = etagOf(body);
  ctx.set('ETag', etag);
  ctx.vary('Authorization');
  ctx.set('Cache-Control', 'no-cache');
  if (fresh(ctx, etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.type = type;
  ctx.body = body;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** A short, readable type of a JSON schema: `string (date-time)`, `Article[]`, `integer | null`… */
export function describeSchema(schema: JsonSchema | undefined): string {
  return describe(
    schema,
    (name) => name,
    (text) => text,
  );
}

/** The same as HTML: escaped, with schema names linking to their section. */
function describeHtml(schema: JsonSchema | undefined): string {
  return describe(schema, (name) => `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`, escapeHtml);
}

function describe(
  schema: JsonSchema | undefined,
  refName: (name: string) => string,
  text: (t: string) => string,
): string {
  if (!schema) return '';
  const inner = (s: JsonSchema | undefined) => describe(s, refName, text);
  if (typeof schema.$ref === 'string') return refName(schema.$ref.replace('#/components/schemas/', ''));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) return (options as JsonSchema[]).map(inner).join(' | ');
  }
  if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map(inner).join(text(' & '));
  if (schema.const !== undefined) return text(JSON.stringify(schema.const));
  if (Array.isArray(schema.enum)) return text((schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | '));
  if (schema.type === 'array') {
    const items = inner(schema.items as JsonSchema | undefined) || 'any';
    return items.includes(' | ') ? `(${items})[]` : `${items}[]`;
  }
  const type = Array.isArray(schema.type)
    ? (schema.type as string[]).join(' | ')
    : typeof schema.type === 'string'
      ? schema.type
      : 'any';
  const extras: string[] = [];
  if (typeof schema.format === 'string') extras.push(schema.format);
  if (typeof schema.maxLength === 'number') extras.push(`max ${schema.maxLength}`);
  return text(extras.length ? `${type} (${extras.join(', ')})` : type);
}

function renderParameters(parameters: OpenApiParameter[] | undefined): string {
  if (!parameters?.length) return '';
  const rows = parameters.map(
    (p) =>
      `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}${p.required ? ', required' : ''}` +
      `${p.style === 'deepObject' ? ', deepObject' : ''}</td><td><code>${describeHtml(p.schema)}` +
      `</code></td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
  );
  return (
    `<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>` +
    `${rows.join('')}</tbody></table>`
  );
}

function renderOperation(method: string, path: string, op: OpenApiOperation): string {
  const body = op.requestBody
    ? Object.entries(op.requestBody.content)
        .map(([type, c]) => `<p>Body (<code>${escapeHtml(type)}</code>): <code>${describeHtml(c.schema)}</code></p>`)
        .join('')
    : '';
  const responses = Object.entries(op.responses).map(([status, r]) => {
    const schema = r.content ? Object.values(r.content)[0]?.schema : undefined;
    return (
      `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(r.description)}` +
      `${schema ? ` — <code>${describeHtml(schema)}</code>` : ''}</li>`
    );
  });
  return (
    `<section class="op" id="${escapeHtml(op.operationId)}"><h3><span class="m m-${method}">` +
    `${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> <small>${escapeHtml(op.summary)}` +
    `</small></h3>${renderParameters(op.parameters)}${body}<ul>${responses.join('')}</ul></section>`
  );
}

function renderSchema(name: string, schema: JsonSchema): string {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const inner = properties
    ? `<table><thead><tr><th>Field</th><th>Type</th><th></th></tr></thead><tbody>${Object.entries(properties)
        .map(
          ([field, s]) =>
            `<tr><td><code>${escapeHtml(field)}</code></td><td><code>${describeHtml(s)}</code></td><td>` +
            `${required.has(field) ? 'required' : ''} ` +
            `${escapeHtml(typeof s.description === 'string' ? s.description : '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p><code>${describeHtml(schema)}</code></p>`;
  return `<section class="schema" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${inner}</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1f2328}
code{font:13px ui-monospace,monospace}table{border-collapse:collapse;margin:.5rem 0;width:100%}
td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
.op,.schema{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.25rem 1rem}
.m{border-radius:4px;color:#fff;font-size:12px;padding:2px 6px}.m-get{background:#0969da}.m-post{background:#1a7f37}
.m-put{background:#9a6700}.m-delete{background:#cf222e}small{color:#57606a;font-weight:normal}`;

/** The document as a readable page: operations grouped by tag, then the schemas. */
export function renderDocsHtml(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(method, path, op)]);
    }
  }
  const operations = byTag.size
    ? [...byTag].map(([tag, ops]) => `<h2>${escapeHtml(tag)}</h2>${ops.join('')}`).join('')
    : '<p>These credentials may not use any Content API operation.</p>';
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, s]) => renderSchema(name, s))
    .join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)} · OpenAPI ${doc.openapi}</small></h1>
<p>${escapeHtml(doc.info.description)} The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a>.
Authenticate with <code>Authorization: Bearer &lt;API token&gt;</code>.</p>
${operations}<h2>Schemas</h2>${schemas}</body></html>`
  );
}

export interface OpenApiRouteOptions {
  schema?: SchemaSource;
}

export function openApiRoutes(folio: Pick<Folio, 'schema'>, options: OpenApiRouteOptions = {}): Router {
  const source = options.schema ?? folio.schema;
  const router = new Router({ prefix: '/api' });

  // Public routes by design: what they list is filtered by the caller's own permissions.
  async function documentFor(ctx: Context): Promise<OpenApiDocument> {
    return buildOpenApiDocument(await source.current(), ctx.state.caller, { version: VERSION });
  }

  return defineRoutes(router, [
    {
      method: 'get',
      path: '/openapi.json',
      permission: 'public',
      handler: async (ctx) => respond(ctx, JSON.stringify(await documentFor(ctx)), 'application/json; charset=utf-8'),
    },
    {
      method: 'get',
      path: '/docs',
      permission: 'public',
      handler: async (ctx) => respond(ctx, renderDocsHtml(await documentFor(ctx)), 'text/html; charset=utf-8'),
    },
  ]);
}
