// The centred card of the sign-in and first-run pages. Plain MUI, no react-admin: the sign-in screen
// shows it before the dashboard's code has loaded (AuthCard adds react-admin's theme toggle).
import type { ReactNode } from 'react';
import { Box, Card, CardContent, Typography } from '@mui/material';
import { Logo } from './Logo';

export interface AuthFrameProps {
  title: string;
  subtitle?: string;
  children: ReactNode;
  width?: number;
  /** Shown in the top right corner (the theme toggle). */
  corner?: ReactNode;
}

export function AuthFrame({ title, subtitle, children, width = 420, corner }: AuthFrameProps) {
  return (
    <Box
      component="main"
      sx={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        p: 2,
        bgcolor: 'background.default',
        backgroundImage: (theme) =>
          theme.palette.mode === 'light'
            ? 'radial-gradient(circle at 20% 0%, #dbe4ff 0, transparent 45%), radial-gradient(circle at 100% 100%,' +
              ' #e5dbff 0, transparent 40%)'
            : 'radial-gradient(circle at 20% 0%, #1f2a5a 0, transparent 45%), radial-gradient(circle at 100% 100%,' +
              ' #2b1f5a 0, transparent 40%)',
      }}
    >
      {corner ? <Box sx={{ position: 'fixed', top: 8, right: 8 }}>{corner}</Box> : null}
      <Card sx={{ width: '100%', maxWidth: width }} elevation={1}>
        <CardContent sx={{ p: { xs: 3, sm: 4 } }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 3 }}>
            <Logo size={40} />
            <Typography variant="h6" component="span" sx={{ fontWeight: 700 }}>
              Folio
            </Typography>
          </Box>
          <Typography variant="h5" component="h1" gutterBottom>
            {title}
          </Typography>
          {subtitle ? (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              {subtitle}
            </Typography>
          ) : null}
          {children}
        </CardContent>
      </Card>
    </Box>
  );
}
