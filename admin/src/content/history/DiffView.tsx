// A revision diff as an editor reads it: one block per changed field — text with the words inserted
// and deleted marked (<ins>/<del>), relations and media side by side (what only one side has
// highlighted), a component's own changed fields, the items a list of components gained or lost,
// and attributes the schema no longer has flagged. Values are shown as text, never as HTML.
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { Avatar, Box, Chip, Stack, Typography } from '@mui/material';
import { component, labelOf } from '../schema';
import type { FieldDiff, FileRef, ItemChange, LinkRef, TextPart } from './api';

/** Names of the two sides ("This version", "Current draft"), shown above side-by-side values. */
export interface SideNames {
  before: string;
  after: string;
}

const INSERTED_SX = { bgcolor: 'success.light', color: 'success.contrastText', textDecoration: 'none', px: 0.25 };
const DELETED_SX = { bgcolor: 'error.light', color: 'error.contrastText', px: 0.25 };

/** How much of an item's or a value's text is shown: the diff is a summary, not the entry. */
const SHOWN_CHARACTERS = 300;

const cut = (text: string) => (text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text);

function TextDiff({ parts }: { parts: TextPart[] }) {
  return (
    <Typography variant="body2" component="div" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {parts.map((part, index) =>
        part.added ? (
          <Box component="ins" key={index} sx={INSERTED_SX}>
            {part.value}
          </Box>
        ) : part.removed ? (
          <Box component="del" key={index} sx={DELETED_SX}>
            {part.value}
          </Box>
        ) : (
          <span key={index}>{part.value}</span>
        ),
      )}
    </Typography>
  );
}

function Empty() {
  const translate = useTranslate();
  return (
    <Typography variant="body2" color="text.secondary" sx={{ fontStyle: 'italic' }}>
      {translate('folio.history.empty_value')}
    </Typography>
  );
}

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  return cut(typeof value === 'string' ? value : JSON.stringify(value));
}

function PlainValue({ value }: { value: unknown }) {
  const text = valueText(value);
  if (!text) return <Empty />;
  return (
    <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text}
    </Typography>
  );
}

function SideBySide({ names, before, after }: { names: SideNames; before: ReactNode; after: ReactNode }) {
  return (
    <Stack direction="row" spacing={2}>
      {[
        [names.before, before],
        [names.after, after],
      ].map(([name, content], index) => (
        <Box key={index} sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="caption" color="text.secondary" component="div">
            {name}
          </Typography>
          {content}
        </Box>
      ))}
    </Stack>
  );
}

function flagged(ref: { added?: true; removed?: true }) {
  if (ref.added) return { color: 'success' as const, sx: {} };
  if (ref.removed) return { color: 'error' as const, sx: { textDecoration: 'line-through' } };
  return { color: 'default' as const, sx: {} };
}

function Links({ refs }: { refs: LinkRef[] }) {
  if (!refs.length) return <Empty />;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {refs.map((ref) => (
        <Chip
          key={ref.documentId}
          size="small"
          variant="outlined"
          label={ref.label ?? ref.documentId}
          {...flagged(ref)}
        />
      ))}
    </Stack>
  );
}

function Files({ files }: { files: FileRef[] }) {
  if (!files.length) return <Empty />;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {files.map((file) => (
        <Chip
          key={file.id}
          size="small"
          variant="outlined"
          label={file.name ?? `#${file.id}`}
          avatar={file.url && file.mime?.startsWith('image/') ? <Avatar alt="" src={file.url} /> : undefined}
          {...flagged(file)}
        />
      ))}
    </Stack>
  );
}

/** An item of a list of components in a line: its text values, in order. */
function itemSummary(value: Record<string, unknown>): string {
  return cut(
    Object.values(value)
      .filter((v): v is string => typeof v === 'string' && v !== '')
      .join(' · '),
  );
}

function Items({ items }: { items: ItemChange[] }) {
  const translate = useTranslate();
  return (
    <Stack spacing={0.5}>
      {items.map((item) => (
        <Stack key={`${item.change}-${item.index}`} direction="row" spacing={1} sx={{ alignItems: 'baseline' }}>
          <Chip
            size="small"
            color={item.change === 'added' ? 'success' : 'error'}
            label={translate(`folio.history.change.${item.change}`)}
          />
          <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
            <strong>{component(item.component)?.displayName ?? item.component}</strong>
            {item.removedFromSchema ? ` (${translate('folio.history.removed_from_schema')})` : ''}
            {itemSummary(item.value) ? ` — ${itemSummary(item.value)}` : ''}
          </Typography>
        </Stack>
      ))}
    </Stack>
  );
}

function Content({ diff, names }: { diff: FieldDiff; names: SideNames }) {
  switch (diff.kind) {
    case 'text':
    case 'blocks':
      return <TextDiff parts={diff.text} />;
    case 'relation':
      return <SideBySide names={names} before={<Links refs={diff.before} />} after={<Links refs={diff.after} />} />;
    case 'media':
      return <SideBySide names={names} before={<Files files={diff.before} />} after={<Files files={diff.after} />} />;
    case 'component':
      return (
        <Box sx={{ pl: 1.5, borderLeft: 2, borderColor: 'divider' }}>
          <DiffFields fields={diff.fields} names={names} />
        </Box>
      );
    case 'components':
    case 'dynamiczone':
      return <Items items={diff.items} />;
    case 'value':
    case 'removedAttribute':
      return (
        <SideBySide
          names={names}
          before={<PlainValue value={diff.before} />}
          after={<PlainValue value={diff.after} />}
        />
      );
  }
}

function FieldBlock({ diff, names }: { diff: FieldDiff; names: SideNames }) {
  const translate = useTranslate();
  return (
    <Box component="section" aria-label={labelOf(diff.field)} data-field={diff.field}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5, flexWrap: 'wrap' }}>
        <Typography variant="subtitle2">{labelOf(diff.field)}</Typography>
        <Chip size="small" variant="outlined" label={translate(`folio.history.change.${diff.change}`)} />
        {diff.kind === 'removedAttribute' ? (
          <Chip size="small" color="warning" label={translate('folio.history.removed_from_schema')} />
        ) : null}
      </Stack>
      <Content diff={diff} names={names} />
    </Box>
  );
}

export function DiffFields({ fields, names }: { fields: FieldDiff[]; names: SideNames }) {
  const translate = useTranslate();
  if (!fields.length)
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('folio.history.no_changes')}
      </Typography>
    );
  return (
    <Stack spacing={2}>
      {fields.map((diff) => (
        <FieldBlock key={diff.field} diff={diff} names={names} />
      ))}
    </Stack>
  );
}
