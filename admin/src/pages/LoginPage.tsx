// Sign in inside the dashboard (after a sign-out or an expired session): the same form as the fast
// sign-in screen, through react-admin's login (which then goes back where the editor was). While no
// administrator exists yet, the first-run registration page is shown instead.
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { useLogin, useTranslate } from 'react-admin';
import { AuthCard } from '../layout/AuthCard';
import { registrationOpen } from '../authProvider';
import { SignInForm } from '../signin/SignInForm';

export function LoginPage() {
  const login = useLogin();
  const translate = useTranslate();
  const navigate = useNavigate();

  useEffect(() => {
    let active = true;
    void registrationOpen().then((open) => {
      if (active && open) void navigate('/register', { replace: true });
    });
    return () => {
      active = false;
    };
  }, [navigate]);

  return (
    <AuthCard title={translate('folio.auth.sign_in_title')} subtitle={translate('folio.auth.sign_in_subtitle')}>
      <SignInForm translate={translate} onSignIn={(email, password) => login({ email, password })} />
    </AuthCard>
  );
}
