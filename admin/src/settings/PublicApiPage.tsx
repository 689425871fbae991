// Settings › Public API: what anyone may do on the Content API without a token (the Public role,
// GET/PUT /admin-api/public-permissions). By default nothing; a site usually needs find and findOne
// on what it shows. Entries of the allow list the page does not show (findDrafts from the CLI) are
// kept when saving.
import { useMemo, useState } from 'react';
import { Authenticated, Title, useCanAccess, useNotify, useTranslate } from 'react-admin';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { savePublicPermissions, useAdminApi, type Catalogue } from './permissions';
import { useWarnOnLeave } from '../useWarnOnLeave';
import { useEdits } from '../useEdits';

const ACTIONS = ['find', 'findOne', 'create', 'update', 'delete'] as const;

/** The Content API's action names (kept under each column, as the API documentation calls them) in words. */
const ACTION_WORDS: Record<(typeof ACTIONS)[number], string> = {
  find: 'folio.public_api.actions.find',
  findOne: 'folio.public_api.actions.findOne',
  create: 'folio.public_api.actions.create',
  update: 'folio.public_api.actions.update',
  delete: 'folio.public_api.actions.delete',
};

export function PublicApiPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { canAccess: canRead } = useCanAccess({ resource: 'roles', action: 'read' });
  const { canAccess: canUpdate } = useCanAccess({ resource: 'roles', action: 'update' });
  const catalogue = useAdminApi<Catalogue>('/permissions/catalogue');
  const saved = useAdminApi<{ allow: string[] }>('/public-permissions');
  const edits = useEdits(saved.data, (stored) => new Set(stored.allow));
  const allow = edits.value ?? new Set<string>();
  const dirty = edits.dirty;
  const [saving, setSaving] = useState(false);
  useWarnOnLeave(dirty);

  const rows = useMemo(() => {
    const data = catalogue.data;
    if (!data) return [];
    const offered = new Set(data.contentApi);
    const types = data.contentTypes.map((t) => ({
      subject: t.uid,
      label: t.displayName,
      route: t.kind === 'singleType' ? t.uid : t.pluralName,
    }));
    const media = { subject: 'upload', label: translate('folio.public_api.media_library'), route: 'upload/files' };
    return [...types, media].map((r) => ({
      ...r,
      actions: ACTIONS.filter((a) => offered.has(`${r.subject}.${a}`)),
    }));
  }, [catalogue.data, translate]);

  const toggle = (item: string, on: boolean) =>
    edits.edit((current) => {
      const next = new Set(current);
      if (on) next.add(item);
      else next.delete(item);
      return next;
    });

  const save = async () => {
    setSaving(true);
    try {
      await savePublicPermissions([...allow].sort());
      notify('folio.public_api.saved', { type: 'success' });
      saved.reload();
    } catch (err) {
      notify(err instanceof Error ? err.message : 'folio.public_api.save_failed', { type: 'error' });
    } finally {
      setSaving(false);
    }
  };

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
                {rows.length === 1 ? (
                  <Alert severity="info" sx={{ mb: 2 }}>
                    {translate('folio.public_api.no_types')}
                  </Alert>
                ) : null}
                <TableContainer>
                  <Table size="small" aria-label={translate('folio.public_api.table')}>
                    <TableHead>
                      <TableRow>
                        <TableCell component="th" scope="col">
                          {translate('folio.public_api.content_type')}
                        </TableCell>
                        {ACTIONS.map((a) => (
                          <TableCell key={a} align="center" component="th" scope="col">
                            {translate(ACTION_WORDS[a])}
                            <Typography
                              variant="caption"
                              color="text.secondary"
                              sx={{ display: 'block', fontFamily: 'monospace' }}
                            >
                              {a}
                            </Typography>
                          </TableCell>
                        ))}
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {rows.map((row) => (
                        <TableRow key={row.subject} hover>
                          <TableCell component="th" scope="row">
                            {row.label}
                            <Typography
                              variant="caption"
                              color="text.secondary"
                              sx={{ display: 'block', fontFamily: 'monospace' }}
                            >
                              /api/{row.route}
                            </Typography>
                          </TableCell>
                          {ACTIONS.map((action) => (
                            <TableCell key={action} align="center" padding="checkbox">
                              {row.actions.includes(action) ? (
                                <Checkbox
                                  checked={allow.has(`${row.subject}.${action}`)}
                                  disabled={canUpdate !== true || saving}
                                  onChange={(event) => toggle(`${row.subject}.${action}`, event.target.checked)}
                                  slotProps={{
                                    input: {
                                      'aria-label': translate('folio.public_api.permission', {
                                        action: translate(ACTION_WORDS[action]),
                                        type: row.label,
                                      }),
                                    },
                                  }}
                                />
                              ) : null}
                            </TableCell>
                          ))}
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </TableContainer>
                {canUpdate ? (
                  <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end', mt: 2 }}>
                    <Button disabled={!dirty || saving} onClick={() => edits.discard()}>
                      {translate('folio.public_api.undo')}
                    </Button>
                    <Button variant="contained" disabled={!dirty || saving} onClick={() => void save()}>
                      {translate('folio.public_api.save')}
                    </Button>
                  </Stack>
                ) : null}
              </>
            ) : null}
          </CardContent>
        </Card>
      </Box>
    </Authenticated>
  );
}
