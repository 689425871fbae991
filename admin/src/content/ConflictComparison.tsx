// The stored version of an entry beside the form's unsaved values, one row per field whose values
// differ. Values are shown as text (long ones cut), never as HTML: a plain comparison, for the
// editor to decide whether to overwrite or to discard their changes.
import { useTranslate } from 'react-admin';
import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import type { FieldDifference } from './conflictFields';
import { labelOf } from './schema';

/** How much of a long value (a rich text, a JSON document) the comparison shows. */
const SHOWN_CHARACTERS = 600;

function asText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  return text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text;
}

function Value({ value }: { value: unknown }) {
  const translate = useTranslate();
  const text = asText(value);
  if (!text)
    return (
      <Typography variant="body2" color="text.secondary" sx={{ fontStyle: 'italic' }}>
        {translate('folio.conflict.empty')}
      </Typography>
    );
  return (
    <Typography variant="body2" component="div" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text}
    </Typography>
  );
}

export function ConflictComparison({ differences, by }: { differences: FieldDifference[]; by: string | null }) {
  const translate = useTranslate();
  if (!differences.length) return <Typography variant="body2">{translate('folio.conflict.same')}</Typography>;
  return (
    <TableContainer>
      <Table size="small" aria-label={translate('folio.conflict.comparison')}>
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              {translate('folio.conflict.field')}
            </TableCell>
            <TableCell component="th" scope="col">
              {by ? translate('folio.conflict.theirs_named', { name: by }) : translate('folio.conflict.theirs')}
            </TableCell>
            <TableCell component="th" scope="col">
              {translate('folio.conflict.mine')}
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {differences.map((d) => (
            <TableRow key={d.name}>
              <TableCell component="th" scope="row">
                {labelOf(d.name)}
              </TableCell>
              <TableCell>
                <Value value={d.theirs} />
              </TableCell>
              <TableCell>
                <Value value={d.mine} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
        {translate('folio.conflict.overwrite_hint')}
      </Typography>
    </TableContainer>
  );
}
