// Settings › Public API: what anyone may do on the Content API without a token (the Public role,
// GET/PUT /admin-api/public-permissions). By default nothing; a site usually needs find and findOne
// on what it shows. Entries of the allow list the page does not show (findDrafts from the CLI) are
// kept when saving.
import { useMemo, useState } from 'react';
import { Authenticated, Title, useCanAccess, useNotify } from 'react-admin';
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

const ACTIONS = ['find', 'findOne', 'create', 'update', 'delete'];

const INTRODUCTION = (
  <>
    What anyone may do on the Content API (<code>/api</code>) without an API token. A website usually needs <b>find</b>
    and <b>findOne</b> on the types it shows; writes are better given to an API token.
  </>
);

export function PublicApiPage() {
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
    return [...types, { subject: 'upload', label: 'Media library', route: 'upload/files' }].map((r) => ({
      ...r,
      actions: ACTIONS.filter((a) => offered.has(`${r.subject}.${a}`)),
    }));
  }, [catalogue.data]);

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
      notify('Public API permissions saved', { type: 'success' });
      saved.reload();
    } catch (err) {
      notify(err instanceof Error ? err.message : 'The permissions could not be saved', { type: 'error' });
    } finally {
      setSaving(false);
    }
  };

  const error = catalogue.error ?? saved.error;
  return (
    <Authenticated>
      <Box sx={{ py: 2 }}>
        <Title title="Public API" />
        <Card>
          <CardContent>
            <Typography variant="h6" component="h1" gutterBottom>
              Public API
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2, maxWidth: 760 }}>
              {INTRODUCTION}
            </Typography>
            {canRead === false ? <Alert severity="info">Your role may not read permissions.</Alert> : null}
            {error ? <Alert severity="error">{error.message}</Alert> : null}
            {!error && (!catalogue.data || !saved.data) && canRead !== false ? (
              <LinearProgress aria-label="Loading permissions" />
            ) : null}
            {catalogue.data && saved.data ? (
              <>
                {rows.length === 1 ? (
                  <Alert severity="info" sx={{ mb: 2 }}>
                    No content type exists yet.
                  </Alert>
                ) : null}
                <TableContainer>
                  <Table size="small" aria-label="Public API permissions">
                    <TableHead>
                      <TableRow>
                        <TableCell component="th" scope="col">
                          Content type
                        </TableCell>
                        {ACTIONS.map((a) => (
                          <TableCell key={a} align="center" component="th" scope="col">
                            {a}
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
                                  slotProps={{ input: { 'aria-label': `${action} ${row.label}` } }}
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
                      Undo changes
                    </Button>
                    <Button variant="contained" disabled={!dirty || saving} onClick={() => void save()}>
                      Save
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
