// createWebhook, updateWebhook, deleteWebhook. A webhook reads content on behalf of the admins who
// configure it (server/events/webhooks.ts: it delivers only what its creator and last editor may
// read): saving one is lending it the caller's read rights, so it is an access operation like the
// others. The destination is vetted first (a name lookup, never while locks are held); then in one
// transaction: the caller's right read with its account locked, the webhook locked, the write
// recording who configured it, and its `webhooks.*` audit row. The system caller (the CLI) records
// no one: such a webhook acts for the system.
import type { Webhook, WebhookInput, WebhookService } from '../../events/webhooks.js';
import { auditIn, inTransaction, type AccessOperationDeps, type AccessRequest } from './deps.js';
import { granterIn } from './granter.js';

export interface WebhookOperationDeps extends AccessOperationDeps {
  webhooks: { service: WebhookService };
}

/** Who configures it: the admin, or no one for the system. */
const configurer = (request: AccessRequest): number | null =>
  request.caller.kind === 'admin' ? (request.caller.id ?? null) : null;

export async function createWebhook(
  deps: WebhookOperationDeps,
  request: AccessRequest & { input: WebhookInput },
): Promise<Webhook> {
  const { service } = deps.webhooks;
  await service.vet(request.input.url);
  return inTransaction(deps, async (trx) => {
    await granterIn(deps, trx, request.caller, { action: 'create', subject: 'webhooks' });
    const webhook = await service.createIn(trx, request.input, configurer(request));
    await auditIn(deps, trx, request, {
      action: 'webhooks.create',
      subject: 'webhooks',
      entityId: webhook.id,
      details: { name: webhook.name, url: webhook.url },
    });
    return webhook;
  });
}

export async function updateWebhook(
  deps: WebhookOperationDeps,
  request: AccessRequest & { id: number; input: Partial<WebhookInput> },
): Promise<Webhook> {
  const { service } = deps.webhooks;
  const { id, input } = request;
  await service.get(id); // a missing webhook is a 404 before its new URL is looked at
  if (input.url !== undefined) await service.vet(input.url);
  return inTransaction(deps, async (trx) => {
    await granterIn(deps, trx, request.caller, { action: 'update', subject: 'webhooks' });
    const webhook = await service.updateIn(trx, id, input, configurer(request));
    await auditIn(deps, trx, request, {
      action: 'webhooks.update',
      subject: 'webhooks',
      entityId: id,
      details: { name: webhook.name, url: webhook.url, enabled: webhook.enabled },
    });
    return webhook;
  });
}

/** Deletes the webhook with its delivery log (pending deliveries are dropped). */
export function deleteWebhook(deps: WebhookOperationDeps, request: AccessRequest & { id: number }): Promise<Webhook> {
  return inTransaction(deps, async (trx) => {
    await granterIn(deps, trx, request.caller, { action: 'delete', subject: 'webhooks' });
    const webhook = await deps.webhooks.service.deleteIn(trx, request.id);
    await auditIn(deps, trx, request, {
      action: 'webhooks.delete',
      subject: 'webhooks',
      entityId: request.id,
      details: { name: webhook.name },
    });
    return webhook;
  });
}
