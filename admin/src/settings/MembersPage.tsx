// Settings › Members: the site's members (docs/members.md). Three parts, each shown to whom may
// read it: the members settings (`settings`), what each member role may do on the Content API
// (`roles`: the Public role's table plus "own entries only"; the Public role keeps its own page),
// and the members list with search and block/unblock (`users`). Every change is one Admin API
// call, checked and audited by the server.
import { useEffect, useState } from 'react';
import { Authenticated, Title, useCanAccess, useNotify, useTranslate } from 'react-admin';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  FormControlLabel,
  MenuItem,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { API_ROOT } from '../dataProvider';
import { api } from '../http';
import { useAdminApi, type Catalogue } from './permissions';
import { AllowListEditor, useAllowListEdits } from './AllowListEditor';
import { MailTemplatesCard } from './MailTemplatesCard';
import { MemberEmailField } from './MemberEmailField';

interface MemberSettings {
  registration: boolean;
  defaultRole: string;
  emailConfirmation: boolean;
  emailConfirmationRedirection: string;
  resetPasswordUrl: string;
  jwtLifetimeDays: number;
  refreshTokens: boolean;
  accessTokenLifetimeMinutes: number;
  refreshTokenLifetimeDays: number;
  allowedFields: string[];
  providers: Record<ProviderName, ProviderSettings>;
}

type ProviderName = 'github' | 'google';

/** One sign-in provider; its other fields (endpoints) are kept as read and saved back unchanged. */
interface ProviderSettings {
  enabled: boolean;
  clientId: string;
  /** Never answered by the server: '' keeps the stored secret on save. */
  clientSecret: string;
  clientSecretSet?: boolean;
  redirectUrl: string;
}

const PROVIDER_LABELS: Record<ProviderName, string> = { github: 'GitHub', google: 'Google' };

/** A provider's switch, client id and secret, and the site page the sign-in lands on. */
function ProviderFields({
  name,
  value,
  disabled,
  onChange,
}: {
  name: ProviderName;
  value: ProviderSettings;
  disabled: boolean;
  onChange: (patch: Partial<ProviderSettings>) => void;
}) {
  const translate = useTranslate();
  const provider = PROVIDER_LABELS[name];
  return (
    <Stack spacing={1}>
      <FormControlLabel
        control={
          <Switch
            checked={value.enabled}
            disabled={disabled}
            onChange={(e) => onChange({ enabled: e.target.checked })}
          />
        }
        label={translate('folio.members.provider_enabled', { provider })}
      />
      <TextField
        label={translate('folio.members.provider_client_id', { provider })}
        value={value.clientId}
        disabled={disabled}
        onChange={(e) => onChange({ clientId: e.target.value })}
      />
      <TextField
        type="password"
        autoComplete="off"
        label={translate('folio.members.provider_client_secret', { provider })}
        helperText={value.clientSecretSet ? translate('folio.members.provider_secret_stored') : undefined}
        value={value.clientSecret}
        disabled={disabled}
        onChange={(e) => onChange({ clientSecret: e.target.value })}
      />
      <TextField
        label={translate('folio.members.provider_redirect', { provider })}
        value={value.redirectUrl}
        disabled={disabled}
        onChange={(e) => onChange({ redirectUrl: e.target.value })}
      />
    </Stack>
  );
}

interface MemberRole {
  id: number;
  name: string;
  type: string;
  nb_users: number;
  allow: string[];
}

