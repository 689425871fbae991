// Settings › Public API: what anyone may do on the Content API without a token (the Public role,
// GET/PUT /admin-api/public-permissions). By default nothing; a site usually needs find and findOne
// on what it shows, and may hide some fields of a type from everyone (Details). The table is the
// member roles' one (ContentApiMatrix); entries of the allow list it does not show (findDrafts from
// the CLI) are kept when saving.
import { Authenticated, Title, useCanAccess, useTranslate } from 'react-admin';
import { Alert, Box, Card, CardContent, LinearProgress, Typography } from '@mui/material';
import { savePublicPermissions, useAdminApi, type Catalogue } from './permissions';
import { AllowListEditor, useAllowListEdits } from './AllowListEditor';

/** The columns shown: reading drafts is not offered to everyone here (the CLI can grant it). */
const ACTIONS = ['find', 'findOne', 'create', 'update', 'delete'] as const;

export function PublicApiPage() {
  const translate = useTranslate();
  const { canAccess: canRead } = useCanAccess({ resource: 'roles', action: 'read' });
  const { canAccess: canUpdate } = useCanAccess({ resource: 'roles', action: 'update' });
  const catalogue = useAdminApi<Catalogue>('/permissions/catalogue');
  const saved = useAdminApi<{ allow: string[] }>('/public-permissions');
  const edits = useAllowListEdits(saved.data?.allow, {
    // Sorted, so the stored list reads the same whatever order the boxes were ticked in.
    store: async (allow) => {
      await savePublicPermissions([...allow].sort());
      saved.reload();
    },
    saved: 'folio.public_api.saved',
    failed: 'folio.public_api.save_failed',
  });

  const error = catalogue.error ?? saved.error;
  return (
    <Authenticated>
      <Box sx={{ py: 2 }}>
        <Title title="folio.public_api.title" />
        <Card>
          <CardContent>
            <Typography variant="h6" component="h1" gutterBottom>
              {translate('folio.public_api.title')}
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2, maxWidth: 760 }}>
              {translate('folio.public_api.intro', { api: '/api' })}
            </Typography>
            {canRead === false ? <Alert severity="info">{translate('folio.public_api.no_access')}</Alert> : null}
            {error ? <Alert severity="error">{error.message}</Alert> : null}
            {!error && (!catalogue.data || !saved.data) && canRead !== false ? (
              <LinearProgress aria-label={translate('folio.public_api.loading')} />
            ) : null}
            {catalogue.data && saved.data ? (
              <>
                {catalogue.data.contentTypes.length === 0 ? (
                  <Alert severity="info" sx={{ mb: 2 }}>
                    {translate('folio.public_api.no_types')}
                  </Alert>
                ) : null}
                <AllowListEditor
                  edits={edits}
                  canUpdate={canUpdate === true}
                  saveLabel="folio.public_api.save"
                  catalogue={catalogue.data}
                  title={translate('folio.public_api.table')}
                  role="public"
                  actions={ACTIONS}
                />
              </>
            ) : null}
          </CardContent>
        </Card>
      </Box>
    </Authenticated>
  );
}
