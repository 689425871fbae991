// One input per attribute type, generated from the content type's attributes. Inputs inside
// components and dynamic zones are the same inputs with a nested source ("seo.metaTitle", or
// relative to the item inside a SimpleFormIterator).
import { lazy, Suspense, useEffect, useState, type ReactElement } from 'react';
import {
  ArrayInput,
  AutocompleteArrayInput,
  AutocompleteInput,
  BooleanInput,
  DateInput,
  DateTimeInput,
  FormDataConsumer,
  Labeled,
  NumberInput,
  PasswordInput,
  ReferenceArrayInput,
  ReferenceInput,
  SelectInput,
  SimpleFormIterator,
  TextInput,
  email as emailValidator,
  maxLength,
  maxValue,
  minLength,
  minValue,
  regex,
  required,
  useInput,
  useRecordContext,
  useTranslate,
  type RaRecord,
  type Validator,
} from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import {
  Box,
  Button,
  Card,
  CardMedia,
  FormHelperText,
  IconButton,
  InputAdornment,
  Stack,
  Typography,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import { uidAvailability } from './data';
import { FieldGrid } from './FieldGrid';
import {
  component as componentInfo,
  contentType,
  isMemberTarget,
  isToMany,
  labelOf,
  type Attribute,
  type ContentTypeInfo,
} from './schema';
import { thumbnailUrl, type MediaCategory, type MediaFile } from '../media/api';
import { MediaLibraryDialog } from '../media/MediaLibraryDialog';

export interface AttributeInputProps {
  /** The content type (or, inside components, the type that owns them) for lookups. */
  uid: string;
  name: string;
  attribute: Attribute;
  /** The form source; the attribute's name unless nested. */
  source: string;
  /** Set inside a component: relation lookups then ask about the component's field. */
  componentUid?: string;
}

function validatorsOf(attribute: Attribute): Validator[] {
  const list: Validator[] = [];
  if (attribute.required && attribute.type !== 'boolean') list.push(required());
  if (attribute.minLength !== undefined) list.push(minLength(attribute.minLength));
  if (attribute.maxLength !== undefined) list.push(maxLength(attribute.maxLength));
  if (attribute.min !== undefined) list.push(minValue(attribute.min));
  if (attribute.max !== undefined) list.push(maxValue(attribute.max));
  if (attribute.regex) list.push(regex(new RegExp(attribute.regex), `Must match ${attribute.regex}`));
  if (attribute.type === 'email') list.push(emailValidator());
  return list;
}

// The rich-text editors are loaded when a form first shows one: the sign-in page and forms without
// them do not download Slate or react-markdown.
const MarkdownInput = lazy(() => import('./markdown/MarkdownInput'));
const BlocksInput = lazy(() => import('./blocks/BlocksInput'));

function LazyEditor({ label, children }: { label: string; children: ReactElement }) {
  const loading = (
    <Typography color="text.secondary" sx={{ py: 2 }}>
      Loading the {label} editor…
    </Typography>
  );
  return <Suspense fallback={loading}>{children}</Suspense>;
}

/** JSON edited as text; a syntax error shows on the field before anything is sent. */
const validJson: Validator = (value: unknown) => {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    JSON.parse(value);
    return undefined;
  } catch (err) {
    return `Invalid JSON: ${(err as Error).message}`;
  }
};

