// Create a content type or a component, or edit a type's settings. API names are derived from the
// display name while the person has not typed their own; a stored type's singularName is its uid
// (what relations and permissions name), so it is shown but not editable.
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  FormGroup,
  Stack,
  TextField,
} from '@mui/material';
import { RetentionFields, retentionErrors, retentionOption, retentionState } from './RetentionFields';
import { kebab, pluralize, type ComponentDefinition, type ContentTypeDefinition, type SchemaDocument } from './model';

const KEBAB = /^[a-z][a-z0-9-]*$/;
const RESERVED = ['upload', 'auth', 'users', 'docs', 'openapi.json'];

interface TypeProps {
  doc: SchemaDocument;
  kind: ContentTypeDefinition['kind'];
  /** The stored or drafted type whose settings are edited; absent to create one. */
  editing?: { uid: string; definition: ContentTypeDefinition };
  onClose: () => void;
  onSave: (uid: string, definition: ContentTypeDefinition) => void;
}

export function ContentTypeDialog({ doc, kind, editing, onClose, onSave }: TypeProps) {
  const initial = editing?.definition;
  const [displayName, setDisplayName] = useState(initial?.info.displayName ?? '');
  const [singularName, setSingularName] = useState(initial?.info.singularName ?? '');
  const [pluralName, setPluralName] = useState(initial?.info.pluralName ?? '');
  const [description, setDescription] = useState(initial?.info.description ?? '');
  const [typeKind, setTypeKind] = useState<ContentTypeDefinition['kind']>(initial?.kind ?? kind);
  const [draftAndPublish, setDraftAndPublish] = useState(initial ? initial.options?.draftAndPublish !== false : true);
  const [localized, setLocalized] = useState(initial?.pluginOptions?.i18n?.localized === true);
  const [previewUrl, setPreviewUrl] = useState(initial?.options?.previewUrl ?? '');
  const [retention, setRetention] = useState(() => retentionState(initial?.options?.revisions));
  const [namesTouched, setNamesTouched] = useState(Boolean(editing));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const translate = useTranslate();
  // The singularName is the type's key (relations and permissions name it): fixed once created.
  const uidLocked = editing !== undefined;

  const changeDisplayName = (value: string) => {
    setDisplayName(value);
    if (!namesTouched) {
      const singular = kebab(value);
      if (!uidLocked) setSingularName(singular);
      setPluralName(pluralize(singular));
    }
  };

  const save = () => {
    const e: Record<string, string> = {};
    if (!displayName.trim()) e.displayName = translate('folio.builder.errors.display_name');
    if (!KEBAB.test(singularName)) e.singularName = translate('folio.builder.errors.api_name');
    if (!KEBAB.test(pluralName)) e.pluralName = translate('folio.builder.errors.api_name');
    if (singularName === pluralName) e.pluralName = translate('folio.builder.errors.plural_same');
    for (const [key, name] of [
      ['singularName', singularName],
      ['pluralName', pluralName],
    ] as const) {
      if (RESERVED.includes(name)) e[key] = translate('folio.builder.errors.reserved', { name });
      const taken = Object.entries(doc.contentTypes).find(
        ([uid, ct]) => uid !== editing?.uid && (ct.info.singularName === name || ct.info.pluralName === name),
      );
      if (taken) e[key] = translate('folio.builder.errors.api_name_taken', { name: taken[1].info.displayName });
    }
    // The server checks the rest (the fields named, the URL once filled) when the schema is saved.
    if (previewUrl.trim() && !/^https?:\/\//i.test(previewUrl.trim()))
      e.previewUrl = translate('folio.preview.url_invalid');
    for (const [key, message] of Object.entries(retentionErrors(retention))) e[key] = translate(message);
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    const base: ContentTypeDefinition = initial ?? {
      kind: typeKind,
      info: { singularName, pluralName, displayName },
      attributes: {},
    };
    const info: ContentTypeDefinition['info'] = {
      ...base.info,
      singularName,
      pluralName,
      displayName: displayName.trim(),
    };
    if (description.trim()) info.description = description.trim();
    else delete info.description;
    const pluginOptions = { ...(base.pluginOptions ?? {}) };
    if (localized) pluginOptions.i18n = { ...(pluginOptions.i18n ?? {}), localized: true };
    else delete pluginOptions.i18n;
    const options: NonNullable<ContentTypeDefinition['options']> = { ...(base.options ?? {}), draftAndPublish };
    if (previewUrl.trim()) options.previewUrl = previewUrl.trim();
    else delete options.previewUrl;
    const revisions = retentionOption(retention);
    if (revisions === undefined) delete options.revisions;
    else options.revisions = revisions;
    const definition: ContentTypeDefinition = { ...base, kind: typeKind, info, options, attributes: base.attributes };
    if (Object.keys(pluginOptions).length > 0) definition.pluginOptions = pluginOptions;
    else delete definition.pluginOptions;
    onSave(singularName, definition);
  };

  const title = editing
    ? translate('folio.builder.type.settings_title', { name: initial?.info.displayName })
    : translate(
        typeKind === 'singleType' ? 'folio.builder.create_single_type' : 'folio.builder.create_collection_type',
      );
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="type-dialog-title">
      <DialogTitle id="type-dialog-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label={translate('folio.builder.type.display_name')}
            value={displayName}
            onChange={(e) => changeDisplayName(e.target.value)}
            error={Boolean(errors.displayName)}
            helperText={errors.displayName ?? translate('folio.builder.type.display_name_help')}
            autoFocus
            size="small"
            fullWidth
          />
          <Stack direction="row" spacing={2}>
            <TextField
              label={translate('folio.builder.type.singular')}
              value={singularName}
              onChange={(e) => {
                setNamesTouched(true);
                setSingularName(e.target.value);
              }}
              disabled={uidLocked}
              error={Boolean(errors.singularName)}
              helperText={
                errors.singularName ??
                translate(uidLocked ? 'folio.builder.type.singular_locked' : 'folio.builder.type.singular_help')
              }
              size="small"
              sx={{ flex: 1 }}
            />
            <TextField
              label={translate('folio.builder.type.plural')}
              value={pluralName}
              onChange={(e) => {
                setNamesTouched(true);
                setPluralName(e.target.value);
              }}
              error={Boolean(errors.pluralName)}
              helperText={
                errors.pluralName ??
                translate('folio.builder.type.plural_help', {
                  path: `/api/${typeKind === 'singleType' ? singularName || '…' : pluralName || '…'}`,
                })
              }
              size="small"
              sx={{ flex: 1 }}
            />
          </Stack>
          <TextField
            select
            label={translate('folio.builder.type.kind')}
            value={typeKind}
            onChange={(e) => setTypeKind(e.target.value as ContentTypeDefinition['kind'])}
            helperText={translate(
              typeKind === 'singleType' ? 'folio.builder.type.single_help' : 'folio.builder.type.collection_help',
            )}
            size="small"
            fullWidth
            slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
          >
            <option value="collectionType">{translate('folio.builder.collection_type')}</option>
            <option value="singleType">{translate('folio.builder.single_type')}</option>
          </TextField>
          <TextField
            label={translate('folio.builder.type.description')}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            size="small"
            fullWidth
            multiline
          />
          <TextField
            label={translate('folio.preview.url')}
            value={previewUrl}
            onChange={(e) => setPreviewUrl(e.target.value)}
            error={Boolean(errors.previewUrl)}
            helperText={errors.previewUrl ?? translate('folio.preview.url_help')}
            placeholder="https://example.com/preview?slug={slug}&locale={locale}&token={token}"
            size="small"
            fullWidth
          />
          <FormGroup>
            <FormControlLabel
              control={<Checkbox checked={draftAndPublish} onChange={(e) => setDraftAndPublish(e.target.checked)} />}
              label={translate('folio.builder.type.draft_and_publish')}
            />
            <FormControlLabel
              control={<Checkbox checked={localized} onChange={(e) => setLocalized(e.target.checked)} />}
              label={translate('folio.builder.type.localized')}
            />
          </FormGroup>
          <RetentionFields
            state={retention}
            errors={{ keep: errors.keep, maxAgeDays: errors.maxAgeDays }}
            onChange={setRetention}
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('folio.builder.cancel')}</Button>
        <Button variant="contained" onClick={save}>
          {translate(editing ? 'folio.builder.done' : 'folio.builder.continue')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

interface ComponentProps {
  doc: SchemaDocument;
  onClose: () => void;
  onSave: (uid: string, definition: ComponentDefinition) => void;
}

/** A new component: `<category>.<name>`, as Strapi names them. */
export function ComponentDialog({ doc, onClose, onSave }: ComponentProps) {
  const [displayName, setDisplayName] = useState('');
  const [category, setCategory] = useState('');
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const translate = useTranslate();
  const categories = [...new Set(Object.keys(doc.components).map((uid) => uid.split('.')[0]))].sort();

  const save = () => {
    const e: Record<string, string> = {};
    if (!displayName.trim()) e.displayName = translate('folio.builder.errors.display_name');
    if (!KEBAB.test(category)) e.category = translate('folio.builder.errors.api_name');
    if (!KEBAB.test(name)) e.name = translate('folio.builder.errors.api_name');
    else if (doc.components[`${category}.${name}`]) {
      e.name = translate('folio.builder.errors.component_exists', { uid: `${category}.${name}` });
    }
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    onSave(`${category}.${name}`, { info: { displayName: displayName.trim() }, attributes: {} });
  };

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="component-dialog-title">
      <DialogTitle id="component-dialog-title">{translate('folio.builder.create_component')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label={translate('folio.builder.type.display_name')}
            value={displayName}
            onChange={(e) => {
              setDisplayName(e.target.value);
              if (!nameTouched) setName(kebab(e.target.value));
            }}
            error={Boolean(errors.displayName)}
            helperText={errors.displayName ?? translate('folio.builder.component.display_name_help')}
            autoFocus
            size="small"
            fullWidth
          />
          <TextField
            label={translate('folio.builder.component.category')}
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            error={Boolean(errors.category)}
            helperText={
              errors.category ??
              (categories.length
                ? translate('folio.builder.component.categories', { names: categories.join(', ') })
                : translate('folio.builder.component.category_help'))
            }
            size="small"
            fullWidth
          />
          <TextField
            label={translate('folio.builder.component.api_name')}
            value={name}
            onChange={(e) => {
              setNameTouched(true);
              setName(e.target.value);
            }}
            error={Boolean(errors.name)}
            helperText={
              errors.name ??
              translate('folio.builder.component.id', {
                uid: `${category || translate('folio.builder.component.category_placeholder')}.${
                  name || translate('folio.builder.component.name_placeholder')
                }`,
              })
            }
            size="small"
            fullWidth
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('folio.builder.cancel')}</Button>
        <Button variant="contained" onClick={save}>
          {translate('folio.builder.continue')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
