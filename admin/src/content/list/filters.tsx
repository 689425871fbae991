// The list's filters: the search, the locale and the status always shown; one more per filterable
// attribute under "Add filter" — text contains, numbers and dates from/to, yes/no, one of the
// enumeration's values, and relations through a searchable picker of the targets the field can link
// (the edit form's picker). The form values become the API's filters in apiFilters.ts.
import type { ReactElement } from 'react';
import {
  AutocompleteArrayInput,
  DateInput,
  NullableBooleanInput,
  NumberInput,
  ReferenceArrayInput,
  SearchInput,
  SelectInput,
  TextInput,
  type TranslateFunction,
} from 'react-admin';
import { relationPicker } from '../inputs';
import { contentType, labelOf, type Attribute, type ContentTypeInfo } from '../schema';
import { boundKey, filterKindOf, SYSTEM_DATES, type FilterKind } from './apiFilters';

function rangeInputs(name: string, label: string, kind: FilterKind, translate: TranslateFunction): ReactElement[] {
  const Input = kind === 'number' ? NumberInput : DateInput;
  return (['from', 'to'] as const).map((bound) => (
    <Input
      key={boundKey(name, bound)}
      source={boundKey(name, bound)}
      label={translate(`folio.lists.${bound}`, { field: label })}
    />
  ));
}

function relationInput(type: ContentTypeInfo, name: string, attribute: Attribute, label: string) {
  const target = contentType(attribute.target ?? '');
  if (!target) return []; // a type the role may not read: the API could not filter through it
  const { optionText, ...picker } = relationPicker(type.uid, name, target);
  return [
    <ReferenceArrayInput key={name} source={name} {...picker}>
      <AutocompleteArrayInput label={label} optionText={optionText} filterToQuery={(q: string) => ({ q })} />
    </ReferenceArrayInput>,
  ];
}

function attributeInputs(type: ContentTypeInfo, name: string, attribute: Attribute, translate: TranslateFunction) {
  const label = labelOf(name);
  const kind = filterKindOf(attribute);
  switch (kind) {
    case 'text':
      return [<TextInput key={name} source={name} label={translate('folio.lists.contains', { field: label })} />];
    case 'boolean':
      return [
        <NullableBooleanInput
          key={name}
          source={name}
          label={label}
          trueLabel={translate('folio.lists.yes')}
          falseLabel={translate('folio.lists.no')}
        />,
      ];
    case 'enumeration':
      return [
        <SelectInput
          key={name}
          source={name}
          label={label}
          choices={(attribute.enum ?? []).map((v) => ({ id: v, name: v }))}
        />,
      ];
    case 'relation':
      return relationInput(type, name, attribute, label);
    case 'number':
    case 'date':
    case 'datetime':
      return rangeInputs(name, label, kind, translate);
    default:
      return [];
  }
}

function alwaysOn(type: ContentTypeInfo, translate: TranslateFunction): ReactElement[] {
  const inputs = [<SearchInput key="q" source="q" alwaysOn placeholder={translate('folio.lists.search')} />];
  if (type.localized) {
    inputs.push(
      <SelectInput
        key="locale"
        source="locale"
        label={translate('folio.lists.locale')}
        alwaysOn
        choices={(type.locales ?? ['en']).map((l) => ({ id: l, name: l }))}
        emptyText={translate('folio.lists.default_locale')}
      />,
    );
  }
  if (type.draftAndPublish) {
    inputs.push(
      <SelectInput
        key="status"
        source="status"
        label={translate('folio.lists.status')}
        alwaysOn
        emptyText={translate('folio.lists.any_status')}
        choices={(['draft', 'published', 'modified'] as const).map((s) => ({
          id: s,
          name: translate(`folio.content.status.${s}`),
        }))}
      />,
    );
  }
  return inputs;
}

/** Every filter of the type's list, the always-shown ones first. */
export function listFilters(type: ContentTypeInfo, translate: TranslateFunction): ReactElement[] {
  const inputs = alwaysOn(type, translate);
  for (const [name, attribute] of Object.entries(type.attributes)) {
    inputs.push(...attributeInputs(type, name, attribute, translate));
  }
  for (const name of SYSTEM_DATES) {
    inputs.push(...rangeInputs(name, translate(`folio.lists.system.${name}`), 'datetime', translate));
  }
  return inputs;
}
