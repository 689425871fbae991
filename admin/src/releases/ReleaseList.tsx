// Releases: every release, newest first, with its status, its number of entries and when it is
// scheduled (on the clock of the editor's time zone, as everywhere schedules are shown). A release
// is created by its name, then filled from the entries' screens and lists ("Add to release…").
import {
  Create,
  CreateButton,
  Datagrid,
  FunctionField,
  List,
  NumberField,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  TopToolbar,
  required,
  useTranslate,
  SearchInput,
} from 'react-admin';
import { useTimeZone } from '../content/schedule/useTimeZone';
import { formatDateTime } from '../content/schedule/zone';
import type { ReleaseSummary } from './api';
import { ReleaseStatusChip } from './ReleaseStatusChip';

const STATUSES = ['open', 'scheduled', 'published', 'failed'] as const;

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput
      key="status"
      source="status"
      label="folio.releases.fields.status"
      alwaysOn
      choices={STATUSES.map((id) => ({ id, name: translate(`folio.releases.status.${id}`) }))}
    />,
  ];
}

/** When it goes (or went) live: its scheduled time, or the time it was released, in the editor's zone. */
function WhenField({ release }: { release: ReleaseSummary }) {
  const translate = useTranslate();
  const [zone] = useTimeZone();
  const at = release.status === 'published' ? release.releasedAt : release.scheduledAt;
  if (!at) return null;
  return <>{translate('folio.schedule.at_in_zone', { time: formatDateTime(new Date(at), zone), zone })}</>;
}

export function ReleaseList() {
  return (
    <List
      sort={{ field: 'id', order: 'DESC' }}
      filters={useFilters()}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" label="folio.releases.fields.name" />
        <FunctionField<ReleaseSummary>
          source="status"
          label="folio.releases.fields.status"
          render={(r) => <ReleaseStatusChip status={r.status} />}
        />
        <NumberField source="actionCount" label="folio.releases.fields.entries" />
        <FunctionField<ReleaseSummary>
          source="scheduledAt"
          sortable={false}
          label="folio.releases.fields.when"
          render={(r) => <WhenField release={r} />}
        />
      </Datagrid>
    </List>
  );
}

export function ReleaseCreate() {
  return (
    <Create redirect="show">
      <SimpleForm>
        <TextInput source="name" label="folio.releases.fields.name" validate={required()} autoFocus />
      </SimpleForm>
    </Create>
  );
}
