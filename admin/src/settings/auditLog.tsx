// Settings › Audit log: who did what, newest first (read-only; Super Admins). Actions are shown in
// words; an action this dashboard does not know yet shows its stored name.
import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  SelectInput,
  TextField,
  TextInput,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import HistoryIcon from '@mui/icons-material/History';

/** An audit row as the list shows it: who acted (a user's label, or the kind of caller). */
interface AuditRecord extends RaRecord {
  actor?: { label?: string | null; kind?: string } | null;
  action: string;
}

/** The actions the server records (server/events/audit.ts callers), with their words. */
const ACTIONS: Record<string, string> = {
  'auth.login': 'folio.audit.actions.auth_login',
  'auth.login-failed': 'folio.audit.actions.auth_login_failed',
  'auth.logout': 'folio.audit.actions.auth_logout',
  'auth.register': 'folio.audit.actions.auth_register',
  'auth.invitation-accepted': 'folio.audit.actions.auth_invitation_accepted',
  'auth.password-change': 'folio.audit.actions.auth_password_change',
  'auth.password-reset': 'folio.audit.actions.auth_password_reset',
  'users.create': 'folio.audit.actions.users_create',
  'users.delete': 'folio.audit.actions.users_delete',
  'roles.create': 'folio.audit.actions.roles_create',
  'roles.update': 'folio.audit.actions.roles_update',
  'roles.delete': 'folio.audit.actions.roles_delete',
  'permissions.update': 'folio.audit.actions.permissions_update',
  'api-tokens.create': 'folio.audit.actions.api_tokens_create',
  'api-tokens.revoke': 'folio.audit.actions.api_tokens_revoke',
  'webhooks.create': 'folio.audit.actions.webhooks_create',
  'webhooks.update': 'folio.audit.actions.webhooks_update',
  'webhooks.delete': 'folio.audit.actions.webhooks_delete',
  'locales.create': 'folio.audit.actions.locales_create',
  'locales.update': 'folio.audit.actions.locales_update',
  'locales.delete': 'folio.audit.actions.locales_delete',
  'schema.apply': 'folio.audit.actions.schema_apply',
  'backups.export': 'folio.audit.actions.backups_export',
  'backups.import': 'folio.audit.actions.backups_import',
  'content.create': 'folio.audit.actions.content_create',
  'content.update': 'folio.audit.actions.content_update',
  'content.delete': 'folio.audit.actions.content_delete',
  'content.publish': 'folio.audit.actions.content_publish',
  'content.unpublish': 'folio.audit.actions.content_unpublish',
  'content.discardDraft': 'folio.audit.actions.content_discard_draft',
  'content.bulkDelete': 'folio.audit.actions.content_bulk_delete',
  'content.bulkPublish': 'folio.audit.actions.content_bulk_publish',
  'media.create': 'folio.audit.actions.media_create',
  'media.replace': 'folio.audit.actions.media_replace',
  'media.update': 'folio.audit.actions.media_update',
  'media.delete': 'folio.audit.actions.media_delete',
};

/** Who acted, when the row keeps no name (server/access/caller.ts's kinds). */
const ACTOR_KINDS: Record<string, string> = {
  public: 'folio.audit.actors.public',
  'api-token': 'folio.audit.actors.api_token',
  admin: 'folio.audit.actors.admin',
  system: 'folio.audit.actors.system',
};

// The server filters on the stored action name: the filter offers the known ones in words.
const ACTION_CHOICES = Object.entries(ACTIONS).map(([id, name]) => ({ id, name }));

const filters = [
  <SelectInput key="action" source="action" label="folio.audit.fields.action" choices={ACTION_CHOICES} alwaysOn />,
  <TextInput key="subject" source="subject" label="folio.audit.fields.subject" />,
];

export function AuditLogList() {
  const translate = useTranslate();
  const actionName = (action: string) => (Object.hasOwn(ACTIONS, action) ? translate(ACTIONS[action]) : action);
  const actorName = (r: AuditRecord) => {
    if (r.actor?.label) return r.actor.label;
    const kind = r.actor?.kind ?? '';
    return Object.hasOwn(ACTOR_KINDS, kind) ? translate(ACTOR_KINDS[kind]) : kind || '—';
  };
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="createdAt" label="folio.audit.fields.when" showTime />
        <FunctionField sortable={false} label="folio.audit.fields.who" render={actorName} />
        <FunctionField
          sortable={false}
          label="folio.audit.fields.action"
          render={(r: AuditRecord) => actionName(r.action)}
        />
        <TextField sortable={false} source="subject" label="folio.audit.fields.subject" emptyText="—" />
        <TextField sortable={false} source="entityId" label="folio.audit.fields.entry" emptyText="—" />
        <TextField sortable={false} source="ip" label="folio.audit.fields.ip" emptyText="—" />
      </Datagrid>
    </List>
  );
}

export const auditLog = { list: AuditLogList, icon: HistoryIcon, options: { label: 'Audit log' } };
