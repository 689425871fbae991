// The dashboard's start: one request (GET /admin-api/auth/session) decides the first screen. A
// signed-out visitor gets the sign-in screen at once — React, MUI and the words, without the
// dashboard's code, which loads only once signed in (or for the pages that need no session: first
// run, invitations, password reset). A signed-in visitor goes straight to the dashboard, whose
// session is already known from the probe.
import { lazy, StrictMode, Suspense, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { probeSession, type Probe } from './session';
import { SignInScreen } from './signin/SignInScreen';

const App = lazy(() => import('./App').then(({ App }) => ({ default: App })));

const BASE = '/admin';
/** Dashboard pages shown without a session: react-admin's router serves them. */
const NO_SESSION_PATHS = ['/register', '/auth/'];

function dashboardPath(): string {
  const path = window.location.pathname;
  return path.startsWith(BASE) ? path.slice(BASE.length) || '/' : path;
}

/** What to show first: the dashboard, or the sign-in screen (the URL says /login, the deep link is kept). */
function firstScreen(probe: Probe | undefined): 'dashboard' | 'sign-in' {
  // No answer (the server restarting, a proxy error): the dashboard, which says what is wrong.
  if (!probe || probe.session || probe.registrationOpen) return 'dashboard';
  return NO_SESSION_PATHS.some((prefix) => dashboardPath().startsWith(prefix)) ? 'dashboard' : 'sign-in';
}

function Root({ probe }: { probe: Probe | undefined }) {
  const [screen, setScreen] = useState(() => firstScreen(probe));
  if (screen === 'sign-in') {
    return (
      <SignInScreen
        onSignedIn={() => {
          const { next } = (window.history.state ?? {}) as { next?: string };
          window.history.replaceState(null, '', next ?? `${BASE}/`);
          setScreen('dashboard');
        }}
      />
    );
  }
  return (
    <Suspense fallback={null}>
      <App />
    </Suspense>
  );
}

async function start(): Promise<void> {
  const probe = await probeSession().catch(() => undefined);
  if (probe?.registrationOpen && !NO_SESSION_PATHS.some((prefix) => dashboardPath().startsWith(prefix))) {
    // A new installation: its first administrator registers, wherever the visit began.
    window.history.replaceState(null, '', `${BASE}/register`);
  } else if (firstScreen(probe) === 'sign-in') {
    // The address says where the visitor is (the sign-in page) and remembers where they were going.
    const path = dashboardPath();
    const next = path === '/' || path === '/login' ? undefined : `${BASE}${path}${window.location.search}`;
    window.history.replaceState({ next }, '', `${BASE}/login`);
  }
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <Root probe={probe} />
    </StrictMode>,
  );
}

void start();
