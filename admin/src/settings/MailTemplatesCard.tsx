// Settings › Members › Email templates: the confirmation, password-reset and email-change mails
// (docs/members.md). One mail at a time: sender, reply-to, subject, HTML message and plain text,
// with the variables it knows listed; "Use the built-in mail" drops an admin's version. The server
// checks the variables (an unknown one is a 400, shown as the notification) and escapes the values.
import { useEffect, useState } from 'react';
import { useCanAccess, useNotify, useTranslate } from 'react-admin';
import { Alert, Box, Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { API_ROOT } from '../dataProvider';
import { api } from '../http';
import { useAdminApi } from '../useAdminApi';

type MailKind = 'emailConfirmation' | 'resetPassword' | 'emailChange';
const KINDS: MailKind[] = ['emailConfirmation', 'resetPassword', 'emailChange'];

interface MailTemplate {
  from: { name: string; email: string };
  replyTo: string;
  subject: string;
  message: string;
  text: string;
}

type TemplateView = MailTemplate & { custom: boolean; variables: string[] };

const templateOf = ({ from, replyTo, subject, message, text }: TemplateView): MailTemplate => ({
  from,
  replyTo,
  subject,
  message,
  text,
});

export function MailTemplatesCard() {
  const translate = useTranslate();
  const notify = useNotify();
  const { canAccess: canUpdate } = useCanAccess({ resource: 'settings', action: 'update' });
  const saved = useAdminApi<Record<MailKind, TemplateView>>('/member-settings/email-templates');
  const [kind, setKind] = useState<MailKind>('emailConfirmation');
  const [form, setForm] = useState<TemplateView>();
  useEffect(() => setForm(saved.data?.[kind]), [saved.data, kind]);
  if (saved.error) return <Alert severity="error">{saved.error.message}</Alert>;
  if (!form) return null;
  const disabled = canUpdate !== true;
  const set = (patch: Partial<MailTemplate>) => setForm({ ...form, ...patch });
  const save = async (template: MailTemplate | null) => {
    try {
      await api(`${API_ROOT}/member-settings/email-templates`, { method: 'PUT', body: { [kind]: template } });
      notify('folio.members.templates.saved', { type: 'success' });
      saved.reload();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };
  const field = (name: 'subject' | 'replyTo' | 'message' | 'text', rows?: number) => (
    <TextField
      label={translate(`folio.members.templates.${name}`)}
      value={form[name]}
      disabled={disabled}
      multiline={rows !== undefined}
      minRows={rows}
      onChange={(e) => set({ [name]: e.target.value })}
    />
  );
  return (
    <Stack spacing={2} sx={{ maxWidth: 760 }}>
      <TextField
        select
        label={translate('folio.members.templates.mail')}
        value={kind}
        onChange={(e) => setKind(e.target.value as MailKind)}
        sx={{ maxWidth: 320 }}
      >
        {KINDS.map((k) => (
          <MenuItem key={k} value={k}>
            {translate(`folio.members.templates.kinds.${k}`)}
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" color="text.secondary">
        {translate(form.custom ? 'folio.members.templates.custom' : 'folio.members.templates.built_in')}{' '}
        {translate('folio.members.templates.variables', {
          variables: form.variables.map((v) => `<%= ${v} %>`).join(' '),
        })}
      </Typography>
      <Stack direction="row" spacing={2}>
        <TextField
          label={translate('folio.members.templates.from_name')}
          value={form.from.name}
          disabled={disabled}
          onChange={(e) => set({ from: { ...form.from, name: e.target.value } })}
        />
        <TextField
          label={translate('folio.members.templates.from_email')}
          value={form.from.email}
          disabled={disabled}
          onChange={(e) => set({ from: { ...form.from, email: e.target.value } })}
        />
      </Stack>
      {field('replyTo')}
      {field('subject')}
      {field('message', 4)}
      {field('text', 4)}
      {canUpdate ? (
        <Box sx={{ display: 'flex', gap: 1 }}>
          <Button variant="contained" onClick={() => void save(templateOf(form))}>
            {translate('folio.members.templates.save')}
          </Button>
          {form.custom ? (
            <Button onClick={() => void save(null)}>{translate('folio.members.templates.reset')}</Button>
          ) : null}
        </Box>
      ) : null}
    </Stack>
  );
}
