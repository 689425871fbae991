// The dashboard: providers are kept apart (authProvider, dataProvider, i18n, theme), as in
// react-admin's demo. Browser history under /admin (the server's mount point, with SPA fallback),
// kept by a data router: only a data router lets a page block in-app navigation (react-router's
// useBlocker, behind react-admin's warnWhenUnsavedChanges), so that a stray menu click asks before
// it drops unsaved changes. React-admin sees it is inside a router and uses it as it is.
import { lazy, useMemo, useSyncExternalStore } from 'react';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { createBrowserRouter, Route, RouterProvider } from 'react-router-dom';
import { authProvider, displayName, type AdminUser } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18n';
import { Layout } from './layout/Layout';
import { darkTheme, lightTheme } from './layout/theme';
import { Dashboard } from './pages/Dashboard';
import { LoginPage } from './pages/LoginPage';
import { RegisterPage } from './pages/RegisterPage';
import { AcceptInvitationPage } from './pages/AcceptInvitationPage';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/PasswordPages';
import { apiTokens } from './settings/apiTokens';
import { auditLog } from './settings/auditLog';
import { roles } from './settings/roles';
import { users } from './settings/users';
import { webhooks } from './settings/webhooks';
import { locales } from './settings/locales';
import { withContent } from './content/data';
import { releases } from './releases';
import { withReleases } from './releases/dataProvider';
import { contentSchema, subscribeContentSchema, withContentSchema } from './content/schema';
import { contentResources } from './content/screens';
import { preferencesStore } from './content/list/userStore';

// Pages loaded when first opened (react-admin's layout shows its loader meanwhile): most editors
// never open the builder, the media library page, the Public API settings or the upcoming schedules.
const ContentTypeBuilder = lazy(() =>
  import('./content-type-builder/ContentTypeBuilder').then((m) => ({ default: m.ContentTypeBuilder })),
);
const MediaLibraryPage = lazy(() => import('./media/MediaLibraryPage').then((m) => ({ default: m.MediaLibraryPage })));
const UpcomingPage = lazy(() => import('./content/schedule/UpcomingPage').then((m) => ({ default: m.UpcomingPage })));
const BackupsPage = lazy(() => import('./settings/BackupsPage').then((m) => ({ default: m.BackupsPage })));
const PerformancePage = lazy(() => import('./settings/PerformancePage').then((m) => ({ default: m.PerformancePage })));
const PublicApiPage = lazy(() => import('./settings/PublicApiPage').then((m) => ({ default: m.PublicApiPage })));
const MembersPage = lazy(() => import('./settings/MembersPage').then((m) => ({ default: m.MembersPage })));

const contentDataProvider = withReleases(withContent(dataProvider));
const store = preferencesStore();
const contentAuthProvider = withContentSchema(authProvider);

/** The content manager's resources: one per live content type, loaded with the permissions. */
function contentResourcesOf(schema: ReturnType<typeof contentSchema>) {
  return () => contentResources(schema);
}

function FolioAdmin() {
  // A schema change (content-type builder, another admin) re-reads the permissions and with them
  // the content types; the resources follow (react-admin re-reads children when they change).
  const schema = useSyncExternalStore(subscribeContentSchema, contentSchema);
  const loadContentResources = useMemo(() => contentResourcesOf(schema), [schema]);
  return (
    <Admin
      title="Folio"
      authProvider={contentAuthProvider}
      dataProvider={contentDataProvider}
      i18nProvider={i18nProvider}
      layout={Layout}
      loginPage={LoginPage}
      dashboard={Dashboard}
      theme={lightTheme}
      darkTheme={darkTheme}
      store={store}
      disableTelemetry
    >
      {/* Each record is titled by its name (react-admin's default is "#<id>"). */}
      <Resource name="users" {...users} recordRepresentation={(user: AdminUser) => displayName(user)} />
      <Resource name="roles" {...roles} recordRepresentation="name" />
      <Resource name="api-tokens" {...apiTokens} recordRepresentation="name" />
      <Resource name="webhooks" {...webhooks} recordRepresentation="name" />
      <Resource name="locales" {...locales} recordRepresentation="name" />
      <Resource name="audit-log" {...auditLog} />
      <Resource name="releases" {...releases} />
      <CustomRoutes>
        {/* One route, so that moving between types keeps the page (and its unsaved changes) mounted. */}
        <Route path="/content-type-builder/*" element={<ContentTypeBuilder />} />
        <Route path="/media-library" element={<MediaLibraryPage />} />
        <Route path="/public-api" element={<PublicApiPage />} />
        <Route path="/backups" element={<BackupsPage />} />
        <Route path="/performance" element={<PerformancePage />} />
        <Route path="/members" element={<MembersPage />} />
        <Route path="/upcoming" element={<UpcomingPage />} />
      </CustomRoutes>
      {loadContentResources}
      <CustomRoutes noLayout>
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/auth/accept-invitation" element={<AcceptInvitationPage />} />
        <Route path="/auth/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/auth/reset-password" element={<ResetPasswordPage />} />
      </CustomRoutes>
    </Admin>
  );
}

// One route catching every path: react-admin declares its own routes (<Resource>, <CustomRoutes>)
// inside it. Created once, outside React, as data routers are meant to be.
const router = createBrowserRouter([{ path: '*', element: <FolioAdmin /> }], { basename: '/admin' });

export function App() {
  return <RouterProvider router={router} />;
}
