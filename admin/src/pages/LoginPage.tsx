// Sign in. While no administrator exists yet, the first-run registration page is shown instead.
import { useEffect, useState } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import { Form, PasswordInput, required, TextInput, useLogin, useNotify, useTranslate, HttpError } from 'react-admin';
import { Button, CircularProgress, Link } from '@mui/material';
import { AuthCard } from '../layout/AuthCard';
import { registrationOpen } from '../authProvider';

interface Credentials {
  email: string;
  password: string;
}

export function LoginPage() {
  const login = useLogin();
  const notify = useNotify();
  const translate = useTranslate();
  const navigate = useNavigate();
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let active = true;
    void registrationOpen().then((open) => {
      if (active && open) void navigate('/register', { replace: true });
    });
    return () => {
      active = false;
    };
  }, [navigate]);

  const submit = async (values: Record<string, unknown>) => {
    const { email, password } = values as unknown as Credentials;
    setLoading(true);
    try {
      await login({ email, password });
    } catch (err) {
      const status: unknown = err instanceof HttpError ? err.status : undefined;
      notify(
        status === 400 || status === 401 ? 'folio.auth.invalid' : (err as Error)?.message || 'ra.auth.sign_in_error',
        { type: 'error' },
      );
    } finally {
      setLoading(false);
    }
  };

  return (
    <AuthCard title={translate('folio.auth.sign_in_title')} subtitle={translate('folio.auth.sign_in_subtitle')}>
      <Form onSubmit={submit} noValidate>
        <TextInput
          source="email"
          type="email"
          label="folio.auth.email"
          autoComplete="email"
          autoFocus
          validate={required()}
          variant="outlined"
          fullWidth
        />
        <PasswordInput
          source="password"
          label="folio.auth.password"
          autoComplete="current-password"
          validate={required()}
          variant="outlined"
          fullWidth
        />
        <Button type="submit" variant="contained" size="large" fullWidth disabled={loading} sx={{ mt: 2 }}>
          {loading ? <CircularProgress size={22} color="inherit" /> : translate('folio.auth.sign_in')}
        </Button>
      </Form>
      <Link component={RouterLink} to="/auth/forgot-password" sx={{ display: 'block', mt: 2, textAlign: 'center' }}>
        {translate('folio.password.forgot')}
      </Link>
    </AuthCard>
  );
}
