// A role's permission matrix: content types × (create read update delete publish) and system
// subjects × (read create update delete). A granted permission can be narrowed, under "Details",
// to some fields (content types) and to conditions: the built-ins and a CASL query written as JSON.
// Everything is saved at once through PUT /admin-api/roles/:id/permissions, which replaces the
// role's permissions; rows the matrix does not know (a type removed since) are kept as they were.
// ContentApiMatrix is the same table for the Content API's actions per type, over an allow list:
// an API token's (whole grants only, no Details) or a member role's and the Public role's, whose
// grants Details narrow to some fields and (member roles) to the member's own entries.
import { useId, useMemo, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Checkbox,
  Chip,
  Collapse,
  FormControlLabel,
  IconButton,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import {
  ADMIN_ACTION_WORDS,
  ALL_TYPES,
  API_ACTION_WORDS,
  CONDITION_LABELS,
  saveRolePermissions,
  SUPER_ADMIN_ONLY,
  SYSTEM_LABELS,
  useAdminApi,
  type BuiltinCondition,
  type Catalogue,
  type PermissionConditions,
  type RolePermission,
} from './permissions';
import { inFieldOrder, limitsOffered, toAllowList, toMemberMatrix, withGrant } from './memberPermissions';
import { useWarnOnLeave } from '../useWarnOnLeave';
import { useEdits } from '../useEdits';

interface Grant {
  fields: string[] | null;
  builtins: BuiltinCondition[];
  /** The custom query as the user types it; '' for none. */
  queryText: string;
  /** A member role's `type.update:own`, `type.find:own`…: on the member's own entries only. */
  own?: boolean;
}

/** How a grant on one cell may be narrowed, under Details; null where it cannot be. */
interface Narrowing {
  /** The fields it may be limited to; undefined where fields do not apply. */
  fields?: string[];
  /** It may be limited to the member's own entries. */
  own: boolean;
  /** The built-in conditions offered (admin roles). */
  conditions: BuiltinCondition[];
  /** A custom condition query may be written (admin roles). */
  query: boolean;
}

interface Row {
  subject: string;
  label: string;
  actions: string[];
  /** Field names a grant may be narrowed to; undefined where fields do not apply. */
  fields?: string[];
  /** The type has an owner: a member role's grant may be on own entries only. */
  owner?: boolean;
  /** A line under the label: where the row's API answers. */
  caption?: string;
  disabled?: string;
}

const key = (subject: string, action: string) => `${subject}\u0000${action}`;

/** A message for the editor: its i18n key and the values it names. */
interface Problem {
  key: string;
  args?: Record<string, string>;
}

/** "Read Article": an action (its words from `words`, else its name) on a row. */
function usePermissionLabel(words: Record<string, string>): (action: string, subject: string) => string {
  const translate = useTranslate();
  return (action, subject) =>
    translate('folio.permissions.permission', {
      action: words[action] ? translate(words[action]) : action,
      subject,
    });
}

function grantOf(p: RolePermission): Grant {
  return {
    fields: p.fields,
    builtins: p.conditions?.builtins ?? [],
    queryText:
      p.conditions?.query && Object.keys(p.conditions.query).length ? JSON.stringify(p.conditions.query, null, 2) : '',
  };
}

/** The query text as an object, or what the editor should fix. */
function parseQuery(text: string): { query?: Record<string, unknown>; error?: Problem } {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { error: { key: 'folio.permissions.query_not_object' } };
    return { query: value as Record<string, unknown> };
  } catch (err) {
    // The parser's own words point at where it stopped: kept, after what to check.
    const error = err instanceof Error ? err.message : String(err);
    return { error: { key: 'folio.permissions.query_invalid', args: { error } } };
  }
}