/** A uid: generated from its target field, checked for availability as it is typed. */
function UidInput({
  uid,
  name,
  attribute,
  source,
  label,
  validate,
}: AttributeInputProps & { label: string; validate: Validator[] }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const { setValue } = useFormContext();
  const value = useWatch({ name: source }) as string | undefined;
  const target = useWatch({ name: attribute.targetField ?? '__none__' }) as string | undefined;
  const [status, setStatus] = useState<{ available: boolean | null; suggestion: string | null } | null>(null);
  const documentId = typeof record?.documentId === 'string' ? record.documentId : undefined;
  useEffect(() => {
    if (!value) {
      setStatus(null);
      return;
    }
    const timer = setTimeout(() => {
      uidAvailability(uid, name, { value, documentId }).then(setStatus, () => setStatus(null));
    }, 300);
    return () => clearTimeout(timer);
  }, [uid, name, value, documentId]);
  const generate = async () => {
    const result = await uidAvailability(uid, name, { from: target || value || '', documentId });
    if (result.suggestion) setValue(source, result.suggestion, { shouldDirty: true });
  };
  return (
    <Box>
      <TextInput
        source={source}
        label={label}
        validate={validate}
        helperText={
          status?.available === false
            ? status.suggestion
              ? translate('folio.inputs.uid_taken_suggestion', { suggestion: status.suggestion })
              : translate('folio.inputs.uid_taken')
            : status?.available
              ? translate('folio.inputs.uid_available')
              : ' '
        }
        slotProps={{
          input: {
            endAdornment: (
              <InputAdornment position="end">
                <IconButton
                  aria-label={
                    attribute.targetField
                      ? translate('folio.inputs.uid_generate_from', {
                          field: label,
                          from: labelOf(attribute.targetField),
                        })
                      : translate('folio.inputs.uid_generate', { field: label })
                  }
                  onClick={() => void generate()}
                  edge="end"
                  size="small"
                >
                  <AutorenewIcon fontSize="small" />
                </IconButton>
              </InputAdornment>
            ),
          },
        }}
      />
    </Box>
  );
}

const MEDIA_CATEGORIES: readonly MediaCategory[] = ['images', 'videos', 'audios', 'files'];

/** A media field's allowedTypes as the library's categories (the schema validated them). */
function mediaCategories(allowed: string[] | undefined): MediaCategory[] | undefined {
  return allowed?.filter((t): t is MediaCategory => (MEDIA_CATEGORIES as readonly string[]).includes(t));
}

/** A media field: its files as cards, and the media library in a dialog to choose or upload more. */
function MediaInput({ source, label, attribute }: { source: string; label: string; attribute: Attribute }) {
  const multiple = attribute.multiple === true;
  const translate = useTranslate();
  const { field, fieldState } = useInput({ source, validate: attribute.required ? required() : undefined });
  const [open, setOpen] = useState(false);
  // An empty input holds '' (react-admin's default for a missing value), not an array or null.
  const value: unknown = field.value;
  const files: MediaFile[] = multiple
    ? Array.isArray(value)
      ? (value as MediaFile[])
      : []
    : typeof value === 'object' && value !== null
      ? [value as MediaFile]
      : [];
  const select = (chosen: MediaFile[]) => field.onChange(multiple ? chosen : (chosen[0] ?? null));
  const remove = (id: number) => field.onChange(multiple ? files.filter((f) => f.id !== id) : null);
  return (
    <Labeled label={label} fullWidth>
      <Box>
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', mb: 1 }}>
          {files.map((file) => (
            <Card key={file.id} variant="outlined" sx={{ width: 120, position: 'relative' }}>
              {thumbnailUrl(file) ? (
                <CardMedia
                  component="img"
                  image={thumbnailUrl(file)}
                  alt={file.alternativeText ?? file.name}
                  sx={{ height: 80, objectFit: 'cover' }}
                />
              ) : null}
              <Typography variant="caption" noWrap component="div" sx={{ px: 1 }}>
                {file.name}
              </Typography>
              <IconButton
                size="small"
                aria-label={translate('folio.inputs.media_remove', { name: file.name })}
                onClick={() => remove(file.id)}
                sx={{ position: 'absolute', top: 0, right: 0, bgcolor: 'background.paper' }}
              >
                <CloseIcon fontSize="small" />
              </IconButton>
            </Card>
          ))}
        </Stack>
        <Button variant="outlined" size="small" onClick={() => setOpen(true)}>
          {translate(files.length && !multiple ? 'folio.inputs.media_replace' : 'folio.inputs.media_choose', {
            field: label,
          })}
        </Button>
        {fieldState.error ? <FormHelperText error>{fieldState.error.message}</FormHelperText> : null}
        <MediaLibraryDialog
          open={open}
          multiple={multiple}
          allowedTypes={mediaCategories(attribute.allowedTypes)}
          initialSelection={files}
          title={translate(multiple ? 'folio.inputs.media_dialog_many' : 'folio.inputs.media_dialog_one', {
            field: label,
          })}
          onClose={() => setOpen(false)}
          onSelect={select}
        />
      </Box>
    </Labeled>
  );
}

/**
 * What a relation picker lists: the targets the field can link (the Admin API's relations lookup,
 * which applies the link right), and how an option reads.
 */
