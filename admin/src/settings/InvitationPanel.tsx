// The invitation of an administrator who has not signed up yet, on their page: its link to copy
// when it was just issued, and "Re-send invitation", which issues a new link (the previous one stops
// working) and emails it again when the server has SMTP. Folio keeps only a fingerprint of a link
// (server/auth/service.ts), so a link cannot be shown again later: the page says so rather than
// pretending. The server decides who may re-send (update users, holding every role of the invitee).
import { useState } from 'react';
import { Confirm, useCanAccess, useNotify, useRecordContext, useTranslate, type RaRecord } from 'react-admin';
import { useLocation } from 'react-router-dom';
import { Alert, AlertTitle, Box, Button, Stack, Typography } from '@mui/material';
import SendIcon from '@mui/icons-material/Send';
import { API_ROOT } from '../dataProvider';
import { api } from '../http';
import { useAdminApi } from '../useAdminApi';
import { CopyField } from './CopyField';

/** A link the server just issued, and whether it also left by email. */
export interface IssuedInvitation {
  invitationUrl: string;
  emailed: boolean;
}

function isIssued(value: unknown): value is IssuedInvitation {
  const v = value as Partial<IssuedInvitation> | null;
  return typeof v === 'object' && v !== null && typeof v.invitationUrl === 'string';
}

/** The link issued by the create page, handed over in the navigation's state (never in the URL). */
function useIssuedOnCreate(userId: unknown): IssuedInvitation | undefined {
  const state: unknown = useLocation().state;
  if (typeof state !== 'object' || state === null || !('invitation' in state)) return undefined;
  const { invitation } = state;
  return isIssued(invitation) && 'userId' in state && state.userId === userId ? invitation : undefined;
}

/** GET /admin-api/users/:id/invitation: the live link's dates, never the link. */
interface PendingInvitation {
  issuedAt: string;
  expiresAt: string;
  expired: boolean;
}

/** When the live link was issued and until when it works, or that it expired or none is left. */
function InvitationDates({ status }: { status: PendingInvitation | null | undefined }) {
  const translate = useTranslate();
  if (status === undefined) return null;
  const key = !status
    ? 'folio.invitations.no_link'
    : status.expired
      ? 'folio.invitations.expired'
      : 'folio.invitations.valid_until';
  const dates = status
    ? { issued: new Date(status.issuedAt).toLocaleString(), expires: new Date(status.expiresAt).toLocaleString() }
    : {};
  return (
    <Typography variant="body2" sx={{ mt: 1 }} color={status && !status.expired ? undefined : 'warning.main'}>
      {translate(key, dates)}
    </Typography>
  );
}

async function reissue(userId: RaRecord['id']): Promise<IssuedInvitation> {
  const { json } = await api<{ meta: { invitationUrl: string; emailed?: boolean } }>(
    `${API_ROOT}/users/${encodeURIComponent(String(userId))}/invitation`,
    { method: 'POST' },
  );
  return { invitationUrl: json.meta.invitationUrl, emailed: json.meta.emailed === true };
}

function IssuedLink({ issued, email }: { issued: IssuedInvitation; email: string }) {
  const translate = useTranslate();
  return (
    <Stack spacing={1.5} sx={{ mt: 1.5 }}>
      <Typography variant="body2">
        {translate(issued.emailed ? 'folio.invitations.emailed' : 'folio.invitations.not_emailed', { email })}
      </Typography>
      <CopyField value={issued.invitationUrl} label={translate('folio.invitations.link')} />
      <Typography variant="caption" color="text.secondary">
        {translate('folio.invitations.shown_once')}
      </Typography>
    </Stack>
  );
}

export function InvitationPanel() {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const { canAccess: canResend } = useCanAccess({ resource: 'users', action: 'update' });
  const fromCreate = useIssuedOnCreate(record?.id);
  const pending = record?.registered === false;
  const status = useAdminApi<PendingInvitation | null>(
    `/users/${encodeURIComponent(String(record?.id ?? ''))}/invitation`,
    pending,
  );
  const [resent, setResent] = useState<IssuedInvitation | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!record || record.registered !== false) return null;
  const issued = resent ?? fromCreate;
  const email = String(record.email);

  const resend = async () => {
    setConfirming(false);
    setBusy(true);
    try {
      setResent(await reissue(record.id));
      status.reload();
      notify('folio.invitations.resent', { type: 'success' });
    } catch (err) {
      notify(err instanceof Error ? err.message : 'ra.notification.http_error', { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="section" aria-label={translate('folio.invitations.title')} sx={{ px: 2, pt: 2 }}>
      <Alert severity="info">
        <AlertTitle>{translate('folio.invitations.title')}</AlertTitle>
        <Typography variant="body2">{translate('folio.invitations.pending', { email })}</Typography>
        <InvitationDates status={status.data} />
        {issued ? (
          <IssuedLink issued={issued} email={email} />
        ) : (
          <Typography variant="body2" sx={{ mt: 1 }}>
            {translate('folio.invitations.not_shown')}
          </Typography>
        )}
        {canResend ? (
          <Button
            sx={{ mt: 1.5 }}
            variant="outlined"
            size="small"
            startIcon={<SendIcon />}
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            {translate('folio.invitations.resend')}
          </Button>
        ) : null}
      </Alert>
      <Confirm
        isOpen={confirming}
        title="folio.invitations.confirm_title"
        content="folio.invitations.confirm_content"
        confirm="folio.invitations.resend"
        onConfirm={() => void resend()}
        onClose={() => setConfirming(false)}
      />
    </Box>
  );
}
