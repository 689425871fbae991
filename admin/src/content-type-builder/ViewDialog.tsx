// "Configure the view" of a content type or component: the order of the fields in the edit form
// (dragged with @dnd-kit, or moved with the arrow buttons from the keyboard), their width, the
// sections they are grouped in, and the columns lists show by default. Done puts the layout in the
// builder's working copy; it reaches editors with the next Save, like any other schema edit.
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import {
  closestCorners,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragOverEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  IconButton,
  Paper,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import DragIndicatorIcon from '@mui/icons-material/DragIndicator';
import type {
  ComponentDefinition,
  ComponentLayout,
  ContentTypeDefinition,
  ContentTypeLayout,
  LayoutSize,
} from './model';
import {
  addSection,
  columnChoices,
  isSectionId,
  layoutOf,
  locate,
  moveField,
  removeSection,
  setSectionTitle,
  setSize,
  stepColumn,
  stepField,
  stepSection,
  toggleColumn,
  viewStateOf,
  type ViewSection,
  type ViewState,
} from './viewLayout';

interface Props {
  definition: ContentTypeDefinition | ComponentDefinition;
  component: boolean;
  onClose: () => void;
  onSave: (layout: ContentTypeLayout | ComponentLayout) => void;
}

interface FieldRowProps {
  name: string;
  size: LayoutSize;
  onStep: (delta: -1 | 1) => void;
  onSize: (size: LayoutSize) => void;
}

function FieldRow({ name, size, onStep, onSize }: FieldRowProps) {
  const translate = useTranslate();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: name,
  });
  return (
    <Paper
      ref={setNodeRef}
      variant="outlined"
      data-layout-field={name}
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: 1,
        px: 1,
        py: 0.5,
        opacity: isDragging ? 0.5 : 1,
        transform: CSS.Transform.toString(transform),
        transition,
      }}
    >
      <IconButton
        ref={setActivatorNodeRef}
        size="small"
        aria-label={translate('folio.layout.drag', { name })}
        sx={{ cursor: 'grab', touchAction: 'none' }}
        {...attributes}
        {...listeners}
      >
        <DragIndicatorIcon fontSize="small" />
      </IconButton>
      <Box component="code" sx={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {name}
      </Box>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={size}
        aria-label={translate('folio.layout.width', { name })}
        onChange={(_e, value: LayoutSize | null) => value && onSize(value)}
      >
        <ToggleButton value="full">{translate('folio.layout.full')}</ToggleButton>
        <ToggleButton value="half">{translate('folio.layout.half')}</ToggleButton>
      </ToggleButtonGroup>
      <IconButton size="small" aria-label={translate('folio.layout.move_up', { name })} onClick={() => onStep(-1)}>
        <ArrowUpwardIcon fontSize="small" />
      </IconButton>
      <IconButton size="small" aria-label={translate('folio.layout.move_down', { name })} onClick={() => onStep(1)}>
        <ArrowDownwardIcon fontSize="small" />
      </IconButton>
    </Paper>
  );
}

interface SectionProps {
  section: ViewSection;
  index: number;
  count: number;
  component: boolean;
  update: (change: (state: ViewState) => ViewState) => void;
}

function SectionBox({ section, index, count, component, update }: SectionProps) {
  const translate = useTranslate();
  // The section itself is a drop target, so that a field can be dropped into an empty one.
  const { setNodeRef } = useDroppable({ id: section.id });
  const name = section.title.trim() || translate('folio.layout.untitled');
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }} component="section" aria-label={name} data-layout-section={index}>
      {component ? null : (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', mb: 1 }}>
          <TextField
            size="small"
            label={translate('folio.layout.section_title')}
            helperText={translate('folio.layout.section_title_help')}
            value={section.title}
            onChange={(e) => update((s) => setSectionTitle(s, index, e.target.value))}
            slotProps={{ htmlInput: { maxLength: 100 } }}
            sx={{ flex: 1 }}
          />
          <IconButton
            aria-label={translate('folio.layout.section_up', { name })}
            disabled={index === 0}
            onClick={() => update((s) => stepSection(s, index, -1))}
          >
            <ArrowUpwardIcon fontSize="small" />
          </IconButton>
          <IconButton
            aria-label={translate('folio.layout.section_down', { name })}
            disabled={index === count - 1}
            onClick={() => update((s) => stepSection(s, index, 1))}
          >
            <ArrowDownwardIcon fontSize="small" />
          </IconButton>
          <IconButton
            aria-label={translate('folio.layout.remove_section', { name })}
            disabled={count <= 1}
            onClick={() => update((s) => removeSection(s, index))}
          >
            <DeleteIcon fontSize="small" />
          </IconButton>
        </Stack>
      )}
      <SortableContext id={section.id} items={section.fields.map((f) => f.name)} strategy={verticalListSortingStrategy}>
        <Stack ref={setNodeRef} spacing={0.5} sx={{ minHeight: 40 }}>
          {section.fields.length === 0 ? (
            <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
              {translate('folio.layout.empty_section')}
            </Typography>
          ) : null}
          {section.fields.map((f) => (
            <FieldRow
              key={f.name}
              name={f.name}
              size={f.size}
              onStep={(delta) => update((s) => stepField(s, f.name, delta))}
              onSize={(size) => update((s) => setSize(s, f.name, size))}
            />
          ))}
        </Stack>
      </SortableContext>
    </Paper>
  );
}