export function relationPicker(uid: string, name: string, target: ContentTypeInfo, componentUid?: string) {
  const main = target.mainField;
  const lookup = `${uid}/relations/${name}${componentUid ? `?component=${encodeURIComponent(componentUid)}` : ''}`;
  return {
    reference: `content/${target.uid}`,
    queryOptions: { meta: { lookup } },
    optionText: (r: RaRecord) => String(r.label ?? (main ? r[main] : undefined) ?? r.documentId ?? r.id),
  };
}

/** A member as a picker (and a list cell) shows it: its username and email. */
export const memberText = (r: RaRecord) => (r.username ? `${String(r.username)} · ${String(r.email)}` : String(r.id));

/**
 * A relation to the site members: picked among them by username or email (the Admin API's members
 * list, `read` on `users`). The owner is the server's: shown, never edited (the body may not name it).
 */
function MemberRelationInput({ uid, name, attribute, source, label }: AttributeInputProps & { label: string }) {
  const owner = contentType(uid)?.owner === name;
  return (
    <ReferenceInput source={source} reference="members">
      <AutocompleteInput
        label={label}
        optionText={memberText}
        filterToQuery={(q: string) => ({ q })}
        readOnly={owner}
        helperText={owner ? 'folio.inputs.owner_help' : undefined}
        validate={attribute.required && !owner ? required() : undefined}
      />
    </ReferenceInput>
  );
}

function RelationInput(props: AttributeInputProps & { label: string }) {
  if (isMemberTarget(props.attribute.target)) return <MemberRelationInput {...props} />;
  return <ContentRelationInput {...props} />;
}

function ContentRelationInput({
  uid,
  name,
  attribute,
  source,
  label,
  componentUid,
}: AttributeInputProps & { label: string }) {
  const target = contentType(attribute.target ?? '');
  if (!target) return null; // a type the role may not read: not editable here
  const { optionText, ...picker } = relationPicker(uid, name, target, componentUid);
  const common = { source, ...picker };
  if (isToMany(attribute)) {
    return (
      <ReferenceArrayInput {...common}>
        <AutocompleteArrayInput label={label} optionText={optionText} filterToQuery={(q: string) => ({ q })} />
      </ReferenceArrayInput>
    );
  }
  return (
    <ReferenceInput {...common}>
      <AutocompleteInput
        label={label}
        optionText={optionText}
        filterToQuery={(q: string) => ({ q })}
        validate={attribute.required ? required() : undefined}
      />
    </ReferenceInput>
  );
}

/** The inputs of one component instance, under `prefix` ("" inside an iterator item). */
function ComponentFields({ uid, componentUid, prefix }: { uid: string; componentUid: string; prefix: string }) {
  const info = componentInfo(componentUid);
  if (!info) return null;
  // The component's layout (completed by the server) places every field, in order, with its width.
  return (
    <FieldGrid
      fields={info.layout.edit.flatMap((s) => s.fields)}
      render={(name) =>
        Object.hasOwn(info.attributes, name) ? (
          <AttributeInput
            uid={uid}
            componentUid={componentUid}
            name={name}
            attribute={info.attributes[name]}
            source={prefix ? `${prefix}.${name}` : name}
          />
        ) : null
      }
    />
  );
}

function SingleComponentInput({ uid, attribute, source, label }: AttributeInputProps & { label: string }) {
  const value = useWatch({ name: source }) as unknown;
  const { setValue } = useFormContext();
  const componentUid = attribute.component ?? '';
  return (
    <Labeled label={label} fullWidth>
      <Box sx={{ borderLeft: 2, borderColor: 'divider', pl: 2 }}>
        {value ? (
          <>
            <ComponentFields uid={uid} componentUid={componentUid} prefix={source} />
            <Button size="small" onClick={() => setValue(source, null, { shouldDirty: true })}>
              Remove {label}
            </Button>
          </>
        ) : (
          <Button size="small" variant="outlined" onClick={() => setValue(source, {}, { shouldDirty: true })}>
            Add {label}
          </Button>
        )}
      </Box>
    </Labeled>
  );
}

