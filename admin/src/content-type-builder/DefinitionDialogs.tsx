// Create a content type or a component, or edit a type's settings. API names are derived from the
// display name while the person has not typed their own; a stored type's singularName is its uid
// (what relations and permissions name), so it is shown but not editable.
import { useState } from 'react';
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
  const [namesTouched, setNamesTouched] = useState(Boolean(editing));
  const [errors, setErrors] = useState<Record<string, string>>({});
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
    if (!displayName.trim()) e.displayName = 'A display name is required';
    if (!KEBAB.test(singularName)) e.singularName = 'kebab-case: a-z, 0-9 and -, starting with a letter';
    if (!KEBAB.test(pluralName)) e.pluralName = 'kebab-case: a-z, 0-9 and -, starting with a letter';
    if (singularName === pluralName) e.pluralName = 'Must differ from the singular name';
    for (const [key, name] of [
      ['singularName', singularName],
      ['pluralName', pluralName],
    ] as const) {
      if (RESERVED.includes(name)) e[key] = `"${name}" is a reserved route name`;
      const taken = Object.entries(doc.contentTypes).find(
        ([uid, ct]) => uid !== editing?.uid && (ct.info.singularName === name || ct.info.pluralName === name),
      );
      if (taken) e[key] = `Already a name of ${taken[1].info.displayName}`;
    }
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
    const definition: ContentTypeDefinition = {
      ...base,
      kind: typeKind,
      info,
      options: { ...(base.options ?? {}), draftAndPublish },
      attributes: base.attributes,
    };
    if (Object.keys(pluginOptions).length > 0) definition.pluginOptions = pluginOptions;
    else delete definition.pluginOptions;
    onSave(singularName, definition);
  };

  const title = editing
    ? `${initial?.info.displayName} settings`
    : typeKind === 'singleType'
      ? 'Create a single type'
      : 'Create a collection type';
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="type-dialog-title">
      <DialogTitle id="type-dialog-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label="Display name"
            value={displayName}
            onChange={(e) => changeDisplayName(e.target.value)}
            error={Boolean(errors.displayName)}
            helperText={errors.displayName ?? 'How editors see it, e.g. Blog Post'}
            autoFocus
            size="small"
            fullWidth
          />
          <Stack direction="row" spacing={2}>
            <TextField
              label="Singular API name"
              value={singularName}
              onChange={(e) => {
                setNamesTouched(true);
                setSingularName(e.target.value);
              }}
              disabled={uidLocked}
              error={Boolean(errors.singularName)}
              helperText={
                errors.singularName ??
                (uidLocked
                  ? 'The type’s id: it cannot change once created'
                  : 'Names the type in relations and permissions')
              }
              size="small"
              sx={{ flex: 1 }}
            />
            <TextField
              label="Plural API name"
              value={pluralName}
              onChange={(e) => {
                setNamesTouched(true);
                setPluralName(e.target.value);
              }}
              error={Boolean(errors.pluralName)}
              helperText={
                errors.pluralName ?? `GET /api/${typeKind === 'singleType' ? singularName || '…' : pluralName || '…'}`
              }
              size="small"
              sx={{ flex: 1 }}
            />
          </Stack>
          <TextField
            select
            label="Kind"
            value={typeKind}
            onChange={(e) => setTypeKind(e.target.value as ContentTypeDefinition['kind'])}
            helperText={
              typeKind === 'singleType' ? 'One entry (a home page, site settings)' : 'Many entries (articles, products)'
            }
            size="small"
            fullWidth
            slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
          >
            <option value="collectionType">Collection type</option>
            <option value="singleType">Single type</option>
          </TextField>
          <TextField
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            size="small"
            fullWidth
            multiline
          />
          <FormGroup>
            <FormControlLabel
              control={<Checkbox checked={draftAndPublish} onChange={(e) => setDraftAndPublish(e.target.checked)} />}
              label="Draft & publish — entries are drafts until published"
            />
            <FormControlLabel
              control={<Checkbox checked={localized} onChange={(e) => setLocalized(e.target.checked)} />}
              label="Localized — entries have a version per locale"
            />
          </FormGroup>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={save}>
          {editing ? 'Done' : 'Continue'}
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
  const categories = [...new Set(Object.keys(doc.components).map((uid) => uid.split('.')[0]))].sort();

  const save = () => {
    const e: Record<string, string> = {};
    if (!displayName.trim()) e.displayName = 'A display name is required';
    if (!KEBAB.test(category)) e.category = 'kebab-case: a-z, 0-9 and -, starting with a letter';
    if (!KEBAB.test(name)) e.name = 'kebab-case: a-z, 0-9 and -, starting with a letter';
    else if (doc.components[`${category}.${name}`]) e.name = `${category}.${name} already exists`;
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    onSave(`${category}.${name}`, { info: { displayName: displayName.trim() }, attributes: {} });
  };

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="component-dialog-title">
      <DialogTitle id="component-dialog-title">Create a component</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label="Display name"
            value={displayName}
            onChange={(e) => {
              setDisplayName(e.target.value);
              if (!nameTouched) setName(kebab(e.target.value));
            }}
            error={Boolean(errors.displayName)}
            helperText={errors.displayName ?? 'e.g. SEO, Quote, Call to action'}
            autoFocus
            size="small"
            fullWidth
          />
          <TextField
            label="Category"
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            error={Boolean(errors.category)}
            helperText={
              errors.category ??
              (categories.length ? `Existing: ${categories.join(', ')}` : 'Groups components, e.g. shared')
            }
            size="small"
            fullWidth
          />
          <TextField
            label="API name"
            value={name}
            onChange={(e) => {
              setNameTouched(true);
              setName(e.target.value);
            }}
            error={Boolean(errors.name)}
            helperText={errors.name ?? `Its id: ${category || 'category'}.${name || 'name'}`}
            size="small"
            fullWidth
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={save}>
          Continue
        </Button>
      </DialogActions>
    </Dialog>
  );
}