interface Member {
  id: number;
  username: string;
  email: string;
  confirmed: boolean;
  blocked: boolean;
  role?: { id: number; name: string };
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function SettingsCard({ roles }: { roles: MemberRole[] }) {
  const translate = useTranslate();
  const notify = useNotify();
  const { canAccess: canUpdate } = useCanAccess({ resource: 'settings', action: 'update' });
  const saved = useAdminApi<MemberSettings>('/member-settings');
  const [form, setForm] = useState<MemberSettings>();
  useEffect(() => setForm(saved.data), [saved.data]);
  if (saved.error) return <Alert severity="error">{saved.error.message}</Alert>;
  if (!form) return null;
  const set = (patch: Partial<MemberSettings>) => setForm({ ...form, ...patch });
  const save = async () => {
    try {
      await api(`${API_ROOT}/member-settings`, { method: 'PUT', body: form });
      notify('folio.members.settings_saved', { type: 'success' });
      saved.reload();
    } catch (err) {
      notify(messageOf(err), { type: 'error' });
    }
  };
  const disabled = canUpdate !== true;
  return (
    <Stack spacing={2} sx={{ maxWidth: 560 }}>
      <FormControlLabel
        control={
          <Switch
            checked={form.registration}
            disabled={disabled}
            onChange={(e) => set({ registration: e.target.checked })}
          />
        }
        label={translate('folio.members.registration')}
      />
      <FormControlLabel
        control={
          <Switch
            checked={form.emailConfirmation}
            disabled={disabled}
            onChange={(e) => set({ emailConfirmation: e.target.checked })}
          />
        }
        label={translate('folio.members.email_confirmation')}
      />
      <TextField
        select
        label={translate('folio.members.default_role')}
        value={form.defaultRole}
        disabled={disabled}
        onChange={(e) => set({ defaultRole: e.target.value })}
      >
        {roles
          .filter((r) => r.type !== 'public')
          .map((r) => (
            <MenuItem key={r.type} value={r.type}>
              {r.name}
            </MenuItem>
          ))}
      </TextField>
      <TextField
        type="number"
        label={translate('folio.members.jwt_lifetime')}
        value={form.jwtLifetimeDays}
        disabled={disabled}
        onChange={(e) => set({ jwtLifetimeDays: Number(e.target.value) })}
      />
      <FormControlLabel
        control={
          <Switch
            checked={form.refreshTokens}
            disabled={disabled}
            onChange={(e) => set({ refreshTokens: e.target.checked })}
          />
        }
        label={translate('folio.members.refresh_tokens')}
      />
      {form.refreshTokens ? (
        <Stack direction="row" spacing={2}>
          <TextField
            type="number"
            label={translate('folio.members.access_lifetime')}
            value={form.accessTokenLifetimeMinutes}
            disabled={disabled}
            onChange={(e) => set({ accessTokenLifetimeMinutes: Number(e.target.value) })}
          />
          <TextField
            type="number"
            label={translate('folio.members.refresh_lifetime')}
            value={form.refreshTokenLifetimeDays}
            disabled={disabled}
            onChange={(e) => set({ refreshTokenLifetimeDays: Number(e.target.value) })}
          />
        </Stack>
      ) : null}
      <TextField
        label={translate('folio.members.redirection')}
        value={form.emailConfirmationRedirection}
        disabled={disabled}
        onChange={(e) => set({ emailConfirmationRedirection: e.target.value })}
      />
      <TextField
        label={translate('folio.members.reset_url')}
        value={form.resetPasswordUrl}
        disabled={disabled}
        onChange={(e) => set({ resetPasswordUrl: e.target.value })}
      />
      {(['github', 'google'] as const).map((name) => (
        <ProviderFields
          key={name}
          name={name}
          value={form.providers[name]}
          disabled={disabled}
          onChange={(patch) => set({ providers: { ...form.providers, [name]: { ...form.providers[name], ...patch } } })}
        />
      ))}
      {canUpdate ? (
        <Box>
          <Button variant="contained" onClick={() => void save()}>
            {translate('folio.members.save_settings')}
          </Button>
        </Box>
      ) : null}
    </Stack>
  );
}

function RolePermissionsCard({ roles, reload }: { roles: MemberRole[]; reload: () => void }) {
  const translate = useTranslate();
  const { canAccess: canUpdate } = useCanAccess({ resource: 'roles', action: 'update' });
  const catalogue = useAdminApi<Catalogue>('/permissions/catalogue');
  const editable = roles.filter((r) => r.type !== 'public');
  const [roleId, setRoleId] = useState<number>();
  const role = editable.find((r) => r.id === roleId) ?? editable[0];
  const edits = useAllowListEdits(role?.allow, {
    store: async (allow) => {
      await api(`${API_ROOT}/member-roles/${role.id}/permissions`, { method: 'PUT', body: { allow } });
      reload();
    },
    saved: 'folio.members.permissions_saved',
    failed: 'folio.permissions.save_failed',
  });
  if (!role || !catalogue.data) return null;
  // Another role shows another list: its changes would be dropped as by leaving the page.
  const pickRole = (id: number) => {
    if (!edits.dirty || window.confirm(translate('ra.message.unsaved_changes'))) setRoleId(id);
  };
  return (
    <Stack spacing={2}>
      <TextField
        select
        label={translate('folio.members.role')}
        value={role.id}
        onChange={(e) => pickRole(Number(e.target.value))}
        sx={{ maxWidth: 320 }}
      >
        {editable.map((r) => (
          <MenuItem key={r.id} value={r.id}>
            {r.name}
          </MenuItem>
        ))}
      </TextField>
      <AllowListEditor
        edits={edits}
        canUpdate={canUpdate === true}
        saveLabel="folio.members.save_permissions"
        catalogue={catalogue.data}
        title={translate('folio.members.permissions_of', { role: role.name })}
        role="member"
      />
    </Stack>
  );
}

function MembersList({ roles }: { roles?: MemberRole[] }) {
  const translate = useTranslate();
  const notify = useNotify();
  const { canAccess: canUpdate } = useCanAccess({ resource: 'users', action: 'update' });
  const [q, setQ] = useState('');
  const list = useAdminApi<Member[]>(`/members?pageSize=100${q ? `&q=${encodeURIComponent(q)}` : ''}`);
  const change = async (member: Member, body: { blocked?: boolean; roleId?: number; email?: string }) => {
    try {
      await api(`${API_ROOT}/members/${member.id}`, { method: 'PUT', body });
      list.reload();
    } catch (err) {
      notify(messageOf(err), { type: 'error' });
    }
  };
  const resend = async (member: Member) => {
    try {
      await api(`${API_ROOT}/members/${member.id}/send-confirmation`, { method: 'POST' });
      notify('folio.members.confirmation_sent', { type: 'success', messageArgs: { email: member.email } });
    } catch (err) {
      notify(messageOf(err), { type: 'error' });
    }
  };
  const memberRoles = (roles ?? []).filter((r) => r.type !== 'public');
  return (
    <Stack spacing={2}>
      <TextField
        label={translate('folio.members.search')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        sx={{ maxWidth: 320 }}
      />
      {list.error ? <Alert severity="error">{list.error.message}</Alert> : null}
      <Table size="small" aria-label={translate('folio.members.list')}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('folio.members.username')}</TableCell>
            <TableCell>{translate('folio.members.email')}</TableCell>
            <TableCell>{translate('folio.members.role')}</TableCell>
            <TableCell>{translate('folio.members.status')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {(list.data ?? []).map((m) => (
            <TableRow key={m.id}>
              <TableCell>{m.username}</TableCell>
              <TableCell>
                {canUpdate ? (
                  <MemberEmailField username={m.username} email={m.email} onSave={(email) => change(m, { email })} />
                ) : (
                  m.email
                )}
              </TableCell>
              <TableCell>
                {canUpdate && memberRoles.length ? (
                  <TextField
                    select
                    size="small"
                    value={m.role?.id ?? ''}
                    onChange={(e) => void change(m, { roleId: Number(e.target.value) })}
                    slotProps={{
                      htmlInput: { 'aria-label': translate('folio.members.role_of', { name: m.username }) },
                    }}
                  >
                    {memberRoles.map((r) => (
                      <MenuItem key={r.id} value={r.id}>
                        {r.name}
                      </MenuItem>
                    ))}
                  </TextField>
                ) : (
                  m.role?.name
                )}
              </TableCell>
              <TableCell>
                {m.blocked ? (
                  <Chip size="small" color="error" label={translate('folio.members.blocked')} />
                ) : !m.confirmed ? (
                  <Chip size="small" label={translate('folio.members.unconfirmed')} />
                ) : (
                  <Chip size="small" color="success" label={translate('folio.members.active')} />
                )}
              </TableCell>
              <TableCell align="right">
                {canUpdate && !m.confirmed && !m.blocked ? (
                  <Button size="small" onClick={() => void resend(m)}>
                    {translate('folio.members.resend', { name: m.username })}
                  </Button>
                ) : null}
                {canUpdate ? (
                  <Button size="small" onClick={() => void change(m, { blocked: !m.blocked })}>
                    {translate(m.blocked ? 'folio.members.unblock' : 'folio.members.block', { name: m.username })}
                  </Button>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Stack>
  );
}

export function MembersPage() {
  const translate = useTranslate();
  const { canAccess: readSettings } = useCanAccess({ resource: 'settings', action: 'read' });
  const { canAccess: readRoles } = useCanAccess({ resource: 'roles', action: 'read' });
  const { canAccess: readUsers } = useCanAccess({ resource: 'users', action: 'read' });
  const roles = useAdminApi<MemberRole[]>('/member-roles', readRoles === true || readSettings === true);
  const section = (title: string, body: React.ReactNode) => (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {title}
        </Typography>
        {body}
      </CardContent>
    </Card>
  );
  return (
    <Authenticated>
      <Box sx={{ py: 2 }}>
        <Title title="folio.members.title" />
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2, maxWidth: 760 }}>
          {translate('folio.members.intro')}
        </Typography>
        {readSettings && roles.data
          ? section(translate('folio.members.settings'), <SettingsCard roles={roles.data} />)
          : null}
        {readSettings ? section(translate('folio.members.templates.title'), <MailTemplatesCard />) : null}
        {readRoles && roles.data
          ? section(
              translate('folio.members.permissions'),
              <RolePermissionsCard roles={roles.data} reload={roles.reload} />,
            )
          : null}
        {readUsers ? section(translate('folio.members.members'), <MembersList roles={roles.data} />) : null}
      </Box>
    </Authenticated>
  );
}
