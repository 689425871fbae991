// Content-Type Builder: the content types and components in force, edited here as a working copy
// (model.ts) and saved as one change: the server plans it, the plan is shown (data-losing steps
// marked), and only a confirmed plan is applied. Nothing reaches the database before that.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Confirm,
  HttpError,
  Title,
  useCanAccess,
  useGetIdentity,
  useNotify,
  useRefresh,
  useTranslate,
} from 'react-admin';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  CircularProgress,
  IconButton,
  List,
  ListItemButton,
  ListItemText,
  ListSubheader,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import EditIcon from '@mui/icons-material/EditOutlined';
import SaveIcon from '@mui/icons-material/Save';
import UndoIcon from '@mui/icons-material/Undo';
import SettingsIcon from '@mui/icons-material/Settings';
import ViewQuiltIcon from '@mui/icons-material/ViewQuiltOutlined';
import { applyChanges, fetchSchema, isLayoutStep, planChanges, type Plan } from './api';
import { ComponentDialog, ContentTypeDialog } from './DefinitionDialogs';
import { FieldDialog, type FieldSave } from './FieldDialog';
import {
  changeSet,
  definitionOf,
  describeAttribute,
  dirtyUids,
  draftOf,
  isNewField,
  putComponent,
  putContentType,
  putField,
  referencesTo,
  removeDefinition,
  removeField,
  renamedFrom,
  setLayout,
  typeLabel,
  type Attribute,
  type ContentTypeDefinition,
  type Draft,
  type Owner,
} from './model';
import { PlanDialog } from './PlanDialog';
import { ViewDialog } from './ViewDialog';
import { unchangedLayout } from './viewLayout';

interface ServerError {
  path: (string | number)[];
  message: string;
}

type Section = 'content-types' | 'components';

function ownerOf(section: string | undefined, uid: string | undefined): Owner | undefined {
  if (!uid) return undefined;
  if (section === 'content-types') return { kind: 'contentType', uid };
  if (section === 'components') return { kind: 'component', uid };
  return undefined;
}

export function pathOf(owner: Owner): string {
  return `/content-type-builder/${owner.kind === 'contentType' ? 'content-types' : 'components'}/${owner.uid}`;
}

function errorsOf(err: unknown): ServerError[] {
  if (!(err instanceof HttpError)) return [];
  const body = err.body as { error?: { details?: { errors?: ServerError[] } } } | undefined;
  return body?.error?.details?.errors ?? [];
}

function useUnsavedWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}

/**
 * Unsaved work outlives the page while the dashboard stays open (leaving the builder for Home and
 * coming back keeps it; a reload asks first, see useUnsavedWarning). It is only restored for the
 * same person and when no apply happened meanwhile: a working copy of an older schema could undo
 * someone else's change.
 */
let kept: { userId: string | number; version: number; draft: Draft } | undefined;

type TypeDialogState = { mode: 'create'; kind: ContentTypeDefinition['kind'] } | { mode: 'edit'; uid: string } | null;
type FieldDialogState = { owner: Owner; editing?: { name: string; attribute: Attribute; renamedFrom?: string } } | null;

