// The sign-in form itself, shared by the fast sign-in screen (before the dashboard's code loads) and
// react-admin's login page (after a sign-out or an expired session). Plain MUI: what signs in, and
// the words, come from the caller.
import { useState, type FormEvent } from 'react';
import { Alert, Button, CircularProgress, Link, TextField } from '@mui/material';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

interface SignInFormProps {
  translate: Translate;
  /** Signs in; a rejection is shown on the form. */
  onSignIn: (email: string, password: string) => Promise<void>;
}

/** A refused sign-in's message: wrong credentials say so; anything else (a lockout, an outage) as the server said. */
function refusalOf(err: unknown, translate: Translate): string {
  const status = (err as { status?: unknown })?.status;
  if (status === 400 || status === 401) return translate('folio.auth.invalid');
  return (err as Error)?.message || translate('ra.auth.sign_in_error');
}

export function SignInForm({ translate, onSignIn }: SignInFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const required = translate('ra.validation.required');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!email.trim() || !password) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      await onSignIn(email.trim(), password);
    } catch (err) {
      setRefusal(refusalOf(err, translate));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      {refusal ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {refusal}
        </Alert>
      ) : null}
      <TextField
        name="email"
        type="email"
        label={translate('folio.auth.email')}
        autoComplete="email"
        autoFocus
        required
        fullWidth
        margin="dense"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={touched && !email.trim()}
        helperText={touched && !email.trim() ? required : ' '}
      />
      <TextField
        name="password"
        type="password"
        label={translate('folio.auth.password')}
        autoComplete="current-password"
        required
        fullWidth
        margin="dense"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={touched && !password}
        helperText={touched && !password ? required : ' '}
      />
      <Button type="submit" variant="contained" size="large" fullWidth disabled={busy} sx={{ mt: 1 }}>
        {busy ? <CircularProgress size={22} color="inherit" /> : translate('folio.auth.sign_in')}
      </Button>
      {/* A plain link: the reset pages live in the dashboard, which loads them (a page load at most). */}
      <Link href="/admin/auth/forgot-password" sx={{ display: 'block', mt: 2, textAlign: 'center' }}>
        {translate('folio.password.forgot')}
      </Link>
    </form>
  );
}
