// Strapi 5's blocks JSON (what @strapi/blocks-react-renderer renders and Strapi's entity validator
// accepts), declared as Slate's own node types: the editor's document IS the stored value, with no
// conversion in between, so nothing can be lost or reshaped on the way in or out.
import type { BaseEditor } from 'slate';
import type { HistoryEditor } from 'slate-history';
import type { ReactEditor } from 'slate-react';

export const MODIFIERS = ['bold', 'italic', 'underline', 'strikethrough', 'code'] as const;
export type Modifier = (typeof MODIFIERS)[number];

/** A run of text. Strapi writes `type: "text"`; Slate's own new text nodes get it by normalisation. */
export type TextNode = { type?: 'text'; text: string } & { [M in Modifier]?: boolean };

export interface LinkNode {
  type: 'link';
  url: string;
  children: TextNode[];
}

export type InlineNode = TextNode | LinkNode;

export interface ParagraphNode {
  type: 'paragraph';
  children: InlineNode[];
}
export interface QuoteNode {
  type: 'quote';
  children: InlineNode[];
}
export interface CodeNode {
  type: 'code';
  language?: string | null;
  children: InlineNode[];
}
export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;
export interface HeadingNode {
  type: 'heading';
  level: HeadingLevel;
  children: InlineNode[];
}
export interface ListItemNode {
  type: 'list-item';
  children: InlineNode[];
}
export type ListFormat = 'ordered' | 'unordered';
/** A nested list is a child of its list, beside the items (Strapi's shape), one indentLevel deeper. */
export interface ListNode {
  type: 'list';
  format: ListFormat;
  indentLevel?: number;
  children: (ListItemNode | ListNode)[];
}

/** The fields of a media-library file Strapi copies into an image block. */
export interface BlockImage {
  name: string;
  alternativeText?: string | null;
  url: string;
  caption?: string | null;
  width: number;
  height: number;
  formats?: Record<string, unknown> | null;
  hash: string;
  ext: string;
  mime: string;
  size: number;
  previewUrl?: string | null;
  provider: string;
  provider_metadata?: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface ImageNode {
  type: 'image';
  image: BlockImage;
  children: TextNode[];
}

export type BlockNode = ParagraphNode | QuoteNode | CodeNode | HeadingNode | ListNode | ImageNode;
export type ElementNode = BlockNode | ListItemNode | LinkNode;
export type ElementType = ElementNode['type'];

declare module 'slate' {
  interface CustomTypes {
    Editor: BaseEditor & ReactEditor & HistoryEditor;
    Element: ElementNode;
    Text: TextNode;
  }
}
