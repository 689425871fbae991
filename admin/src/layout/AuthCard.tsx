// The centred card of the pages inside the dashboard that need no session (first run, invitation,
// password reset, sign-in after a sign-out), with react-admin's theme toggle in a corner.
import { ToggleThemeButton } from 'react-admin';
import { AuthFrame, type AuthFrameProps } from './AuthFrame';

export function AuthCard(props: Omit<AuthFrameProps, 'corner'>) {
  return <AuthFrame {...props} corner={<ToggleThemeButton />} />;
}
