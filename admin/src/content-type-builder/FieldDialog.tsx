// Add or edit one field: its name, its type and the options of that type. Selects are native
// (keyboard- and screen-reader-friendly, one label each). Renaming a stored field is recorded as a
// rename, so its data is kept; the type's page shows it until Save.
import { useState, type ChangeEvent, type ReactNode } from 'react';
import { useTranslate } from 'react-admin';
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
  type Translate,
} from './model';
import {
  DEFAULTABLE_TYPES,
  emptyForm,
  formOf,
  ENCRYPTABLE_TYPES,
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

/** "many-to-one: an Article belongs to one Category, a Category has many articles". */
function relationSentence(t: Translate, kind: RelationKind, one: string, other: string): string {
  // English articles and plurals: the words are the English messages', the names the admin's.
  const a = (name: string) => (/^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`);
  const many = (name: string) => pluralize(name.toLowerCase());
  return t(`folio.builder.relation_sentence.${kind}`, {
    a_one: a(one),
    a_other: a(other),
    one,
    other,
    many_one: many(one),
    many_other: many(other),
  });
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
  const translate = useTranslate();
  const def = definitionOf(doc, owner);
  const ownerName = def?.info.displayName ?? owner.uid;
  const set = <K extends keyof FieldForm>(key: K, value: FieldForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const type = form.type;

  const contentTypes = Object.entries(doc.contentTypes).sort(([, a], [, b]) =>
    a.info.displayName.localeCompare(b.info.displayName),
  );
  const components = Object.entries(doc.components).sort(([a], [b]) => a.localeCompare(b));
  const targetName = doc.contentTypes[form.target]?.info.displayName ?? translate('folio.builder.field.the_target');
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
      const args = { target: targetName, name: form.inverse.trim() };
      setErrors(Object.fromEntries(Object.entries(result.errors).map(([key, e]) => [key, translate(e, args)])));
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
    key: 'required' | 'unique' | 'private' | 'index' | 'encrypted' | 'multiple' | 'repeatable',
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
        {editing
          ? translate('folio.builder.edit_field', { name: editing.name })
          : translate('folio.builder.field.add_title', { name: ownerName })}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label={translate('folio.builder.field.name')}
            value={form.name}
            onChange={(e) => set('name', e.target.value)}
            error={Boolean(errors.name)}
            helperText={
              errors.name ??
              (editing?.renamedFrom
                ? translate('folio.builder.field.renamed_help', { name: editing.renamedFrom })
                : translate(editing ? 'folio.builder.field.rename_help' : 'folio.builder.field.name_help'))
            }
            autoFocus
            size="small"
            fullWidth
          />
          <NativeSelect
            label={translate('folio.builder.field.type')}
            value={type}
            onChange={(v) => set('type', v as AttributeType)}
            helperText={translate(ATTRIBUTE_TYPES.find((t) => t.type === type)?.hint ?? '')}
          >
            {ATTRIBUTE_TYPES.filter((t) => owner.kind === 'contentType' || t.type !== 'dynamiczone').map((t) => (
              <option key={t.type} value={t.type}>
                {translate(t.label)}
              </option>
            ))}
          </NativeSelect>
          {editing && editing.attribute.type !== type ? (
            <Alert severity="warning">
              {translate('folio.builder.field.type_change', {
                from: translate(typeLabel(editing.attribute.type)),
                to: translate(typeLabel(type)),
              })}
            </Alert>
          ) : null}

          {type === 'relation' ? (
            <>
              <NativeSelect
                label={translate('folio.builder.field.target')}
                value={form.target}
                onChange={(v) => chooseTarget(v)}
                error={errors.target}
              >
                <option value="">{translate('folio.builder.field.choose')}</option>
                {contentTypes.map(([uid, ct]) => (
                  <option key={uid} value={uid}>
                    {ct.info.displayName}
                  </option>
                ))}
              </NativeSelect>
              <NativeSelect
                label={translate('folio.builder.field.relation')}
                value={form.relation}
                onChange={(v) => chooseTarget(form.target, v as RelationKind)}
              >
                {RELATION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {relationSentence(translate, k, ownerName, targetName)}
                  </option>
                ))}
              </NativeSelect>
              <TextField
                label={translate('folio.builder.field.inverse', { name: targetName })}
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
                    ? translate('folio.builder.errors.component_one_way')
                    : translate('folio.builder.field.inverse_help'))
                }
                size="small"
                fullWidth
              />
            </>
          ) : null}

          {type === 'media' ? (
            <>
              <NativeSelect
                label={translate('folio.builder.field.media_count')}
                value={form.multiple ? 'multiple' : 'single'}
                onChange={(v) => set('multiple', v === 'multiple')}
              >
                <option value="single">{translate('folio.builder.field.media_single')}</option>
                <option value="multiple">{translate('folio.builder.field.media_multiple')}</option>
              </NativeSelect>
              <FormControl component="fieldset">
                <FormLabel component="legend">{translate('folio.builder.field.allowed_types')}</FormLabel>
                <FormGroup row>
                  {MEDIA_KINDS.map(({ kind, label }) => (
                    <FormControlLabel
                      key={kind}
                      label={translate(label)}
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
                <FormHelperText>{translate('folio.builder.field.allowed_types_help')}</FormHelperText>
              </FormControl>
            </>
          ) : null}

          {type === 'component' ? (
            <>
              <NativeSelect
                label={translate('folio.builder.field.component')}
                value={form.component}
                onChange={(v) => set('component', v)}
                error={errors.component}
                helperText={components.length === 0 ? translate('folio.builder.field.no_components') : undefined}
              >
                <option value="">{translate('folio.builder.field.choose')}</option>
                {components.map(([uid, c]) => (
                  <option key={uid} value={uid}>
                    {c.info.displayName} ({uid})
                  </option>
                ))}
              </NativeSelect>
              {check(
                'repeatable',
                translate('folio.builder.field.repeatable'),
                translate('folio.builder.field.repeatable_help'),
              )}
            </>
          ) : null}

          {type === 'dynamiczone' ? (
            <FormControl component="fieldset" error={Boolean(errors.components)}>
              <FormLabel component="legend">{translate('folio.builder.components')}</FormLabel>
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
                  translate(
                    components.length === 0 ? 'folio.builder.field.no_components' : 'folio.builder.field.zone_help',
                  )}
              </FormHelperText>
            </FormControl>
          ) : null}

          {type === 'enumeration' ? (
            <TextField
              label={translate('folio.builder.field.values')}
              value={form.enumValues}
              onChange={(e) => set('enumValues', e.target.value)}
              error={Boolean(errors.enumValues)}
              helperText={errors.enumValues ?? translate('folio.builder.field.values_help')}
              multiline
              minRows={3}
              size="small"
              fullWidth
            />
          ) : null}

          {type === 'uid' ? (
            <NativeSelect
              label={translate('folio.builder.field.uid_source')}
              value={form.targetField}
              onChange={(v) => set('targetField', v)}
              helperText={translate('folio.builder.field.uid_source_help')}
            >
              <option value="">{translate('folio.builder.field.no_field')}</option>
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
                {number('minLength', translate('folio.builder.field.min_length'))}
                {number('maxLength', translate('folio.builder.field.max_length'))}
              </Stack>
              <TextField
                label={translate('folio.builder.field.regex')}
                value={form.regex}
                onChange={(e) => set('regex', e.target.value)}
                error={Boolean(errors.regex)}
                helperText={errors.regex ?? translate('folio.builder.field.regex_help')}
                size="small"
                fullWidth
              />
            </>
          ) : null}
          {NUMBER_TYPES.includes(type) ? (
            <Stack direction="row" spacing={2}>
              {number('min', translate('folio.builder.field.min'))}
              {number('max', translate('folio.builder.field.max'))}
            </Stack>
          ) : null}
          {(type === 'component' && form.repeatable) || type === 'dynamiczone' ? (
            <Stack direction="row" spacing={2}>
              {number('min', translate('folio.builder.field.min_items'))}
              {number('max', translate('folio.builder.field.max_items'))}
            </Stack>
          ) : null}

          {DEFAULTABLE_TYPES.includes(type) ? (
            type === 'boolean' ? (
              <NativeSelect
                label={translate('folio.builder.field.default')}
                value={form.defaultBoolean}
                onChange={(v) => set('defaultBoolean', v as FieldForm['defaultBoolean'])}
              >
                <option value="">{translate('folio.builder.field.no_default')}</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </NativeSelect>
            ) : type === 'enumeration' ? (
              <NativeSelect
                label={translate('folio.builder.field.default')}
                value={form.defaultValue}
                onChange={(v) => set('defaultValue', v)}
                error={errors.defaultValue}
              >
                <option value="">{translate('folio.builder.field.no_default')}</option>
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
                label={translate('folio.builder.field.default')}
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
                        ? translate('folio.builder.field.datetime_help')
                        : undefined)
                }
                size="small"
                fullWidth
              />
            )
          ) : null}

          <Box>
            <FormGroup>
              {check(
                'required',
                translate('folio.builder.field.required'),
                translate('folio.builder.field.required_help'),
              )}
              {INDEXABLE_TYPES.includes(type) && !form.encrypted
                ? check('unique', translate('folio.builder.field.unique'), translate('folio.builder.field.unique_help'))
                : null}
              {INDEXABLE_TYPES.includes(type) && !form.encrypted
                ? check('index', translate('folio.builder.field.index'), translate('folio.builder.field.index_help'))
                : null}
              {ENCRYPTABLE_TYPES.includes(type)
                ? check(
                    'encrypted',
                    translate('folio.builder.field.encrypted'),
                    translate('folio.builder.field.encrypted_help'),
                  )
                : null}
              {check(
                'private',
                translate('folio.builder.field.private'),
                translate('folio.builder.field.private_help'),
              )}
            </FormGroup>
          </Box>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('folio.builder.cancel')}</Button>
        <Button variant="contained" onClick={save}>
          {translate(editing ? 'folio.builder.field.update' : 'folio.builder.field.add')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