export function ContentTypeBuilder() {
  // `/content-type-builder/<content-types|components>/<uid>`, under one route (App.tsx).
  const [section, uid] = (useParams()['*'] ?? '').split('/') as [Section | undefined, string | undefined];
  const navigate = useNavigate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { canAccess: canRead, isPending: readPending } = useCanAccess({
    resource: 'content-type-builder',
    action: 'read',
  });
  const { canAccess: canUpdate } = useCanAccess({ resource: 'content-type-builder', action: 'update' });

  const { identity } = useGetIdentity();
  const userId = identity?.id;
  const [draft, setDraft] = useState<Draft | undefined>();
  const [version, setVersion] = useState<number | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [typeDialog, setTypeDialog] = useState<TypeDialogState>(null);
  const [componentDialog, setComponentDialog] = useState(false);
  const [fieldDialog, setFieldDialog] = useState<FieldDialogState>(null);
  const [deleting, setDeleting] = useState<Owner | null>(null);
  const [viewing, setViewing] = useState<Owner | null>(null);
  const translate = useTranslate();
  const [plan, setPlan] = useState<{ plan: Plan; version: number } | null>(null);
  const [busy, setBusy] = useState<'planning' | 'applying' | null>(null);
  const [serverErrors, setServerErrors] = useState<{ message: string; errors: ServerError[] } | null>(null);

  // Read through a ref: loading must not start again because a callback's identity changed.
  const notifyRef = useRef(notify);
  notifyRef.current = notify;
  // Only the latest load applies its answer (Retry while a load is in flight, the identity or the
  // permissions settling while the page mounts).
  const lastLoad = useRef(0);
  const load = useCallback(async () => {
    const thisLoad = ++lastLoad.current;
    try {
      const { schema, version } = await fetchSchema();
      if (thisLoad !== lastLoad.current) return;
      // `kept` is left in place when restored: the effect below keeps it in step with the draft, and
      // a load that overlaps this one must find it too.
      const previous = kept;
      if (previous && previous.userId === userId && previous.version === version) {
        setDraft(previous.draft);
      } else {
        kept = undefined;
        if (previous && previous.userId === userId) {
          notifyRef.current('folio.builder.changed_elsewhere', { type: 'warning' });
        }
        setDraft(draftOf(schema));
      }
      setVersion(version);
      setLoadError(undefined);
    } catch (err) {
      if (thisLoad !== lastLoad.current) return;
      setLoadError(err instanceof Error ? err.message : 'folio.builder.load_failed');
    }
  }, [userId]);

  useEffect(() => {
    if (canRead && userId !== undefined) void load();
  }, [canRead, userId, load]);

  const dirty = useMemo(() => (draft ? dirtyUids(draft) : new Set<string>()), [draft]);
  // Keep unsaved work for when the person comes back to the builder (see `kept`).
  useEffect(() => {
    if (draft && dirty.size > 0 && userId !== undefined && version !== undefined) kept = { userId, version, draft };
    else if (draft) kept = undefined;
  }, [draft, dirty, userId, version]);
  useUnsavedWarning(dirty.size > 0);

  if (readPending) return <CircularProgress aria-label={translate('folio.builder.loading')} sx={{ m: 4 }} />;
  if (!canRead) {
    return (
      <Alert severity="warning" sx={{ m: 2 }}>
        {translate('folio.builder.no_access')}
      </Alert>
    );
  }
  if (loadError) {
    return (
      <Alert
        severity="error"
        sx={{ m: 2 }}
        action={<Button onClick={() => void load()}>{translate('folio.builder.retry')}</Button>}
      >
        {translate(loadError, { _: loadError })}
      </Alert>
    );
  }
  if (!draft) return <CircularProgress aria-label={translate('folio.builder.loading')} sx={{ m: 4 }} />;

  const { doc } = draft;
  const owner = ownerOf(section, uid);
  const selected = owner ? definitionOf(doc, owner) : undefined;
  const selectedType = owner?.kind === 'contentType' ? doc.contentTypes[owner.uid] : undefined;

  const save = async () => {
    setBusy('planning');
    setServerErrors(null);
    try {
      setPlan(await planChanges(changeSet(draft)));
    } catch (err) {
      setServerErrors({ message: err instanceof Error ? err.message : String(err), errors: errorsOf(err) });
    } finally {
      setBusy(null);
    }
  };

  const apply = async (force: boolean, acceptSuggested: boolean) => {
    setBusy('applying');
    try {
      const { result, version: appliedVersion } = await applyChanges(
        changeSet(draft),
        force,
        plan?.version,
        acceptSuggested,
      );
      setDraft(draftOf(result.schema));
      setVersion(appliedVersion);
      setPlan(null);
      setServerErrors(null);
      const tableSteps = result.applied.filter((s) => !isLayoutStep(s)).length;
      notify(tableSteps ? 'folio.builder.saved' : 'folio.builder.saved_no_change', {
        type: 'success',
        messageArgs: { smart_count: tableSteps },
      });
      refresh(); // re-reads permissions and content types: the Content menu shows the change
      if (owner && !definitionOf(result.schema, owner)) void navigate('/content-type-builder');
    } catch (err) {
      setPlan(null);
      setServerErrors({ message: err instanceof Error ? err.message : String(err), errors: errorsOf(err) });
    } finally {
      setBusy(null);
    }
  };

  const discard = () => {
    setDraft(draftOf(draft.stored));
    setServerErrors(null);
    if (owner && !definitionOf(draft.stored, owner)) void navigate('/content-type-builder');
  };

  const saveField = (target: Owner, save: FieldSave) => {
    setDraft(putField(draft, target, save.previous, save.name, save.attribute, save.inverse));
    setFieldDialog(null);
  };

  const fieldErrors = (fieldOwner: Owner, field: string): string[] =>
    (serverErrors?.errors ?? [])
      .filter(
        (e) =>
          e.path[0] === (fieldOwner.kind === 'contentType' ? 'contentTypes' : 'components') &&
          e.path[1] === fieldOwner.uid &&
          e.path[2] === 'attributes' &&
          e.path[3] === field,
      )
      .map((e) => (e.path.length > 4 ? `${e.path.slice(4).join('.')}: ${e.message}` : e.message));

  const sorted = (kind: ContentTypeDefinition['kind']) =>
    Object.entries(doc.contentTypes)
      .filter(([, d]) => d.kind === kind)
      .sort(([, a], [, b]) => a.info.displayName.localeCompare(b.info.displayName));
  const components = Object.entries(doc.components).sort(([a], [b]) => a.localeCompare(b));
  const deletedUids = [...dirty].filter((u) => !(u in doc.contentTypes) && !(u in doc.components));

  const navItem = (item: Owner, label: string, secondary?: string) => (
    <ListItemButton
      key={`${item.kind}:${item.uid}`}
      component={Link}
      to={pathOf(item)}
      selected={owner?.kind === item.kind && owner.uid === item.uid}
      sx={{ py: 0.25 }}
    >
      <ListItemText
        primary={
          <>
            {label}
            {dirty.has(item.uid) ? (
              <Box
                component="span"
                aria-hidden
                title={translate('folio.builder.unsaved_mark')}
                sx={{ color: 'warning.main', ml: 0.5 }}
              >
                •
              </Box>
            ) : null}
          </>
        }
        secondary={secondary}
        slotProps={{ secondary: { noWrap: true } }}
      />
    </ListItemButton>
  );

  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('folio.builder.title')} />
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap', rowGap: 1 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1, minWidth: 240 }}>
          {translate('folio.builder.title')}
        </Typography>
        {dirty.size > 0 ? (
          <Typography variant="body2" color="warning.main" role="status">
            {translate('folio.builder.unsaved')}{' '}
            {[...dirty]
              .map(
                (u) =>
                  definitionOf(doc, {
                    kind: u in doc.components || u in draft.stored.components ? 'component' : 'contentType',
                    uid: u,
                  })?.info.displayName ?? u,
              )
              .join(', ')}
            {deletedUids.length
              ? ` ${translate('folio.builder.unsaved_deleted', { uids: deletedUids.join(', ') })}`
              : ''}
          </Typography>
        ) : null}
        {canUpdate ? (
          <>
            <Button startIcon={<UndoIcon />} onClick={discard} disabled={dirty.size === 0 || busy !== null}>
              {translate('folio.builder.discard')}
            </Button>
            <Button
              variant="contained"
              startIcon={busy === 'planning' ? <CircularProgress size={16} color="inherit" /> : <SaveIcon />}
              onClick={() => void save()}
              disabled={dirty.size === 0 || busy !== null}
            >
              {translate('folio.builder.save')}
            </Button>
          </>
        ) : null}
      </Stack>

      {serverErrors ? (
        <Alert severity="error" sx={{ mb: 2 }} onClose={() => setServerErrors(null)}>
          <AlertTitle>{translate('folio.builder.not_saved')}</AlertTitle>
          {serverErrors.errors.length > 0 ? (
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {serverErrors.errors.map((e, i) => (
                <li key={i}>
                  <code>{e.path.join(' › ') || translate('folio.builder.whole_schema')}</code>: {e.message}
                </li>
              ))}
            </Box>
          ) : (
            serverErrors.message
          )}
        </Alert>
      ) : null}

      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Card
          sx={{ width: { xs: '100%', md: 280 }, flexShrink: 0 }}
          component="nav"
          aria-label={translate('folio.builder.nav')}
        >
          <List dense disablePadding>
            <ListSubheader>{translate('folio.builder.collection_types')}</ListSubheader>
            {sorted('collectionType').map(([u, d]) => navItem({ kind: 'contentType', uid: u }, d.info.displayName))}
            {canUpdate ? (
              <ListItemButton onClick={() => setTypeDialog({ mode: 'create', kind: 'collectionType' })}>
                <AddIcon fontSize="small" sx={{ mr: 1 }} />
                <ListItemText primary={translate('folio.builder.create_collection_type')} />
              </ListItemButton>
            ) : null}
            <ListSubheader>{translate('folio.builder.single_types')}</ListSubheader>
            {sorted('singleType').map(([u, d]) => navItem({ kind: 'contentType', uid: u }, d.info.displayName))}
            {canUpdate ? (
              <ListItemButton onClick={() => setTypeDialog({ mode: 'create', kind: 'singleType' })}>
                <AddIcon fontSize="small" sx={{ mr: 1 }} />
                <ListItemText primary={translate('folio.builder.create_single_type')} />
              </ListItemButton>
            ) : null}
            <ListSubheader>{translate('folio.builder.components')}</ListSubheader>
            {components.map(([u, d]) => navItem({ kind: 'component', uid: u }, d.info.displayName, u))}
            {canUpdate ? (
              <ListItemButton onClick={() => setComponentDialog(true)}>
                <AddIcon fontSize="small" sx={{ mr: 1 }} />
                <ListItemText primary={translate('folio.builder.create_component')} />
              </ListItemButton>
            ) : null}
          </List>
        </Card>

        <Box sx={{ flex: 1, minWidth: 0, width: '100%' }}>
          {owner && selected ? (
            <Card component="section" aria-label={selected.info.displayName}>
              <CardContent>
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 1 }}>
                  <Typography variant="h6" component="h2" sx={{ mr: 1 }}>
                    {selected.info.displayName}
                  </Typography>
                  {selectedType ? (
                    <>
                      <Chip
                        size="small"
                        label={translate(
                          selectedType.kind === 'singleType'
                            ? 'folio.builder.single_type'
                            : 'folio.builder.collection_type',
                        )}
                      />
                      <Chip
                        size="small"
                        variant="outlined"
                        label={
                          '/api/' +
                          (selectedType.kind === 'singleType'
                            ? selectedType.info.singularName
                            : selectedType.info.pluralName)
                        }
                      />
                      {selectedType.options?.draftAndPublish !== false ? (
                        <Chip size="small" variant="outlined" label={translate('folio.builder.draft_and_publish')} />
                      ) : null}
                      {selectedType.pluginOptions?.i18n?.localized ? (
                        <Chip size="small" variant="outlined" label={translate('folio.builder.localized')} />
                      ) : null}
                    </>
                  ) : (
                    <Chip size="small" label={translate('folio.builder.component_id', { uid: owner.uid })} />
                  )}
                  <Box sx={{ flex: 1 }} />
                  {canUpdate ? (
                    <>
                      {owner.kind === 'contentType' ? (
                        <Button
                          size="small"
                          startIcon={<SettingsIcon />}
                          onClick={() => setTypeDialog({ mode: 'edit', uid: owner.uid })}
                        >
                          {translate('folio.builder.settings')}
                        </Button>
                      ) : null}
                      <Button size="small" startIcon={<ViewQuiltIcon />} onClick={() => setViewing(owner)}>
                        {translate('folio.layout.configure')}
                      </Button>
                      <Button size="small" color="error" startIcon={<DeleteIcon />} onClick={() => setDeleting(owner)}>
                        {translate('folio.builder.delete')}
                      </Button>
                      <Button
                        size="small"
                        variant="outlined"
                        startIcon={<AddIcon />}
                        onClick={() => setFieldDialog({ owner })}
                      >
                        {translate('folio.builder.add_field')}
                      </Button>
                    </>
                  ) : null}
                </Stack>
                {selected.info.description ? (
                  <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                    {selected.info.description}
                  </Typography>
                ) : null}
                {Object.keys(selected.attributes).length === 0 ? (
                  <Alert severity="info">
                    {translate(canUpdate ? 'folio.builder.no_fields_add' : 'folio.builder.no_fields')}
                  </Alert>
                ) : (
                  <Table
                    size="small"
                    aria-label={translate('folio.builder.fields_of', { name: selected.info.displayName })}
                  >
                    <TableHead>
                      <TableRow>
                        <TableCell>{translate('folio.builder.column.name')}</TableCell>
                        <TableCell>{translate('folio.builder.column.type')}</TableCell>
                        <TableCell>{translate('folio.builder.column.details')}</TableCell>
                        {canUpdate ? (
                          <TableCell align="right">{translate('folio.builder.column.actions')}</TableCell>
                        ) : null}
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {Object.entries(selected.attributes).map(([name, attr]) => {
                        const errors = fieldErrors(owner, name);
                        const from = renamedFrom(draft, owner.uid, name);
                        return (
                          <TableRow key={name} data-field={name}>
                            <TableCell>
                              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                                <code>{name}</code>
                                {isNewField(draft, owner.uid, name) &&
                                (owner.kind === 'contentType'
                                  ? owner.uid in draft.stored.contentTypes
                                  : owner.uid in draft.stored.components) ? (
                                  <Chip
                                    size="small"
                                    color="success"
                                    variant="outlined"
                                    label={translate('folio.builder.new_field')}
                                  />
                                ) : null}
                                {from ? (
                                  <Chip
                                    size="small"
                                    color="info"
                                    variant="outlined"
                                    label={translate('folio.builder.renamed_from', { name: from })}
                                  />
                                ) : null}
                              </Stack>
                              {errors.map((e) => (
                                <Typography key={e} variant="body2" color="error">
                                  {e}
                                </Typography>
                              ))}
                            </TableCell>
                            <TableCell>{translate(typeLabel(attr.type))}</TableCell>
                            <TableCell sx={{ color: 'text.secondary' }}>
                              {describeAttribute(attr, doc, translate)}
                            </TableCell>
                            {canUpdate ? (
                              <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                                <Tooltip title={translate('folio.builder.edit_field', { name })}>
                                  <IconButton
                                    aria-label={translate('folio.builder.edit_field', { name })}
                                    onClick={() =>
                                      setFieldDialog({ owner, editing: { name, attribute: attr, renamedFrom: from } })
                                    }
                                    size="small"
                                  >
                                    <EditIcon fontSize="small" />
                                  </IconButton>
                                </Tooltip>
                                <Tooltip title={translate('folio.builder.remove_field', { name })}>
                                  <IconButton
                                    aria-label={translate('folio.builder.remove_field', { name })}
                                    onClick={() => setDraft(removeField(draft, owner, name))}
                                    size="small"
                                  >
                                    <DeleteIcon fontSize="small" />
                                  </IconButton>
                                </Tooltip>
                              </TableCell>
                            ) : null}
                          </TableRow>
                        );
                      })}
                    </TableBody>
                  </Table>
                )}
              </CardContent>
            </Card>
          ) : (
            <Alert severity="info">
              {owner ? `${translate('folio.builder.missing', { uid: owner.uid })} ` : ''}
              {translate(canUpdate ? 'folio.builder.choose_or_create' : 'folio.builder.choose')}
            </Alert>
          )}
        </Box>
      </Stack>

      {typeDialog ? (
        <ContentTypeDialog
          doc={doc}
          kind={
            typeDialog.mode === 'create'
              ? typeDialog.kind
              : (doc.contentTypes[typeDialog.uid]?.kind ?? 'collectionType')
          }
          editing={
            typeDialog.mode === 'edit' && doc.contentTypes[typeDialog.uid]
              ? { uid: typeDialog.uid, definition: doc.contentTypes[typeDialog.uid] }
              : undefined
          }
          onClose={() => setTypeDialog(null)}
          onSave={(newUid, definition) => {
            setDraft(putContentType(draft, newUid, definition));
            setTypeDialog(null);
            void navigate(pathOf({ kind: 'contentType', uid: newUid }));
          }}
        />
      ) : null}
      {componentDialog ? (
        <ComponentDialog
          doc={doc}
          onClose={() => setComponentDialog(false)}
          onSave={(newUid, definition) => {
            setDraft(putComponent(draft, newUid, definition));
            setComponentDialog(false);
            void navigate(pathOf({ kind: 'component', uid: newUid }));
          }}
        />
      ) : null}
      {fieldDialog ? (
        <FieldDialog
          owner={fieldDialog.owner}
          doc={doc}
          editing={fieldDialog.editing}
          onClose={() => setFieldDialog(null)}
          onSave={(s) => saveField(fieldDialog.owner, s)}
        />
      ) : null}
      {viewing && definitionOf(doc, viewing) ? (
        <ViewDialog
          definition={definitionOf(doc, viewing)!}
          component={viewing.kind === 'component'}
          onClose={() => setViewing(null)}
          onSave={(layout) => {
            const def = definitionOf(doc, viewing)!;
            // Done without a change leaves the definition as it was (no layout written for nothing).
            if (!unchangedLayout(def, viewing.kind === 'component', layout))
              setDraft(setLayout(draft, viewing, layout));
            setViewing(null);
          }}
        />
      ) : null}
      {deleting ? (
        <Confirm
          isOpen
          title="folio.builder.delete_title"
          translateOptions={{ name: definitionOf(doc, deleting)?.info.displayName ?? deleting.uid }}
          content={
            <>
              {referencesTo(doc, deleting).length > 0
                ? `${translate('folio.builder.delete_references', {
                    fields: referencesTo(doc, deleting)
                      .map((r) => `${definitionOf(doc, r.owner)?.info.displayName ?? r.owner.uid}.${r.field}`)
                      .join(', '),
                  })} `
                : ''}
              {translate('folio.builder.delete_hint')}
            </>
          }
          confirm="folio.builder.delete"

          onConfirm={() => {
            setDraft(removeDefinition(draft, deleting));
            setDeleting(null);
            void navigate('/content-type-builder');
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
      {plan ? (
        <PlanDialog
          plan={plan.plan}
          doc={doc}
          applying={busy === 'applying'}
          onCancel={() => setPlan(null)}
          onConfirm={(force, acceptSuggested) => void apply(force, acceptSuggested)}
        />
      ) : null}
    </Box>
  );
}