function RepeatableComponentInput({ uid, attribute, source, label }: AttributeInputProps & { label: string }) {
  return (
    <ArrayInput source={source} label={label}>
      <SimpleFormIterator inline={false}>
        <ComponentFields uid={uid} componentUid={attribute.component ?? ''} prefix="" />
      </SimpleFormIterator>
    </ArrayInput>
  );
}

function DynamicZoneInput({ uid, attribute, source, label }: AttributeInputProps & { label: string }) {
  const choices = (attribute.components ?? []).map((c) => ({ id: c, name: componentInfo(c)?.displayName ?? c }));
  return (
    <ArrayInput source={source} label={label}>
      <SimpleFormIterator inline={false}>
        <SelectInput source="__component" label="folio.inputs.block" choices={choices} validate={required()} />
        <FormDataConsumer>
          {({ scopedFormData }) => {
            const chosen = (scopedFormData as { __component?: string } | undefined)?.__component;
            return chosen ? <ComponentFields uid={uid} componentUid={chosen} prefix="" /> : null;
          }}
        </FormDataConsumer>
      </SimpleFormIterator>
    </ArrayInput>
  );
}

export function AttributeInput(props: AttributeInputProps): ReactElement | null {
  const { name, attribute, source } = props;
  const label = labelOf(name);
  const validate = validatorsOf(attribute);
  switch (attribute.type) {
    case 'string':
      return <TextInput source={source} label={label} validate={validate} fullWidth />;
    case 'text':
      return <TextInput source={source} label={label} validate={validate} multiline minRows={3} fullWidth />;
    case 'richtext':
      return (
        <LazyEditor label={label}>
          <MarkdownInput source={source} label={label} validate={validate} />
        </LazyEditor>
      );
    case 'email':
      return <TextInput source={source} label={label} validate={validate} type="email" />;
    case 'password':
      return (
        <PasswordInput
          source={source}
          label={label}
          validate={validatorsOf({ ...attribute, required: false })}
          helperText="folio.inputs.password_keep"
        />
      );
    case 'uid':
      return <UidInput {...props} label={label} validate={validate} />;
    case 'integer':
      return (
        <NumberInput
          source={source}
          label={label}
          validate={validate}
          step={1}
          min={attribute.min}
          max={attribute.max}
        />
      );
    case 'biginteger':
      return <TextInput source={source} label={label} validate={[...validate, regex(/^-?\d*$/, 'A whole number')]} />;
    case 'float':
    case 'decimal':
      return (
        <NumberInput
          source={source}
          label={label}
          validate={validate}
          step="any"
          min={attribute.min}
          max={attribute.max}
        />
      );
    case 'boolean':
      return <BooleanInput source={source} label={label} />;
    case 'date':
      return <DateInput source={source} label={label} validate={validate} />;
    case 'time':
      return (
        <TextInput
          source={source}
          label={label}
          validate={validate}
          type="time"
          format={(v: unknown) => (typeof v === 'string' ? v.slice(0, 8) : '')}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { step: 1 } }}
        />
      );
    case 'datetime':
      // The picker gives local wall time without a zone; the API stores instants (ISO with a zone).
      return (
        <DateTimeInput
          source={source}
          label={label}
          validate={validate}
          parse={(v: string) => (v ? new Date(v).toISOString() : null)}
        />
      );
    case 'enumeration':
      return (
        <SelectInput
          source={source}
          label={label}
          validate={validate}
          choices={(attribute.enum ?? []).map((v) => ({ id: v, name: v }))}
          emptyText="—"
        />
      );
    case 'blocks':
      return (
        <LazyEditor label={label}>
          <BlocksInput source={source} label={label} validate={validate} />
        </LazyEditor>
      );
    case 'json':
      return (
        <TextInput
          source={source}
          label={`${label} (JSON)`}
          validate={[...validate, validJson]}
          multiline
          minRows={4}
          fullWidth
          sx={{ '& textarea': { fontFamily: 'monospace' } }}
        />
      );
    case 'media':
      return <MediaInput source={source} label={label} attribute={attribute} />;
    case 'relation':
      return <RelationInput {...props} label={label} />;
    case 'component':
      return attribute.repeatable ? (
        <RepeatableComponentInput {...props} label={label} />
      ) : (
        <SingleComponentInput {...props} label={label} />
      );
    case 'dynamiczone':
      return <DynamicZoneInput {...props} label={label} />;
    default:
      return null;
  }
}
