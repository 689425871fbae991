// The content manager's screens, generated per content type: the list (list/ListScreen.tsx), create
// and edit forms (EntryForm: the fields beside a side panel with the entry's state and actions), and
// single types as one form. Every action is also checked by the server; the UI only hides what the
// role cannot do.
import type { ReactElement } from 'react';
import { Create, Edit, Resource, type RaRecord } from 'react-admin';
import { useParams } from 'react-router-dom';
import ArticleIcon from '@mui/icons-material/Article';
import { EntryFields } from './EntryFields';
import { EntryForm, useOnCreated } from './EntryForm';
import { EntryTitle } from './EntryTitle';
import { ContentList } from './list/ListScreen';
import { useLocale } from './locale';
import { collectionResource, singleResource, type ContentSchema, type ContentTypeInfo } from './schema';
import { useEditConflict } from './useEditConflict';

function ContentCreate({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  const resource = collectionResource(type.uid);
  const { onCreated, onSuccess } = useOnCreated(resource, locale);
  return (
    <Create
      resource={resource}
      title={<EntryTitle type={type} creating />}
      component="div"
      mutationOptions={{ meta: { locale }, onSuccess }}
    >
      <EntryForm type={type} resource={resource} locale={locale} creating onCreated={onCreated}>
        <EntryFields type={type} />
      </EntryForm>
    </Create>
  );
}

function ContentEdit({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  const { id } = useParams();
  const resource = collectionResource(type.uid);
  const conflict = useEditConflict();
  return (
    <Edit
      key={locale ?? ''}
      resource={resource}
      title={<EntryTitle type={type} />}
      component="div"
      actions={false}
      mutationMode="pessimistic"
      redirect={false}
      queryOptions={{ meta: { locale } }}
      mutationOptions={{ meta: { locale }, onError: conflict.onError }}
    >
      <EntryForm type={type} resource={resource} documentId={id} locale={locale} conflict={conflict}>
        <EntryFields type={type} />
      </EntryForm>
    </Edit>
  );
}

function SingleTypeEdit({ type }: { type: ContentTypeInfo }) {
  const [locale] = useLocale(type);
  const resource = singleResource(type.uid);
  const conflict = useEditConflict();
  return (
    <Edit
      key={locale ?? ''}
      resource={resource}
      id="single"
      title={<EntryTitle type={type} />}
      component="div"
      actions={false}
      mutationMode="pessimistic"
      redirect={false}
      queryOptions={{ meta: { locale } }}
      mutationOptions={{ meta: { locale }, onError: conflict.onError }}
    >
      <EntryForm type={type} resource={resource} documentId="single" locale={locale} conflict={conflict}>
        <EntryFields type={type} />
      </EntryForm>
    </Edit>
  );
}

/** One Resource per readable content type (react-admin resolves them after sign-in). */
export function contentResources(schema: ContentSchema): ReactElement[] {
  return schema.contentTypes.map((type) => {
    const options = { label: type.displayName, content: true };
    if (type.kind === 'singleType') {
      return (
        <Resource
          key={type.uid}
          name={singleResource(type.uid)}
          options={options}
          icon={ArticleIcon}
          list={() => <SingleTypeEdit type={type} />}
        />
      );
    }
    return (
      <Resource
        key={type.uid}
        name={collectionResource(type.uid)}
        options={options}
        icon={ArticleIcon}
        recordRepresentation={(r: RaRecord) => String((type.mainField ? r[type.mainField] : undefined) ?? r.documentId)}
        list={() => <ContentList type={type} />}
        create={type.actions.includes('create') ? () => <ContentCreate type={type} /> : undefined}
        edit={() => <ContentEdit type={type} />}
      />
    );
  });
}
