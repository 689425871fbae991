// Add or edit one field: its name, its type and the options of that type. Selects are native
// (keyboard- and screen-reader-friendly, one label each). Renaming a stored field is recorded as a
// rename, so its data is kept; the type's page shows it until Save.
import { useState, type ChangeEvent, type ReactNode } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import {
  ATTRIBUTE_TYPES,
  definitionOf,
  pluralize,
  typeLabel,
  type Attribute,
  type AttributeType,
  type MediaKind,
  type Owner,
  type RelationKind,
  type SchemaDocument,
} from './model';
import {
  DEFAULTABLE_TYPES,
  emptyForm,
  formOf,
  INDEXABLE_TYPES,
  MEDIA_KINDS,
  NUMBER_TYPES,
  RELATION_KINDS,
  STRING_TYPES,
  suggestInverse,
  toAttribute,
  type FieldForm,
  type FormErrors,
} from './fieldForm';

export interface FieldSave {
  previous: string | null;
  name: string;
  attribute: Attribute;
  inverse?: { name: string };
}

interface Props {
  owner: Owner;
  doc: SchemaDocument;
  /** The field being edited; absent for a new field. */
  editing?: { name: string; attribute: Attribute; renamedFrom?: string };
  onClose: () => void;
  onSave: (save: FieldSave) => void;
}

