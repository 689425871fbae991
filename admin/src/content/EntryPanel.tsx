// The side panel of an entry's form: where it stands (draft, published, modified; unsaved changes),
// what can be done with it (Save, Publish, Unpublish, Discard changes, Delete; only what the role and
// the document's state allow), who made it and when, its locales, and the place the entry's history
// and scheduled publication will take. Publish with unsaved changes saves them first; on a create
// page it creates the entry, then publishes it.
import { useState, type ReactNode } from 'react';
import {
  DeleteButton,
  SaveButton,
  useFormIsDirty,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { useFormState } from 'react-hook-form';
import { Box, Button, Card, CardContent, Chip, Divider, Stack, Typography } from '@mui/material';
import PublishIcon from '@mui/icons-material/Publish';
import UnpublishedIcon from '@mui/icons-material/Unpublished';
import UndoIcon from '@mui/icons-material/Undo';
import { documentAction } from './data';
import { DuplicateButton } from './DuplicateButton';
import { FillFromLocale } from './FillFromLocale';
import { HistoryButton } from './history/HistoryButton';
import { LocaleSwitcher } from './locale';
import { ScheduleSection } from './schedule/ScheduleSection';
import { AddToReleaseButton } from '../releases/AddToReleaseButton';
import { EntryReleases } from '../releases/EntryReleases';
import { PreviewButton } from './PreviewButton';
import { PreviewPanelToggle } from './PreviewPanel';
import { documentState, StatusChip } from './StatusChip';
import { useFormSubmit, useSaveShortcut } from './useFormSubmit';
import { usePrimeRecord } from './usePrimeRecord';
import type { ContentTypeInfo } from './schema';

type DocumentAction = 'publish' | 'unpublish' | 'discard';

export interface EntryPanelProps {
  type: ContentTypeInfo;
  /** The create page: the entry does not exist yet. */
  creating?: boolean;
  /** The locale the page edits (the URL's), for a record that does not say. */
  locale?: string;
  /** What follows a successful create (the page's own redirect). */
  onCreated?: (record: RaRecord) => void;
}

/** The documentId the document actions address (single types keep it beside the form's `id`). */
export function documentIdOf(type: ContentTypeInfo, record: RaRecord | undefined): string | undefined {
  const id: unknown = type.kind === 'singleType' ? record?.$documentId : record?.documentId;
  return typeof id === 'string' && id ? id : undefined;
}

/**
 * The entry's history (its versions: the History drawer) and its scheduled publication (the Schedule
 * dialog, pending and failed schedules; Add to release). An entry not saved yet has neither; history needs a type whose
 * versions are recorded, scheduling a type with draft & publish.
 */
export function HistoryAndScheduleSlot(props: {
  type: ContentTypeInfo;
  documentId: string | undefined;
  locale: string | undefined;
  /** The entry's name, for the Schedule dialog's messages. */
  label?: string;
}) {
  const { type, documentId, locale } = props;
  const [releaseRound, setReleaseRound] = useState(0);
  if (!documentId || (!type.history && !type.draftAndPublish)) return null;
  return (
    <>
      <Divider />
      <Section>
        <Stack spacing={1}>
          {type.history ? <HistoryButton type={type} documentId={documentId} locale={locale} /> : null}
          {type.draftAndPublish ? (
            <ScheduleSection type={type} documentId={documentId} locale={locale} label={props.label ?? documentId} />
          ) : null}
          {type.draftAndPublish && type.actions.includes('publish') ? (
            <AddToReleaseButton
              type={type}
              documentId={documentId}
              locale={locale}
              label={props.label ?? documentId}
              onAdded={() => setReleaseRound((n) => n + 1)}
            />
          ) : null}
          {type.draftAndPublish ? <EntryReleases uid={type.uid} documentId={documentId} round={releaseRound} /> : null}
        </Stack>
      </Section>
    </>
  );
}

function useDocumentActions(type: ContentTypeInfo, locale: string | undefined) {
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const [busy, setBusy] = useState(false);
  const act = (documentId: string, action: DocumentAction) =>
    documentAction(type.uid, documentId, action, type.localized ? locale : undefined);
  const run = async (documentId: string, action: DocumentAction, done: string) => {
    setBusy(true);
    try {
      await act(documentId, action);
      notify(translate(done), { type: 'success' });
      refresh();
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return { busy, setBusy, act, run };
}

function EntryActions({ type, creating, locale: pageLocale, onCreated }: EntryPanelProps) {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const submit = useFormSubmit();
  const primeRecord = usePrimeRecord();
  const isDirty = useFormIsDirty();
  const { isSubmitting, isSubmitSuccessful } = useFormState();
  const locale = typeof record?.locale === 'string' ? record.locale : pageLocale;
  const { busy, setBusy, act, run } = useDocumentActions(type, locale);
  const documentId = creating ? undefined : documentIdOf(type, record);
  const exists = documentId !== undefined && record?.__newLocale !== true;
  const state = documentState(record);
  const canPublish = type.draftAndPublish && type.actions.includes('publish');
  // A created entry is on its way to its edit page: this form must not save it a second time.
  const disabled = busy || isSubmitting || (creating === true && isSubmitSuccessful);

  const save = () => {
    if (!disabled && (creating || isDirty)) void submit();
  };
  useSaveShortcut(save);

  /** Saves the changes (or creates the entry) first, then publishes what was saved. */
  const saveAndPublish = async () => {
    let saved: RaRecord | undefined;
    setBusy(true);
    try {
      await submit({
        onSuccess: (data: RaRecord) => {
          saved = data;
        },
      });
      if (!saved) return;
      try {
        await act(documentIdOf(type, saved) ?? String(saved.id), 'publish');
        const done = creating ? 'folio.content.created_and_published' : 'folio.content.saved_and_published';
        notify(translate(done), { type: 'success' });
      } catch (err) {
        notify(translate('folio.content.not_published', { message: (err as Error).message }), { type: 'warning' });
      }
      if (creating) {
        // Published or not, the edit page must open on the entry as it now is (usePrimeRecord.ts).
        await primeRecord(saved.id, pageLocale).catch(() => undefined);
        onCreated?.(saved);
      } else refresh();
    } finally {
      setBusy(false);
    }
  };
  const publish = () =>
    isDirty || !exists || !documentId ? saveAndPublish() : run(documentId, 'publish', 'folio.content.published');

  const saveLabel = type.draftAndPublish && !creating ? 'folio.content.save_draft' : 'folio.content.save';
  const showPublish = canPublish && (isDirty || (exists && state !== 'published'));
  const canDelete = !creating && type.kind === 'collectionType' && type.actions.includes('delete') && exists;
  return (
    <Stack direction={{ xs: 'row', md: 'column' }} spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
      <SaveButton label={saveLabel} disabled={disabled} />
      {showPublish ? (
        <Button
          variant="contained"
          color="secondary"
          disabled={disabled}
          startIcon={<PublishIcon />}
          onClick={() => void publish()}
        >
          {translate('folio.content.publish')}
        </Button>
      ) : null}
      {canPublish && exists && documentId && state !== 'draft' ? (
        <Button
          variant="outlined"
          disabled={disabled}
          startIcon={<UnpublishedIcon />}
          onClick={() => void run(documentId, 'unpublish', 'folio.content.unpublished')}
        >
          {translate('folio.content.unpublish')}
        </Button>
      ) : null}
      {type.draftAndPublish && type.actions.includes('update') && exists && documentId && state === 'modified' ? (
        <Button
          variant="outlined"
          disabled={disabled}
          startIcon={<UndoIcon />}
          onClick={() => void run(documentId, 'discard', 'folio.content.discarded')}
        >
          {translate('folio.content.discard')}
        </Button>
      ) : null}
      {creating ? null : <DuplicateButton type={type} locale={locale} />}
      {canDelete ? <DeleteButton mutationMode="pessimistic" variant="outlined" size="medium" /> : null}
    </Stack>
  );
}

/** How the Admin API names the admin who created or last saved an entry (createdBy / updatedBy). */
interface AdminName {
  id: number;
  name: string;
}

function isAdminName(value: unknown): value is AdminName {
  return typeof value === 'object' && value !== null && typeof (value as Partial<AdminName>).name === 'string';
}

function Meta({ label, date, by }: { label: string; date: unknown; by?: unknown }) {
  const translate = useTranslate();
  if (typeof date !== 'string' || !date) return null;
  const when = new Date(date).toLocaleString();
  const name = isAdminName(by) ? by.name : undefined;
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        {translate(label)}
      </Typography>
      <Typography variant="body2">{name ? translate('folio.content.panel.by', { date: when, name }) : when}</Typography>
    </Box>
  );
}

const ACTIONS_SX = {
  position: { xs: 'fixed', md: 'static' },
  left: 0,
  right: 0,
  bottom: 0,
  zIndex: { xs: 'appBar', md: 'auto' },
  bgcolor: 'background.paper',
  boxShadow: { xs: 8, md: 0 },
} as const;

/** The keyboard shortcut is for keyboards: not said on a phone. */
const SHORTCUT_HINT_SX = { mt: 1, display: { xs: 'none', md: 'block' } } as const;

/** Room under the form on a phone, for the fixed buttons. */
export const PHONE_ACTIONS_SPACE = 16;

/** The entry's name (its main field), when it has one. */
function nameOf(type: ContentTypeInfo, values: Record<string, unknown>): string | undefined {
  const name = type.mainField ? values[type.mainField] : undefined;
  return typeof name === 'string' && name ? name : undefined;
}

function Section({ children }: { children: ReactNode }) {
  return <Box sx={{ px: 2, py: 1.5 }}>{children}</Box>;
}

export function EntryPanel(props: EntryPanelProps) {
  const { type, creating, locale } = props;
  const record = useRecordContext();
  const translate = useTranslate();
  const isDirty = useFormIsDirty();
  const exists = !creating && record !== undefined && record.__newLocale !== true;
  const documentId = exists ? documentIdOf(type, record) : undefined;
  // The record's values as they are: each is checked where it is shown.
  const values: Record<string, unknown> = record ?? {};
  return (
    <Card
      component="aside"
      aria-label={translate('folio.content.panel.label')}
      sx={{ position: { md: 'sticky' }, top: { md: 72 } }}
    >
      {type.draftAndPublish || isDirty ? (
        <Section>
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            {type.draftAndPublish ? <StatusChip /> : null}
            {isDirty ? (
              <Chip size="small" color="info" variant="outlined" label={translate('folio.content.status.unsaved')} />
            ) : null}
          </Stack>
        </Section>
      ) : null}
      {/* On a phone the panel follows the form; its buttons stay in reach, fixed at the bottom of the screen. */}
      <CardContent sx={ACTIONS_SX}>
        <EntryActions {...props} />
        <Typography variant="caption" color="text.secondary" component="p" sx={SHORTCUT_HINT_SX}>
          {translate('folio.content.panel.shortcut')}
        </Typography>
      </CardContent>
      {type.localized ? (
        <>
          <Divider />
          <Section>
            <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
              <LocaleSwitcher type={type} />
              {creating ? null : <FillFromLocale type={type} locale={props.locale} />}
            </Stack>
          </Section>
        </>
      ) : null}
      {exists ? (
        <>
          <Divider />
          <Section>
            <Stack spacing={1}>
              <Meta label="folio.content.panel.created" date={values.createdAt} by={values.createdBy} />
              <Meta label="folio.content.panel.updated" date={values.updatedAt} by={values.updatedBy} />
              {type.draftAndPublish && documentState(record) !== 'draft' ? (
                <Meta label="folio.content.panel.published_at" date={values.__publishedAt} />
              ) : null}
            </Stack>
          </Section>
        </>
      ) : null}
      {type.preview && documentId ? (
        <>
          <Divider />
          <Section>
            <PreviewButton
              type={type}
              documentId={documentId}
              locale={typeof values.locale === 'string' ? values.locale : locale}
            />
            <PreviewPanelToggle />
          </Section>
        </>
      ) : null}
      <HistoryAndScheduleSlot
        type={type}
        documentId={documentId}
        locale={typeof values.locale === 'string' ? values.locale : locale}
        label={nameOf(type, values)}
      />
    </Card>
  );
}
