// First run: while no administrator exists, the first person to open /admin creates the Super Admin,
// is signed in and lands on the dashboard. Once one exists, this page only points to sign in.
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import {
  Form,
  PasswordInput,
  required,
  TextInput,
  email as isEmail,
  useLogin,
  useNotify,
  useTranslate,
} from 'react-admin';
import { fieldErrorsOf } from '../http';
import { Alert, Box, Button, CircularProgress } from '@mui/material';
import { AuthCard } from '../layout/AuthCard';
import { register, registrationOpen, type Registration } from '../authProvider';
import { longEnough, sameAsPassword } from './passwords';

export function RegisterPage() {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const [open, setOpen] = useState<boolean | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let active = true;
    void registrationOpen().then((value) => active && setOpen(value));
    return () => {
      active = false;
    };
  }, []);

  const submit = async (values: Record<string, unknown>) => {
    const { firstname, lastname, email, password } = values as unknown as Registration;
    setSaving(true);
    try {
      await register({ firstname, lastname, email, password });
      await login({ sessionOpened: true }, '/');
      notify('folio.register.done', { type: 'success' });
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
      title={translate('folio.register.title')}
      subtitle={open === false ? undefined : translate('folio.register.subtitle')}
      width={480}
    >
      {open === undefined ? (
        <Box sx={{ display: 'flex', justifyContent: 'center', p: 3 }}>
          <CircularProgress aria-label={translate('ra.page.loading')} />
        </Box>
      ) : open === false ? (
        <>
          <Alert severity="info" sx={{ mb: 2 }}>
            {translate('folio.register.closed')}
          </Alert>
          <Button component={RouterLink} to="/login" variant="contained" fullWidth>
            {translate('folio.register.go_to_login')}
          </Button>
        </>
      ) : (
        <Form onSubmit={submit} noValidate>
          <Box sx={{ display: 'flex', gap: 2, flexDirection: { xs: 'column', sm: 'row' } }}>
            <TextInput
              source="firstname"
              label="folio.register.firstname"
              autoComplete="given-name"
              autoFocus
              validate={required()}
              variant="outlined"
            />
            <TextInput
              source="lastname"
              label="folio.register.lastname"
              autoComplete="family-name"
              validate={required()}
              variant="outlined"
            />
          </Box>
          <TextInput
            source="email"
            type="email"
            label="folio.register.email"
            autoComplete="email"
            validate={[required(), isEmail()]}
            variant="outlined"
          />
          <PasswordInput
            source="password"
            label="folio.register.password"
            autoComplete="new-password"
            helperText="folio.register.password_help"
            validate={[required(), longEnough]}
            variant="outlined"
          />
          <PasswordInput
            source="confirmPassword"
            label="folio.register.confirm"
            autoComplete="new-password"
            validate={[required(), sameAsPassword]}
            variant="outlined"
          />
          <Button type="submit" variant="contained" size="large" fullWidth disabled={saving} sx={{ mt: 2 }}>
            {saving ? <CircularProgress size={22} color="inherit" /> : translate('folio.register.submit')}
          </Button>
        </Form>
      )}
    </AuthCard>
  );
}
