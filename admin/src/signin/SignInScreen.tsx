// The sign-in screen a signed-out visitor sees first, before (and without) the dashboard's code: MUI,
// the words and one request to sign in. Once signed in, the caller loads the dashboard.
import { useMemo } from 'react';
import { CssBaseline, ThemeProvider, createTheme, useMediaQuery } from '@mui/material';
import { AuthFrame } from '../layout/AuthFrame';
import { darkTheme, lightTheme } from '../layout/theme';
import { i18nProvider } from '../i18n';
import { signIn } from '../session';
import { SignInForm, type Translate } from './SignInForm';

const translate: Translate = (key, options) => i18nProvider.translate(key, options);

/** The theme react-admin will show once signed in: the one chosen in its store, else the system's. */
function useStoredThemeMode(): 'light' | 'dark' {
  const systemDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  try {
    const stored = localStorage.getItem('RaStore.theme');
    if (stored === '"dark"' || stored === '"light"') return JSON.parse(stored) as 'light' | 'dark';
  } catch {
    // Storage refused (private mode): the system's choice.
  }
  return systemDark ? 'dark' : 'light';
}

export function SignInScreen({ onSignedIn }: { onSignedIn: () => void }) {
  const mode = useStoredThemeMode();
  const theme = useMemo(() => createTheme(mode === 'dark' ? darkTheme : lightTheme), [mode]);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <AuthFrame title={translate('folio.auth.sign_in_title')} subtitle={translate('folio.auth.sign_in_subtitle')}>
        <SignInForm
          translate={translate}
          onSignIn={async (email, password) => {
            await signIn(email, password);
            onSignedIn();
          }}
        />
      </AuthFrame>
    </ThemeProvider>
  );
}