interface ColumnsProps {
  definition: ContentTypeDefinition | ComponentDefinition;
  state: ViewState;
  update: (change: (state: ViewState) => ViewState) => void;
}

function ColumnsEditor({ definition, state, update }: ColumnsProps) {
  const translate = useTranslate();
  const choices = columnChoices(definition, state);
  if (choices.length === 0)
    return <Typography color="text.secondary">{translate('folio.layout.no_columns')}</Typography>;
  return (
    <Stack aria-label={translate('folio.layout.list')} role="group">
      {choices.map((name) => {
        const shown = state.list.includes(name);
        const at = state.list.indexOf(name);
        return (
          <Stack key={name} direction="row" sx={{ alignItems: 'center' }} data-layout-column={name}>
            <FormControlLabel
              sx={{ flex: 1 }}
              control={
                <Checkbox checked={shown} onChange={(e) => update((s) => toggleColumn(s, name, e.target.checked))} />
              }
              label={<code>{name}</code>}
            />
            <IconButton
              size="small"
              aria-label={translate('folio.layout.column_up', { name })}
              disabled={!shown || at === 0}
              onClick={() => update((s) => stepColumn(s, name, -1))}
            >
              <ArrowUpwardIcon fontSize="small" />
            </IconButton>
            <IconButton
              size="small"
              aria-label={translate('folio.layout.column_down', { name })}
              disabled={!shown || at === state.list.length - 1}
              onClick={() => update((s) => stepColumn(s, name, 1))}
            >
              <ArrowDownwardIcon fontSize="small" />
            </IconButton>
          </Stack>
        );
      })}
    </Stack>
  );
}

/** Drag and drop: over another section the field joins it; dropped, it takes the place it is over. */
function useDragHandlers(update: (change: (state: ViewState) => ViewState) => void) {
  const target = (state: ViewState, overId: string) => {
    const at = locate(state, overId);
    if (!at) return undefined;
    return { section: at.section, index: at.index < 0 ? state.sections[at.section].fields.length : at.index };
  };
  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over || active.id === over.id) return;
    update((state) => {
      const from = locate(state, String(active.id));
      const to = target(state, String(over.id));
      if (!from || !to || from.section === to.section) return state;
      return moveField(state, String(active.id), to.section, to.index);
    });
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id || isSectionId(String(active.id))) return;
    update((state) => {
      const to = target(state, String(over.id));
      return to ? moveField(state, String(active.id), to.section, to.index) : state;
    });
  };
  return { onDragOver, onDragEnd };
}

export function ViewDialog({ definition, component, onClose, onSave }: Props) {
  const translate = useTranslate();
  const [state, setState] = useState<ViewState>(() => viewStateOf(definition, component));
  const update = (change: (state: ViewState) => ViewState) => setState(change);
  const sensors = useSensors(
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const handlers = useDragHandlers(update);
  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth aria-labelledby="view-dialog-title">
      <DialogTitle id="view-dialog-title">
        {translate('folio.layout.title', { name: definition.info.displayName })}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate(component ? 'folio.layout.component_intro' : 'folio.layout.intro')}
        </Typography>
        <Typography variant="subtitle2" component="h3" sx={{ mb: 1 }}>
          {translate('folio.layout.form')}
        </Typography>
        <DndContext sensors={sensors} collisionDetection={closestCorners} {...handlers}>
          <Stack spacing={1.5}>
            {state.sections.map((section, index) => (
              <SectionBox
                key={section.id}
                section={section}
                index={index}
                count={state.sections.length}
                component={component}
                update={update}
              />
            ))}
          </Stack>
        </DndContext>
        {component ? null : (
          <>
            <Button startIcon={<AddIcon />} onClick={() => update(addSection)} sx={{ mt: 1 }}>
              {translate('folio.layout.add_section')}
            </Button>
            <Typography variant="subtitle2" component="h3" sx={{ mt: 3 }}>
              {translate('folio.layout.list')}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('folio.layout.list_help')}
            </Typography>
            <ColumnsEditor definition={definition} state={state} update={update} />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('folio.layout.cancel')}</Button>
        <Button variant="contained" onClick={() => onSave(layoutOf(state, component))}>
          {translate('folio.layout.done')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
