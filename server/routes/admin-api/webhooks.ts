// /admin-api/webhooks: configure the endpoints that receive Folio's events, read their delivery
// log, and send a test event. Permission subject: `webhooks`. Saving and deleting are access
// operations (server/access/operations/webhooks.ts): checked, written and audited in one transaction.
import Router from '@koa/router';
import { z } from 'zod';
import type { Folio } from '../../folio.js';
import { send } from '../../events/delivery.js';
import { WEBHOOK_EVENTS } from '../../events/webhooks.js';
import { createWebhook, deleteWebhook, updateWebhook } from '../../access/operations/webhooks.js';
import { defineRoutes } from '../define.js';
import { idParam, listParams, paginationMeta, parseBody } from '../params.js';

// Headers a receiver may need (Authorization, a shared key); the ones Folio sets itself are refused
// so that a webhook cannot forge its own signature or change the body's meaning, and so are those
// that describe the connection rather than the request (hop-by-hop, framing, proxies): they could
// never be sent as given, and every delivery would fail.
const RESERVED_HEADERS = new Set([
  'content-type',
  'user-agent',
  'x-folio-event',
  'x-folio-delivery',
  'x-folio-signature',
]);
const CONNECTION_HEADERS = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'Not a valid header name (an HTTP token)')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'Folio sets this header itself')
  .refine(
    (name) => !CONNECTION_HEADERS.has(name.toLowerCase()) && !name.toLowerCase().startsWith('proxy-'),
    'This header belongs to the connection and cannot be set on a webhook',
  );
// What Node (and RFC 9110's field-value) accept: visible characters, spaces and tabs, no controls.
const headerValue = z
  .string()
  .max(2000)
  .regex(
    /^[\t\x20-\x7e\x80-\xff]*$/,
    'Header values cannot contain control characters (line breaks, \\0, \\v…) or characters beyond Latin-1',
  );

const webhookInput = z
  .object({
    name: z.string().trim().min(1).max(191),
    url: z
      .string()
      .trim()
      .max(2048)
      .url('Must be an absolute URL')
      .refine((u) => /^https?:\/\//i.test(u), 'Must be an http(s) URL'),
    headers: z
      .record(headerName, headerValue)
      .refine((h) => Object.keys(h).length <= 30, 'At most 30 headers')
      .optional(),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1, 'Choose at least one event')
      .max(WEBHOOK_EVENTS.length)
      .transform((events) => [...new Set(events)]),
    enabled: z.boolean().optional(),
    secret: z.string().min(16, 'A signing secret needs at least 16 characters').max(200).nullable().optional(),
  })
  .strict();

export function adminWebhookRoutes(folio: Folio): Router {
  const router = new Router({ prefix: '/admin-api' });
  const { service } = folio.webhooks;
  return defineRoutes(router, [
    {
      method: 'get',
      path: '/webhooks',
      permission: { action: 'read', subject: 'webhooks' },
      handler: async (ctx) => {
        const webhooks = await service.list();
        ctx.body = {
          data: webhooks,
          meta: { ...paginationMeta(1, Math.max(webhooks.length, 1), webhooks.length), events: WEBHOOK_EVENTS },
        };
      },
    },
    {
      method: 'get',
      path: '/webhooks/:id',
      permission: { action: 'read', subject: 'webhooks' },
      handler: async (ctx) => {
        ctx.body = { data: await service.get(idParam(ctx)) };
      },
    },
    {
      method: 'post',
      path: '/webhooks',
      permission: { action: 'create', subject: 'webhooks' },
      handler: async (ctx) => {
        const input = parseBody(webhookInput, ctx);
        const webhook = await createWebhook(folio, { caller: ctx.state.caller!, ip: ctx.ip, input });
        ctx.status = 201;
        ctx.body = { data: webhook };
      },
    },
    {
      method: 'put',
      path: '/webhooks/:id',
      permission: { action: 'update', subject: 'webhooks' },
      handler: async (ctx) => {
        const id = idParam(ctx);
        const input = parseBody(webhookInput.partial(), ctx);
        const webhook = await updateWebhook(folio, { caller: ctx.state.caller!, ip: ctx.ip, id, input });
        ctx.body = { data: webhook };
      },
    },
    {
      method: 'delete',
      path: '/webhooks/:id',
      permission: { action: 'delete', subject: 'webhooks' },
      handler: async (ctx) => {
        const webhook = await deleteWebhook(folio, { caller: ctx.state.caller!, ip: ctx.ip, id: idParam(ctx) });
        ctx.body = { data: webhook };
      },
    },
    {
      method: 'get',
      path: '/webhooks/:id/deliveries',
      permission: { action: 'read', subject: 'webhooks' },
      handler: async (ctx) => {
        const { page, pageSize } = listParams(ctx);
        const { deliveries, total } = await service.deliveries(idParam(ctx), page, pageSize);
        ctx.body = { data: deliveries, meta: paginationMeta(page, pageSize, total) };
      },
    },
    {
      // Sends a `trigger-test` event now and answers what the receiver said (Strapi's "Trigger"):
      // its status and timing, and the start of a 2xx body. Not queued and not retried.
      method: 'post',
      path: '/webhooks/:id/trigger',
      permission: { action: 'update', subject: 'webhooks' },
      handler: async (ctx) => {
        const target = await service.target(idParam(ctx));
        const { ok, status, body, error, durationMs } = await send(
          target,
          { event: 'trigger-test', createdAt: new Date().toISOString() },
          null,
          {
            timeoutMs: folio.webhooks.dispatcher.options.timeoutMs,
            destinations: service.destinations,
          },
        );
        ctx.body = { data: { ok, status, body, error, durationMs } };
      },
    },
  ]);
}
