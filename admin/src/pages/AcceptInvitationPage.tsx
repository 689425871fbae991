// /admin/auth/accept-invitation?token=… (the link of an invitation email): the invited person
// chooses a password, is signed in and lands on Home.
import { useEffect, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { Form, PasswordInput, required, TextInput, useLogin, useNotify, useTranslate } from 'react-admin';
import { fieldErrorsOf } from '../http';
import { Alert, Box, Button, CircularProgress } from '@mui/material';
import { AuthCard } from '../layout/AuthCard';
import { acceptInvitation, invitation } from '../authProvider';
import { longEnough, sameAsPassword } from './passwords';

/** A text input's value (empty when the field was left out). */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : '');

type Invitation = { email: string; firstname: string; lastname: string };

export function AcceptInvitationPage() {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [invite, setInvite] = useState<Invitation | null | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let active = true;
    invitation(token).then(
      (value) => active && setInvite(value),
      () => active && setInvite(null),
    );
    return () => {
      active = false;
    };
  }, [token]);

  const submit = async (values: Record<string, unknown>) => {
    setSaving(true);
    try {
      await acceptInvitation({
        token,
        password: String(values.password),
        firstname: textOf(values.firstname),
        lastname: textOf(values.lastname),
      });
      await login({ sessionOpened: true }, '/');
      notify('folio.invitation.done', { type: 'success' });
      return undefined;
    } catch (err) {
      const fieldErrors = fieldErrorsOf(err);
      if (fieldErrors) return fieldErrors;
      notify((err as Error)?.message || 'ra.notification.http_error', { type: 'error' });
      return undefined;
    } finally {
      setSaving(false);
    }
  };

  return (
    <AuthCard
      title={translate('folio.invitation.title')}
      subtitle={invite ? translate('folio.invitation.subtitle', { email: invite.email }) : undefined}
      width={480}
    >
      {invite === undefined ? (
        <Box sx={{ display: 'flex', justifyContent: 'center', p: 3 }}>
          <CircularProgress aria-label={translate('ra.page.loading')} />
        </Box>
      ) : invite === null ? (
        <>
          <Alert severity="error" sx={{ mb: 2 }}>
            {translate('folio.invitation.invalid')}
          </Alert>
          <Button component={RouterLink} to="/login" variant="contained" fullWidth>
            {translate('folio.register.go_to_login')}
          </Button>
        </>
      ) : (
        <Form onSubmit={submit} noValidate defaultValues={{ firstname: invite.firstname, lastname: invite.lastname }}>
          <Box sx={{ display: 'flex', gap: 2, flexDirection: { xs: 'column', sm: 'row' } }}>
            <TextInput
              source="firstname"
              label="folio.register.firstname"
              autoComplete="given-name"
              validate={required()}
              variant="outlined"
            />
            <TextInput
              source="lastname"
              label="folio.register.lastname"
              autoComplete="family-name"
              variant="outlined"
            />
          </Box>
          <PasswordInput
            source="password"
            label="folio.register.password"
            autoComplete="new-password"
            helperText="folio.register.password_help"
            validate={[required(), longEnough]}
            variant="outlined"
            autoFocus
          />
          <PasswordInput
            source="confirmPassword"
            label="folio.register.confirm"
            autoComplete="new-password"
            validate={[required(), sameAsPassword]}
            variant="outlined"
          />
          <Button type="submit" variant="contained" size="large" fullWidth disabled={saving} sx={{ mt: 2 }}>
            {saving ? <CircularProgress size={22} color="inherit" /> : translate('folio.invitation.submit')}
          </Button>
        </Form>
      )}
    </AuthCard>
  );
}
