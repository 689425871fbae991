// The frame around every page: Folio's app bar (title, theme toggle, user menu) and the menu.
import type { ReactNode } from 'react';
import { AppBar, Layout as RaLayout, TitlePortal } from 'react-admin';
import { Box, Typography } from '@mui/material';
import { Logo } from './Logo';
import { Menu } from './Menu';

function FolioAppBar() {
  return (
    <AppBar color="secondary">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mr: 2 }}>
        <Logo size={26} />
        <Typography variant="h6" component="span" sx={{ fontWeight: 700, letterSpacing: 0.3 }}>
          Folio
        </Typography>
      </Box>
      <TitlePortal />
    </AppBar>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout appBar={FolioAppBar} menu={Menu}>
      {children}
    </RaLayout>
  );
}
