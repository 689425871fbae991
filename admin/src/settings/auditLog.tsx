// Settings › Audit log: who did what, newest first (read-only; Super Admins).
import { Datagrid, DateField, FunctionField, List, TextField, TextInput, type RaRecord } from 'react-admin';
import HistoryIcon from '@mui/icons-material/History';

/** An audit row as the list shows it: who acted (a user's label, or the kind of caller). */
interface AuditRecord extends RaRecord {
  actor?: { label?: string | null; kind?: string } | null;
}

const filters = [
  <TextInput key="action" source="action" label="Action" alwaysOn />,
  <TextInput key="subject" source="subject" label="Subject" />,
];

export function AuditLogList() {
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="createdAt" label="When" showTime />
        <FunctionField
          sortable={false}
          label="Who"
          render={(r: AuditRecord) => r.actor?.label ?? r.actor?.kind ?? '—'}
        />
        <TextField sortable={false} source="action" />
        <TextField sortable={false} source="subject" emptyText="—" />
        <TextField sortable={false} source="entityId" label="Entry" emptyText="—" />
        <TextField sortable={false} source="ip" label="IP" emptyText="—" />
      </Datagrid>
    </List>
  );
}

export const auditLog = { list: AuditLogList, icon: HistoryIcon, options: { label: 'Audit log' } };
