// "Configure the view": the state the dialog edits (sections of fields with widths, list columns)
// and every edit it makes, as pure functions. The state starts complete — every attribute placed,
// the list columns the lists would show — and becomes the definition's `layout` when saved.
import { editSections, isListDisplayable, listColumns } from '../../../server/schema/layout.js';
import { mainAttributeOf } from '../../../server/schema/text-attributes.js';
import {
  canonical,
  type ComponentDefinition,
  type ComponentLayout,
  type ContentTypeDefinition,
  type ContentTypeLayout,
  type LayoutField,
  type LayoutSize,
} from './model.js';

export interface ViewSection {
  /** Stable while the dialog is open (drag and drop addresses sections by it). */
  id: string;
  title: string;
  fields: Array<{ name: string; size: LayoutSize }>;
}

export interface ViewState {
  sections: ViewSection[];
  /** The default list columns, in order (content types only). */
  list: string[];
}

type Definition = ContentTypeDefinition | ComponentDefinition;

/** Section ids cannot be field names: those never hold a hyphen. */
export const isSectionId = (id: string) => id.startsWith('section-');

export function viewStateOf(def: Definition, component: boolean): ViewState {
  const sections = editSections(def).map((s, i) => ({ id: `section-${i}`, title: s.title ?? '', fields: s.fields }));
  if (sections.length === 0) sections.push({ id: 'section-0', title: '', fields: [] });
  return { sections, list: component ? [] : listColumns(def, mainAttributeOf(def.attributes)) };
}

/** The state as a definition's layout: empty sections dropped, default widths left out. */
export function layoutOf(state: ViewState, component: boolean): ContentTypeLayout | ComponentLayout {
  const fields = (section: ViewSection): LayoutField[] =>
    section.fields.map((f) => (f.size === 'half' ? { name: f.name, size: 'half' } : { name: f.name }));
  if (component) return { edit: [{ fields: state.sections.flatMap(fields) }] };
  return {
    edit: state.sections
      .filter((s) => s.fields.length > 0)
      .map((s) => (s.title.trim() ? { title: s.title.trim(), fields: fields(s) } : { fields: fields(s) })),
    list: state.list,
  };
}

/** Whether a layout says no more than the definition's own (or default) layout already does. */
export function unchangedLayout(
  def: Definition,
  component: boolean,
  layout: ContentTypeLayout | ComponentLayout,
): boolean {
  return canonical(layoutOf(viewStateOf(def, component), component)) === canonical(layout);
}

/** Where a field or a section id is: its section's index, and the field's index (-1 for a section). */
export function locate(state: ViewState, id: string): { section: number; index: number } | undefined {
  for (const [section, s] of state.sections.entries()) {
    if (s.id === id) return { section, index: -1 };
    const index = s.fields.findIndex((f) => f.name === id);
    if (index >= 0) return { section, index };
  }
  return undefined;
}

/** The field moved to `index` of section `section` (counted after taking it out). */
export function moveField(state: ViewState, name: string, section: number, index: number): ViewState {
  const from = locate(state, name);
  if (!from || from.index < 0 || !state.sections[section]) return state;
  const field = state.sections[from.section].fields[from.index];
  const sections = state.sections.map((s) => ({ ...s, fields: s.fields.filter((f) => f.name !== name) }));
  const target = sections[section].fields;
  target.splice(Math.max(0, Math.min(index, target.length)), 0, field);
  return { ...state, sections };
}

/**
 * The field one place up or down (the move up/down buttons): past the first or last field of its
 * section it goes to the end of the section before, or the start of the one after.
 */
export function stepField(state: ViewState, name: string, delta: -1 | 1): ViewState {
  const at = locate(state, name);
  if (!at || at.index < 0) return state;
  const size = state.sections[at.section].fields.length;
  const index = at.index + delta;
  if (index >= 0 && index < size) return moveField(state, name, at.section, index);
  const next = at.section + delta;
  if (next < 0 || next >= state.sections.length) return state;
  return moveField(state, name, next, delta < 0 ? state.sections[next].fields.length : 0);
}

export function setSize(state: ViewState, name: string, size: LayoutSize): ViewState {
  return {
    ...state,
    sections: state.sections.map((s) => ({
      ...s,
      fields: s.fields.map((f) => (f.name === name ? { ...f, size } : f)),
    })),
  };
}

export function addSection(state: ViewState): ViewState {
  const taken = state.sections.map((s) => Number(s.id.slice('section-'.length)));
  const id = `section-${Math.max(-1, ...taken) + 1}`;
  return { ...state, sections: [...state.sections, { id, title: '', fields: [] }] };
}

export function setSectionTitle(state: ViewState, index: number, title: string): ViewState {
  return { ...state, sections: state.sections.map((s, i) => (i === index ? { ...s, title } : s)) };
}

/** Removes a section; its fields join the section before it (the one after, for the first). */
export function removeSection(state: ViewState, index: number): ViewState {
  if (state.sections.length <= 1) return state;
  const heir = index === 0 ? 1 : index - 1;
  const moved = state.sections[index].fields;
  const sections = state.sections.map((s, i) =>
    i === heir ? { ...s, fields: index === 0 ? [...moved, ...s.fields] : [...s.fields, ...moved] } : s,
  );
  return { ...state, sections: sections.filter((_, i) => i !== index) };
}

export function stepSection(state: ViewState, index: number, delta: -1 | 1): ViewState {
  const other = index + delta;
  if (other < 0 || other >= state.sections.length) return state;
  const sections = [...state.sections];
  [sections[index], sections[other]] = [sections[other], sections[index]];
  return { ...state, sections };
}

/** The attributes a list may show as columns: the chosen ones in their order, then the others. */
export function columnChoices(def: Definition, state: ViewState): string[] {
  const displayable = Object.keys(def.attributes).filter((n) => isListDisplayable(def.attributes[n]));
  return [...state.list, ...displayable.filter((n) => !state.list.includes(n))];
}

export function toggleColumn(state: ViewState, name: string, shown: boolean): ViewState {
  const list = state.list.filter((n) => n !== name);
  return { ...state, list: shown ? [...list, name] : list };
}

export function stepColumn(state: ViewState, name: string, delta: -1 | 1): ViewState {
  const index = state.list.indexOf(name);
  const other = index + delta;
  if (index < 0 || other < 0 || other >= state.list.length) return state;
  const list = [...state.list];
  [list[index], list[other]] = [list[other], list[index]];
  return { ...state, list };
}
