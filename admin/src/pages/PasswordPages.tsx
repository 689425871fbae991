// "Forgot your password?" (asks for a link by email) and /admin/auth/reset-password?token=… (the
// link: choose a new password, then sign in).
import { useState } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router-dom';
import { email as isEmail, Form, PasswordInput, required, TextInput, useNotify, useTranslate } from 'react-admin';
import { fieldErrorsOf } from '../http';
import { Alert, Button, CircularProgress, Link } from '@mui/material';
import { AuthCard } from '../layout/AuthCard';
import { requestPasswordReset, resetPassword } from '../authProvider';
import { longEnough, sameAsPassword } from './passwords';

export function ForgotPasswordPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const [sent, setSent] = useState(false);
  const [saving, setSaving] = useState(false);

  const submit = async (values: Record<string, unknown>) => {
    setSaving(true);
    try {
      await requestPasswordReset(String(values.email));
      setSent(true);
    } catch (err) {
      notify((err as Error)?.message || 'ra.notification.http_error', { type: 'error' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <AuthCard
      title={translate('folio.password.forgot_title')}
      subtitle={sent ? undefined : translate('folio.password.forgot_subtitle')}
    >
      {sent ? (
        <Alert severity="success" sx={{ mb: 2 }}>
          {translate('folio.password.sent')}
        </Alert>
      ) : (
        <Form onSubmit={submit} noValidate>
          <TextInput
            source="email"
            type="email"
            label="folio.auth.email"
            autoComplete="email"
            autoFocus
            validate={[required(), isEmail()]}
            variant="outlined"
          />
          <Button type="submit" variant="contained" size="large" fullWidth disabled={saving} sx={{ mt: 2 }}>
            {saving ? <CircularProgress size={22} color="inherit" /> : translate('folio.password.send_link')}
          </Button>
        </Form>
      )}
      <Link component={RouterLink} to="/login" sx={{ display: 'block', mt: 2, textAlign: 'center' }}>
        {translate('folio.password.back_to_login')}
      </Link>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [saving, setSaving] = useState(false);

  const submit = async (values: Record<string, unknown>) => {
    setSaving(true);
    try {
      await resetPassword(params.get('token') ?? '', String(values.password));
      notify('folio.password.changed', { type: 'success' });
      void navigate('/login');
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
    <AuthCard title={translate('folio.password.reset_title')}>
      <Form onSubmit={submit} noValidate>
        <PasswordInput
          source="password"
          label="folio.password.new"
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
          {saving ? <CircularProgress size={22} color="inherit" /> : translate('folio.password.reset_submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
