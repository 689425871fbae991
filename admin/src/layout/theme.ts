// Folio's light and dark themes: react-admin's default theme with Folio's indigo, rounder cards and
// outlined inputs (whose labels stay visible). The app bar's toggle switches between the two.
import { defaultDarkTheme, defaultLightTheme, type RaThemeOptions } from 'react-admin';

const shape = { borderRadius: 10 };
const typography = {
  fontFamily: [
    'Inter',
    'system-ui',
    '-apple-system',
    'Segoe UI',
    'Roboto',
    'Helvetica Neue',
    'Arial',
    'sans-serif',
  ].join(','),
  h5: { fontWeight: 600 },
  h6: { fontWeight: 600 },
};

function components(mode: 'light' | 'dark'): RaThemeOptions['components'] {
  return {
    MuiPaper: {
      styleOverrides: {
        root: { backgroundImage: 'none' },
        elevation1: {
          boxShadow: mode === 'light' ? '0 1px 3px rgba(16, 24, 40, 0.08), 0 1px 2px rgba(16, 24, 40, 0.04)' : 'none',
        },
      },
    },
    MuiAppBar: {
      styleOverrides: {
        colorSecondary:
          mode === 'light'
            ? { backgroundColor: '#1f2a5a', color: '#fff' }
            : { backgroundColor: '#161b2e', color: '#e8eaf6' },
      },
    },
    MuiButton: { styleOverrides: { root: { textTransform: 'none', fontWeight: 600 } } },
  };
}

export const lightTheme: RaThemeOptions = {
  ...defaultLightTheme,
  palette: {
    mode: 'light',
    primary: { main: '#3b5bdb' },
    secondary: { main: '#1f2a5a' },
    background: { default: '#f5f6fa', paper: '#ffffff' },
  },
  shape,
  typography: { ...defaultLightTheme.typography, ...typography },
  components: { ...defaultLightTheme.components, ...components('light') },
};

export const darkTheme: RaThemeOptions = {
  ...defaultDarkTheme,
  palette: {
    mode: 'dark',
    primary: { main: '#91a7ff' },
    secondary: { main: '#748ffc' },
    background: { default: '#0f1220', paper: '#181c2f' },
  },
  shape,
  typography: { ...defaultDarkTheme.typography, ...typography },
  components: { ...defaultDarkTheme.components, ...components('dark') },
};