function toPermission(subject: string, action: string, grant: Grant): RolePermission {
  const { query } = parseQuery(grant.queryText);
  const conditions: PermissionConditions = {};
  if (grant.builtins.length) conditions.builtins = grant.builtins;
  if (query) conditions.query = query;
  return {
    action,
    subject,
    fields: grant.fields?.length ? grant.fields : null,
    conditions: Object.keys(conditions).length ? conditions : null,
  };
}

function GrantDetails({
  row,
  action,
  words,
  grant,
  narrowing,
  readOnly,
  onChange,
}: {
  row: Row;
  action: string;
  words: Record<string, string>;
  grant: Grant;
  narrowing: Narrowing;
  readOnly: boolean;
  onChange: (grant: Grant) => void;
}) {
  const translate = useTranslate();
  const permission = usePermissionLabel(words)(action, row.label);
  const { error } = parseQuery(grant.queryText);
  const fields = narrowing.fields;
  return (
    <Box component="fieldset" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5, m: 0, minWidth: 0 }}>
      <Typography component="legend" variant="subtitle2" sx={{ px: 0.5 }}>
        {permission}
      </Typography>
      <Stack spacing={1.5}>
        {narrowing.own ? (
          <FormControlLabel
            disabled={readOnly}
            control={
              <Checkbox
                size="small"
                checked={grant.own === true}
                onChange={(event) => onChange({ ...grant, own: event.target.checked })}
              />
            }
            label={translate('folio.permissions.own')}
          />
        ) : null}
        {fields ? (
          <Autocomplete
            multiple
            disableCloseOnSelect
            size="small"
            options={fields}
            value={grant.fields ?? []}
            disabled={readOnly}
            // Kept in the type's attribute order, the order the server answers them in.
            onChange={(_event, value) =>
              onChange({ ...grant, fields: value.length ? inFieldOrder(value, fields) : null })
            }
            renderInput={(params) => (
              <TextField
                {...params}
                label={translate('folio.permissions.fields', { permission })}
                helperText={translate('folio.permissions.fields_help')}
              />
            )}
          />
        ) : null}
        {narrowing.conditions.length ? (
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
            {narrowing.conditions.map((c) => (
              <FormControlLabel
                key={c}
                disabled={readOnly}
                control={
                  <Checkbox
                    size="small"
                    checked={grant.builtins.includes(c)}
                    onChange={(event) =>
                      onChange({
                        ...grant,
                        builtins: event.target.checked ? [...grant.builtins, c] : grant.builtins.filter((b) => b !== c),
                      })
                    }
                  />
                }
                label={CONDITION_LABELS[c] ? translate(CONDITION_LABELS[c]) : c}
              />
            ))}
          </Stack>
        ) : null}
        {narrowing.query ? (
          <TextField
            label={translate('folio.permissions.query', { permission })}
            multiline
            minRows={2}
            size="small"
            value={grant.queryText}
            disabled={readOnly}
            onChange={(event) => onChange({ ...grant, queryText: event.target.value })}
            error={Boolean(error)}
            helperText={error ? translate(error.key, error.args) : translate('folio.permissions.query_help')}
            slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
          />
        ) : null}
      </Stack>
    </Box>
  );
}

/** A column's heading: the action in words, and (`showName`) its API name under them. */
function ActionHeading({ action, words, showName }: { action: string; words: string; showName: boolean }) {
  const translate = useTranslate();
  return (
    <TableCell align="center" component="th" scope="col">
      {words ? translate(words) : action}
      {showName ? (
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', fontFamily: 'monospace' }}>
          {action}
        </Typography>
      ) : null}
    </TableCell>
  );
}

/** What a cell's grant is limited to, in a word or two ("own only · 3 of 7 fields"); '' for nothing. */
function useLimitsText(): (grant: Grant | undefined, total: number) => string {
  const translate = useTranslate();
  return (grant, total) =>
    [
      grant?.own ? translate('folio.permissions.own_short') : '',
      grant?.fields ? translate('folio.permissions.some_fields', { count: grant.fields.length, total }) : '',
    ]
      .filter(Boolean)
      .join(' · ');
}

