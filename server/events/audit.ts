// The audit log: who did what, when, from where, to which entity. Append-only: nothing in Folio
// updates or deletes its rows; the Admin API only lists them.
import type { Knex } from 'knex';
import type { Caller } from '../access/caller.js';

export interface AuditActor {
  kind: Caller['kind'];
  id?: number;
  /** A readable name at the time (email, token name); kept even if the account goes away. */
  label?: string;
}

export interface AuditRecord {
  actor: AuditActor | Caller;
  action: string;
  subject?: string;
  entityId?: string | number;
  ip?: string;
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  createdAt: string;
  actor: { kind: string; id: number | null; label: string | null };
  action: string;
  subject: string | null;
  entityId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  action?: string;
  subject?: string;
  actorId?: number;
  entityId?: string;
  from?: number;
  to?: number;
}

interface AuditRow {
  id: number | string;
  created_at: number | string;
  actor_kind: string;
  actor_id: number | null;
  actor_label: string | null;
  action: string;
  subject: string | null;
  entity_id: string | null;
  ip: string | null;
  details: string | null;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: Number(r.id),
    createdAt: new Date(Number(r.created_at)).toISOString(),
    actor: { kind: r.actor_kind, id: r.actor_id === null ? null : Number(r.actor_id), label: r.actor_label },
    action: r.action,
    subject: r.subject,
    entityId: r.entity_id,
    ip: r.ip,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  };
}

export class AuditLog {
  constructor(private readonly db: Knex) {}

  /** Appends one entry; pass `trx` to write it in the same transaction as the change it records. */
  async record(entry: AuditRecord, trx?: Knex.Transaction): Promise<void> {
    const actor = entry.actor as AuditActor;
    await (trx ?? this.db)('folio_audit_log').insert({
      created_at: Date.now(),
      actor_kind: actor.kind,
      actor_id: actor.id ?? null,
      actor_label: actor.label ?? null,
      action: entry.action,
      subject: entry.subject ?? null,
      entity_id: entry.entityId === undefined ? null : String(entry.entityId),
      ip: entry.ip ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    });
  }

  async list(
    filter: AuditFilter,
    page: number,
    pageSize: number,
    order: 'asc' | 'desc' = 'desc',
  ): Promise<{ entries: AuditEntry[]; total: number }> {
    const base = this.db('folio_audit_log').where((q) => {
      if (filter.action) q.where('action', filter.action);
      if (filter.subject) q.where('subject', filter.subject);
      if (filter.actorId !== undefined) q.where('actor_id', filter.actorId);
      if (filter.entityId) q.where('entity_id', filter.entityId);
      if (filter.from !== undefined) q.where('created_at', '>=', filter.from);
      if (filter.to !== undefined) q.where('created_at', '<=', filter.to);
    });
    const [{ total }] = await base.clone().count({ total: '*' });
    const rows = await base
      .clone()
      .orderBy('id', order)
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .select<AuditRow[]>('*');
    return { entries: rows.map(toEntry), total: Number(total) };
  }
}