function relationSentence(kind: RelationKind, one: string, other: string): string {
  const a = (name: string) => (/^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`);
  const many = (name: string) => pluralize(name.toLowerCase());
  switch (kind) {
    case 'oneToOne':
      return `one-to-one: ${a(one)} has one ${other}, ${a(other)} has one ${one}`;
    case 'oneToMany':
      return `one-to-many: ${a(one)} has many ${many(other)}, ${a(other)} belongs to one ${one}`;
    case 'manyToOne':
      return `many-to-one: ${a(one)} belongs to one ${other}, ${a(other)} has many ${many(one)}`;
    case 'manyToMany':
      return `many-to-many: ${a(one)} has many ${many(other)}, ${a(other)} has many ${many(one)}`;
  }
}

function NativeSelect(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  error?: string;
  helperText?: string;
  disabled?: boolean;
}) {
  return (
    <TextField
      select
      label={props.label}
      value={props.value}
      onChange={(e: ChangeEvent<HTMLInputElement>) => props.onChange(e.target.value)}
      error={Boolean(props.error)}
      helperText={props.error ?? props.helperText}
      disabled={props.disabled}
      fullWidth
      size="small"
      slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
    >
      {props.children}
    </TextField>
  );
}

export function FieldDialog({ owner, doc, editing, onClose, onSave }: Props) {
  const [form, setForm] = useState<FieldForm>(() =>
    editing ? formOf(editing.name, editing.attribute) : emptyForm('string'),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const [inverseTouched, setInverseTouched] = useState(Boolean(editing));
  const def = definitionOf(doc, owner);
  const ownerName = def?.info.displayName ?? owner.uid;
  const set = <K extends keyof FieldForm>(key: K, value: FieldForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const type = form.type;

  const contentTypes = Object.entries(doc.contentTypes).sort(([, a], [, b]) =>
    a.info.displayName.localeCompare(b.info.displayName),
  );
  const components = Object.entries(doc.components).sort(([a], [b]) => a.localeCompare(b));
  const targetName = doc.contentTypes[form.target]?.info.displayName ?? 'the target';
  const sourceFields = Object.entries(def?.attributes ?? {}).filter(
    ([n, a]) => ['string', 'text'].includes(a.type) && n !== editing?.name,
  );

  const chooseTarget = (target: string, relation: RelationKind = form.relation) => {
    setForm((f) => ({
      ...f,
      target,
      relation,
      inverse: inverseTouched || owner.kind === 'component' ? f.inverse : suggestInverse(owner, relation),
    }));
  };

  const save = () => {
    const taken = Object.keys(def?.attributes ?? {}).filter((n) => n !== editing?.name);
    const result = toAttribute(form, { owner, doc, taken, base: editing?.attribute });
    if (result.errors) {
      setErrors(result.errors);
      return;
    }
    onSave({
      previous: editing?.name ?? null,
      name: form.name.trim(),
      attribute: result.attribute,
      ...(type === 'relation' ? { inverse: { name: owner.kind === 'component' ? '' : form.inverse.trim() } } : {}),
    });
  };

  const number = (key: 'minLength' | 'maxLength' | 'min' | 'max', label: string) => (
    <TextField
      label={label}
      value={form[key]}
      onChange={(e) => set(key, e.target.value)}
      error={Boolean(errors[key])}
      helperText={errors[key]}
      size="small"
      slotProps={{ htmlInput: { inputMode: 'decimal' } }}
      sx={{ flex: 1 }}
    />
  );
  const check = (
    key: 'required' | 'unique' | 'private' | 'index' | 'multiple' | 'repeatable',
    label: string,
    help?: string,
  ) => (
    <FormControlLabel
      control={<Checkbox checked={form[key]} onChange={(e) => set(key, e.target.checked)} />}
      label={
        <span>
          {label}
          {help ? (
            <Typography component="span" variant="body2" color="text.secondary">
              {' '}
              — {help}
            </Typography>
          ) : null}
        </span>
      }
    />
  );

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="field-dialog-title">
      <DialogTitle id="field-dialog-title">
        {editing ? `Edit the field ${editing.name}` : `Add a field to ${ownerName}`}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label="Name"
            value={form.name}
            onChange={(e) => set('name', e.target.value)}
            error={Boolean(errors.name)}
            helperText={
              errors.name ??
              (editing?.renamedFrom
                ? `Renamed from ${editing.renamedFrom}: its data is kept`
                : editing
                  ? 'Renaming keeps the data'
                  : 'The API name, e.g. title or coverImage')
            }
            autoFocus
            size="small"
            fullWidth
          />
          <NativeSelect
            label="Type"
            value={type}
            onChange={(v) => set('type', v as AttributeType)}
            helperText={ATTRIBUTE_TYPES.find((t) => t.type === type)?.hint}
          >
            {ATTRIBUTE_TYPES.filter((t) => owner.kind === 'contentType' || t.type !== 'dynamiczone').map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </NativeSelect>
          {editing && editing.attribute.type !== type ? (
            <Alert severity="warning">
              Changing a {typeLabel(editing.attribute.type)} field to {typeLabel(type)} keeps its values only when the
              storage allows it; the plan shown on Save says what is lost.
            </Alert>
          ) : null}

          {type === 'relation' ? (
            <>
              <NativeSelect
                label="Related content type"
                value={form.target}
                onChange={(v) => chooseTarget(v)}
                error={errors.target}
              >
                <option value="">Choose…</option>
                {contentTypes.map(([uid, ct]) => (
                  <option key={uid} value={uid}>
                    {ct.info.displayName}
                  </option>
                ))}
              </NativeSelect>
              <NativeSelect
                label="Relation"
                value={form.relation}
                onChange={(v) => chooseTarget(form.target, v as RelationKind)}
              >
                {RELATION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {relationSentence(k, ownerName, targetName)}
                  </option>
                ))}
              </NativeSelect>
              <TextField
                label={`Field name on ${targetName}`}
                value={form.inverse}
                onChange={(e) => {
                  setInverseTouched(true);
                  set('inverse', e.target.value);
                }}
                disabled={owner.kind === 'component'}
                error={Boolean(errors.inverse)}
                helperText={
                  errors.inverse ??
                  (owner.kind === 'component'
                    ? 'Relations in components are one-way'
                    : 'The other side of the relation; leave empty for a one-way relation')
                }
                size="small"
                fullWidth
              />
            </>
          ) : null}

          {type === 'media' ? (
            <>
              <NativeSelect
                label="Number of files"
                value={form.multiple ? 'multiple' : 'single'}
                onChange={(v) => set('multiple', v === 'multiple')}
              >
                <option value="single">Single media</option>
                <option value="multiple">Multiple media</option>
              </NativeSelect>
              <FormControl component="fieldset">
                <FormLabel component="legend">Allowed types</FormLabel>
                <FormGroup row>
                  {MEDIA_KINDS.map(({ kind, label }) => (
                    <FormControlLabel
                      key={kind}
                      label={label}
                      control={
                        <Checkbox
                          checked={form.allowedTypes.includes(kind)}
                          onChange={(e) =>
                            set(
                              'allowedTypes',
                              e.target.checked
                                ? [...form.allowedTypes, kind]
                                : form.allowedTypes.filter((k: MediaKind) => k !== kind),
                            )
                          }
                        />
                      }
                    />
                  ))}
                </FormGroup>
                <FormHelperText>None checked: every type is allowed</FormHelperText>
              </FormControl>
            </>
          ) : null}

          {type === 'component' ? (
            <>
              <NativeSelect
                label="Component"
                value={form.component}
                onChange={(v) => set('component', v)}
                error={errors.component}
                helperText={components.length === 0 ? 'Create a component first' : undefined}
              >
                <option value="">Choose…</option>
                {components.map(([uid, c]) => (
                  <option key={uid} value={uid}>
                    {c.info.displayName} ({uid})
                  </option>
                ))}
              </NativeSelect>
              {check('repeatable', 'Repeatable', 'a list of this component')}
            </>
          ) : null}

          {type === 'dynamiczone' ? (
            <FormControl component="fieldset" error={Boolean(errors.components)}>
              <FormLabel component="legend">Components</FormLabel>
              <FormGroup>
                {components.map(([uid, c]) => (
                  <FormControlLabel
                    key={uid}
                    label={`${c.info.displayName} (${uid})`}
                    control={
                      <Checkbox
                        checked={form.components.includes(uid)}
                        onChange={(e) =>
                          set(
                            'components',
                            e.target.checked ? [...form.components, uid] : form.components.filter((x) => x !== uid),
                          )
                        }
                      />
                    }
                  />
                ))}
              </FormGroup>
              <FormHelperText>
                {errors.components ??
                  (components.length === 0 ? 'Create a component first' : 'The kinds of blocks editors may add')}
              </FormHelperText>
            </FormControl>
          ) : null}

          {type === 'enumeration' ? (
            <TextField
              label="Values"
              value={form.enumValues}
              onChange={(e) => set('enumValues', e.target.value)}
              error={Boolean(errors.enumValues)}
              helperText={errors.enumValues ?? 'One value per line'}
              multiline
              minRows={3}
              size="small"
              fullWidth
            />
          ) : null}

          {type === 'uid' ? (
            <NativeSelect
              label="Generated from"
              value={form.targetField}
              onChange={(v) => set('targetField', v)}
              helperText="The field the UID is suggested from"
            >
              <option value="">No field</option>
              {sourceFields.map(([n]) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </NativeSelect>
          ) : null}

          {STRING_TYPES.includes(type) ? (
            <>
              <Stack direction="row" spacing={2}>
                {number('minLength', 'Minimum length')}
                {number('maxLength', 'Maximum length')}
              </Stack>
              <TextField
                label="Pattern (regular expression)"
                value={form.regex}
                onChange={(e) => set('regex', e.target.value)}
                error={Boolean(errors.regex)}
                helperText={errors.regex ?? 'Values must match it, e.g. ^[a-z]+$'}
                size="small"
                fullWidth
              />
            </>
          ) : null}
          {NUMBER_TYPES.includes(type) ? (
            <Stack direction="row" spacing={2}>
              {number('min', 'Minimum')}
              {number('max', 'Maximum')}
            </Stack>
          ) : null}
          {(type === 'component' && form.repeatable) || type === 'dynamiczone' ? (
            <Stack direction="row" spacing={2}>
              {number('min', 'Minimum items')}
              {number('max', 'Maximum items')}
            </Stack>
          ) : null}

          {DEFAULTABLE_TYPES.includes(type) ? (
            type === 'boolean' ? (
              <NativeSelect
                label="Default value"
                value={form.defaultBoolean}
                onChange={(v) => set('defaultBoolean', v as FieldForm['defaultBoolean'])}
              >
                <option value="">None</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </NativeSelect>
            ) : type === 'enumeration' ? (
              <NativeSelect
                label="Default value"
                value={form.defaultValue}
                onChange={(v) => set('defaultValue', v)}
                error={errors.defaultValue}
              >
                <option value="">None</option>
                {form.enumValues
                  .split('\n')
                  .map((v) => v.trim())
                  .filter(Boolean)
                  .map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
              </NativeSelect>
            ) : (
              <TextField
                label="Default value"
                value={form.defaultValue}
                onChange={(e) => set('defaultValue', e.target.value)}
                error={Boolean(errors.defaultValue)}
                helperText={
                  errors.defaultValue ??
                  (type === 'date'
                    ? 'YYYY-MM-DD'
                    : type === 'time'
                      ? 'HH:MM:SS'
                      : type === 'datetime'
                        ? 'ISO date and time, e.g. 2025-01-31T09:00:00.000Z'
                        : undefined)
                }
                size="small"
                fullWidth
              />
            )
          ) : null}

          <Box>
            <FormGroup>
              {check('required', 'Required', 'an entry cannot be published without it')}
              {INDEXABLE_TYPES.includes(type) ? check('unique', 'Unique', 'no two entries share a value') : null}
              {INDEXABLE_TYPES.includes(type) ? check('index', 'Indexed', 'faster filtering and sorting on it') : null}
              {check('private', 'Private', 'never shown in the Content API')}
            </FormGroup>
          </Box>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={save}>
          {editing ? 'Update field' : 'Add field'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