/** Narrows a grant under Details, and says what a cell may be narrowed to. */
interface SectionDetails {
  narrowing: (row: Row, action: string) => Narrowing | null;
  onGrant: (subject: string, action: string, grant: Grant) => void;
}

const isNarrowed = (g: Grant) =>
  g.fields !== null || g.builtins.length > 0 || g.queryText.trim() !== '' || g.own === true;

/** A row of the matrix: its boxes, and (`details`) the Details of the grants that can be narrowed. */
function MatrixRow({
  row,
  columns,
  words,
  grants,
  readOnly,
  onToggle,
  details,
  expanded,
  onExpand,
}: {
  row: Row;
  columns: string[];
  words: Record<string, string>;
  grants: Map<string, Grant>;
  readOnly: boolean;
  onToggle: (subject: string, action: string, on: boolean) => void;
  details?: SectionDetails;
  expanded: boolean;
  onExpand: () => void;
}) {
  const translate = useTranslate();
  const permission = usePermissionLabel(words);
  const limitsText = useLimitsText();
  const id = useId();
  const grantOn = (action: string) => grants.get(key(row.subject, action));
  const narrowed = row.actions.some((a) => {
    const g = grantOn(a);
    return g !== undefined && isNarrowed(g);
  });
  const narrowable = details
    ? row.actions.flatMap((action) => {
        const narrowing = grantOn(action) ? details.narrowing(row, action) : null;
        return narrowing ? [{ action, narrowing }] : [];
      })
    : [];
  return (
    <>
      <TableRow hover>
        <TableCell component="th" scope="row">
          {row.label}
          {narrowed ? <Chip size="small" label={translate('folio.permissions.restricted')} sx={{ ml: 1 }} /> : null}
          {row.caption ? (
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block', fontFamily: 'monospace' }}>
              {row.caption}
            </Typography>
          ) : null}
          {row.disabled ? (
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
              {row.disabled}
            </Typography>
          ) : null}
        </TableCell>
        {columns.map((action) => {
          const limits = limitsText(grantOn(action), row.fields?.length ?? 0);
          const limitsId = `${id}-${action}-limits`;
          return (
            <TableCell key={action} align="center" padding="checkbox">
              {row.actions.includes(action) ? (
                <Checkbox
                  checked={grantOn(action) !== undefined}
                  disabled={readOnly || Boolean(row.disabled)}
                  onChange={(event) => onToggle(row.subject, action, event.target.checked)}
                  slotProps={{
                    input: {
                      'aria-label': permission(action, row.label),
                      // The limits under the box are read out with it.
                      'aria-describedby': limits ? limitsId : undefined,
                    },
                  }}
                />
              ) : null}
              {limits ? (
                <Typography
                  id={limitsId}
                  variant="caption"
                  color="text.secondary"
                  sx={{ display: 'block', whiteSpace: 'nowrap', pb: 0.5 }}
                >
                  {limits}
                </Typography>
              ) : null}
            </TableCell>
          );
        })}
        {details ? (
          <TableCell align="right">
            <IconButton
              size="small"
              disabled={narrowable.length === 0}
              aria-label={translate('folio.permissions.details_of', { subject: row.label })}
              aria-expanded={expanded}
              onClick={onExpand}
            >
              {expanded ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            </IconButton>
          </TableCell>
        ) : null}
      </TableRow>
      {details && expanded && narrowable.length ? (
        <TableRow>
          <TableCell colSpan={columns.length + 2} sx={{ bgcolor: 'action.hover' }}>
            <Collapse in>
              <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 1.5, py: 1 }}>
                {narrowable.map(({ action, narrowing }) => (
                  <GrantDetails
                    key={action}
                    row={row}
                    action={action}
                    words={words}
                    grant={grantOn(action)!}
                    narrowing={narrowing}
                    readOnly={readOnly}
                    onChange={(g) => details.onGrant(row.subject, action, g)}
                  />
                ))}
              </Box>
            </Collapse>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}

/**
 * One table of the matrix. Without `details` a grant cannot be narrowed (an API token's permissions
 * are whole): no Details column; with it, `narrowing` says what each cell's grant may be narrowed
 * to. `words` names the actions (i18n keys); `showNames` adds their API names under the headings,
 * as the Content API's documentation calls them.
 */
function MatrixSection({
  title,
  rows,
  columns,
  words,
  showNames = false,
  grants,
  readOnly,
  onToggle,
  details,
}: {
  title: string;
  rows: Row[];
  columns: string[];
  words: Record<string, string>;
  showNames?: boolean;
  grants: Map<string, Grant>;
  readOnly: boolean;
  onToggle: (subject: string, action: string, on: boolean) => void;
  details?: SectionDetails;
}) {
  const translate = useTranslate();
  const [open, setOpen] = useState<Set<string>>(new Set());
  return (
    <TableContainer component={Box} sx={{ mb: 3 }}>
      <Table size="small" aria-label={title}>
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              {title}
            </TableCell>
            {columns.map((a) => (
              <ActionHeading key={a} action={a} words={words[a] ?? ''} showName={showNames} />
            ))}
            {details ? <TableCell align="right">{translate('folio.permissions.details')}</TableCell> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <MatrixRow
              key={row.subject}
              row={row}
              columns={columns}
              words={words}
              grants={grants}
              readOnly={readOnly}
              onToggle={onToggle}
              details={details}
              expanded={open.has(row.subject)}
              onExpand={() =>
                setOpen((s) => {
                  const next = new Set(s);
                  if (next.has(row.subject)) next.delete(row.subject);
                  else next.add(row.subject);
                  return next;
                })
              }
            />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

export function PermissionMatrix({
  roleId,
  superAdmin,
  canUpdate,
}: {
  roleId: string | number;
  superAdmin: boolean;
  canUpdate: boolean;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const catalogue = useAdminApi<Catalogue>('/permissions/catalogue');
  const saved = useAdminApi<RolePermission[]>(`/roles/${encodeURIComponent(String(roleId))}/permissions`);
  const edits = useEdits(saved.data, (stored) => new Map(stored.map((p) => [key(p.subject, p.action), grantOf(p)])));
  const grants = edits.value ?? new Map<string, Grant>();
  const dirty = edits.dirty;
  const [saving, setSaving] = useState(false);
  const readOnly = superAdmin || !canUpdate;
  useWarnOnLeave(dirty);

  const { contentRows, systemRows, contentColumns, systemColumns } = useMemo(() => {
    const data = catalogue.data;
    if (!data) return { contentRows: [], systemRows: [], contentColumns: [], systemColumns: [] };
    const types = new Map(data.contentTypes.map((t) => [t.uid, t]));
    const content = data.admin.filter((c) => c.kind === 'content');
    const system = data.admin.filter((c) => c.kind === 'system');
    const contentColumns = [...new Set(content.flatMap((c) => c.actions))];
    const systemColumns = [...new Set(system.flatMap((c) => c.actions))];
    return {
      contentColumns: contentColumns.length ? contentColumns : ['create', 'read', 'update', 'delete', 'publish'],
      systemColumns,
      contentRows: [
        {
          subject: ALL_TYPES,
          label: translate('folio.permissions.every_type'),
          actions: contentColumns.length ? contentColumns : ['create', 'read', 'update', 'delete', 'publish'],
        },
        ...content.map((c) => ({
          subject: c.subject,
          label: types.get(c.subject)?.displayName ?? c.subject,
          actions: c.actions,
          fields: types.get(c.subject)?.fields ?? [],
        })),
      ] as Row[],
      systemRows: system.map((c) => ({
        subject: c.subject,
        label: SYSTEM_LABELS[c.subject] ? translate(SYSTEM_LABELS[c.subject]) : c.subject,
        actions: c.actions,
        disabled: SUPER_ADMIN_ONLY.includes(c.subject) ? translate('folio.permissions.super_admin_only') : undefined,
      })),
    };
  }, [catalogue.data, translate]);

  const known = useMemo(
    () => new Set([...contentRows, ...systemRows].flatMap((r) => r.actions.map((a) => key(r.subject, a)))),
    [contentRows, systemRows],
  );

  const change = (update: (next: Map<string, Grant>) => void) =>
    edits.edit((current) => {
      const next = new Map(current);
      update(next);
      return next;
    });

  const invalid = [...grants.values()].some((g) => parseQuery(g.queryText).error);

  const save = async () => {
    setSaving(true);
    try {
      // Rows the matrix shows come from its state; any other stored row is sent back untouched.
      const shown = [...grants.entries()]
        .filter(([k]) => known.has(k))
        .map(([k, g]) => {
          const [subject, action] = k.split('\u0000');
          return toPermission(subject, action, g);
        });
      const kept = (saved.data ?? []).filter((p) => !known.has(key(p.subject, p.action)));
      await saveRolePermissions(roleId, [...shown, ...kept]);
      notify('folio.permissions.saved', { type: 'success' });
      saved.reload();
    } catch (err) {
      notify(err instanceof Error ? err.message : 'folio.permissions.save_failed', { type: 'error' });
    } finally {
      setSaving(false);
    }
  };

  if (catalogue.error || saved.error)
    return <Alert severity="error">{(catalogue.error ?? saved.error)?.message}</Alert>;
  if (!catalogue.data || !saved.data) return <LinearProgress aria-label={translate('folio.permissions.loading')} />;

  const toggle = (subject: string, action: string, on: boolean) =>
    change((next) => {
      if (on) next.set(key(subject, action), { fields: null, builtins: [], queryText: '' });
      else next.delete(key(subject, action));
    });
  const setGrant = (subject: string, action: string, grant: Grant) =>
    change((next) => next.set(key(subject, action), grant));
  // An admin role's grant takes fields (content types), the built-in conditions and a query.
  const { conditions } = catalogue.data;
  const details: SectionDetails = {
    narrowing: (row) => ({ fields: row.fields, own: false, conditions, query: true }),
    onGrant: setGrant,
  };
  // Super Admin may do everything: every box shows checked.
  const shown = superAdmin
    ? new Map([...known].map((k) => [k, { fields: null, builtins: [], queryText: '' }]))
    : grants;

  return (
    <Box
      component="section"
      aria-label={translate('folio.permissions.title')}
      sx={{ p: 2, borderTop: 1, borderColor: 'divider' }}
    >
      <Box>
        <Typography variant="h6" component="h2" gutterBottom>
          {translate('folio.permissions.title')}
        </Typography>
        {superAdmin ? (
          <Alert severity="info" sx={{ mb: 2 }}>
            {translate('folio.permissions.super_admin')}
          </Alert>
        ) : null}
        <MatrixSection
          title={translate('folio.permissions.content_types')}
          rows={contentRows}
          columns={contentColumns}
          words={ADMIN_ACTION_WORDS}
          grants={shown}
          readOnly={readOnly}
          onToggle={toggle}
          details={details}
        />
        <MatrixSection
          title={translate('folio.permissions.system')}
          rows={systemRows}
          columns={systemColumns}
          words={ADMIN_ACTION_WORDS}
          grants={shown}
          readOnly={readOnly}
          onToggle={toggle}
          details={details}
        />
        {readOnly ? null : (
          <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
            <Button disabled={!dirty || saving} onClick={() => edits.discard()}>
              {translate('folio.permissions.undo')}
            </Button>
            <Button variant="contained" disabled={!dirty || saving || invalid} onClick={() => void save()}>
              {translate('folio.permissions.save')}
            </Button>
          </Stack>
        )}
      </Box>
    </Box>
  );
}

/** A whole grant, as a Content API permission is: no fields, no conditions. */
const WHOLE: Grant = { fields: null, builtins: [], queryText: '' };

/**
 * The Content API's permissions ("type.action", catalogue.contentApi) as matrix rows, one per
 * subject, each with the route it answers on; `shown` keeps those actions only, in its order.
 */
function contentApiRows(
  catalogue: Catalogue,
  translate: (key: string) => string,
  shown?: readonly string[],
): { rows: Row[]; columns: string[] } {
  const types = new Map(catalogue.contentTypes.map((t) => [t.uid, t]));
  const actions = new Map<string, string[]>();
  for (const item of catalogue.contentApi) {
    const dot = item.lastIndexOf('.');
    const [subject, action] = [item.slice(0, dot), item.slice(dot + 1)];
    if (!shown || shown.includes(action)) actions.set(subject, [...(actions.get(subject) ?? []), action]);
  }
  const rows = [...actions].map(([subject, list]): Row => {
    const type = types.get(subject);
    if (!type)
      return {
        subject,
        label: SYSTEM_LABELS[subject] ? translate(SYSTEM_LABELS[subject]) : subject,
        caption: subject === 'upload' ? '/api/upload/files' : undefined,
        actions: list,
      };
    const route = type.kind === 'singleType' ? type.uid : type.pluralName;
    return {
      subject,
      label: type.displayName,
      caption: `/api/${route}`,
      actions: list,
      fields: type.fields,
      owner: type.owner !== undefined,
    };
  });
  const present = new Set(rows.flatMap((r) => r.actions));
  return { rows, columns: shown ? shown.filter((a) => present.has(a)) : [...present] };
}

/** What a member role's grant (`member`) or the Public role's (`public`) may be narrowed to. */
function memberNarrowing(role: 'public' | 'member') {
  return (row: Row, action: string): Narrowing | null => {
    const offered = limitsOffered(role, action, row.fields ? { owner: row.owner === true } : undefined);
    if (!offered.fields && !offered.own) return null;
    return { fields: offered.fields ? row.fields : undefined, own: offered.own, conditions: [], query: false };
  };
}

/**
 * The matrix for what a caller may do on the Content API: the same table as a role's, with the
 * Content API's actions (find, findOne, create, update, delete, findDrafts; `actions` shows some
 * only) per content type and the media library. `value` and `onChange` carry the server's allow
 * list. An API token's grants are whole; a member role's or the Public role's (`role`) may be
 * narrowed under Details. Items the table does not show are kept as they were.
 */
export function ContentApiMatrix({
  catalogue,
  value,
  onChange,
  disabled = false,
  title,
  role,
  actions,
}: {
  catalogue: Catalogue;
  value: readonly string[];
  onChange: (allow: string[]) => void;
  disabled?: boolean;
  title: string;
  role?: 'public' | 'member';
  actions?: readonly string[];
}) {
  const translate = useTranslate();
  const { rows, columns } = useMemo(
    () => contentApiRows(catalogue, translate, actions),
    [catalogue, translate, actions],
  );
  const known = useMemo(() => new Set(catalogue.contentApi), [catalogue]);
  const state = toMemberMatrix(value, known);
  const grants = new Map(
    state.grants.map((g) => [key(g.subject, g.action), { ...WHOLE, own: g.own, fields: g.fields }] as const),
  );
  const set = (subject: string, action: string, limits: { own: boolean; fields: string[] | null } | null) =>
    onChange(toAllowList(withGrant(state, subject, action, limits)));
  const details: SectionDetails | undefined = role && {
    narrowing: memberNarrowing(role),
    onGrant: (subject, action, g) => set(subject, action, { own: g.own === true, fields: g.fields }),
  };
  return (
    <MatrixSection
      title={title}
      rows={rows}
      columns={columns}
      words={API_ACTION_WORDS}
      showNames
      grants={grants}
      readOnly={disabled}
      onToggle={(subject, action, on) => set(subject, action, on ? { own: false, fields: null } : null)}
      details={details}
    />
  );
}
