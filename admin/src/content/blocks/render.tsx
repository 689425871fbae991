// How each Strapi block and text modifier looks while editing. Stored strings are only ever React
// text children; a link is shown, not followed (no href), so a stored "javascript:" URL cannot run.
import type { ReactElement, ReactNode } from 'react';
import { Box, Typography } from '@mui/material';
import { useFocused, useSelected, type RenderElementProps, type RenderLeafProps } from 'slate-react';
import type { HeadingLevel, ImageNode } from './types';

const HEADING_VARIANTS: Record<HeadingLevel, 'h3' | 'h4' | 'h5' | 'h6' | 'subtitle1' | 'subtitle2'> = {
  1: 'h3',
  2: 'h4',
  3: 'h5',
  4: 'h6',
  5: 'subtitle1',
  6: 'subtitle2',
};

function ImageElement({ attributes, children, element }: RenderElementProps & { element: ImageNode }) {
  const selected = useSelected();
  const focused = useFocused();
  const { url, alternativeText, name, width, height } = element.image;
  return (
    <Box {...attributes} sx={{ my: 1 }}>
      {children}
      <Box
        contentEditable={false}
        sx={{
          display: 'flex',
          justifyContent: 'center',
          bgcolor: 'action.hover',
          borderRadius: 1,
          outline: selected && focused ? 3 : 0,
          outlineColor: 'primary.main',
        }}
      >
        <Box
          component="img"
          src={url}
          alt={alternativeText ?? name}
          width={width}
          height={height}
          sx={{ maxWidth: '100%', maxHeight: 400, height: 'auto', objectFit: 'contain' }}
        />
      </Box>
    </Box>
  );
}

export function renderElement(props: RenderElementProps): ReactElement {
  const { attributes, element } = props;
  const children = props.children as ReactNode; // slate-react types the rendered children as `any`
  switch (element.type) {
    case 'heading':
      return (
        <Typography
          {...attributes}
          component={`h${element.level}`}
          variant={HEADING_VARIANTS[element.level]}
          sx={{ my: 1 }}
        >
          {children}
        </Typography>
      );
    case 'quote':
      return (
        <Box
          {...attributes}
          component="blockquote"
          sx={{ borderLeft: 4, borderColor: 'divider', pl: 2, mx: 0, my: 1, color: 'text.secondary' }}
        >
          {children}
        </Box>
      );
    case 'code':
      return (
        <Box
          {...attributes}
          component="pre"
          sx={{
            fontFamily: 'monospace',
            bgcolor: 'action.hover',
            p: 1.5,
            borderRadius: 1,
            whiteSpace: 'pre-wrap',
            my: 1,
          }}
        >
          <code>{children}</code>
        </Box>
      );
    case 'list':
      return (
        <Box {...attributes} component={element.format === 'ordered' ? 'ol' : 'ul'} sx={{ my: 1, pl: 3 }}>
          {children}
        </Box>
      );
    case 'list-item':
      return <li {...attributes}>{children}</li>;
    case 'link':
      return (
        <Box
          {...attributes}
          component="a"
          title={element.url}
          sx={{ color: 'primary.main', textDecoration: 'underline', cursor: 'text' }}
        >
          {children}
        </Box>
      );
    case 'image':
      return <ImageElement {...props} element={element} />;
    case 'paragraph':
    default:
      return (
        <Box {...attributes} component="p" sx={{ my: 1 }}>
          {children}
        </Box>
      );
  }
}

export function renderLeaf({ attributes, children, leaf }: RenderLeafProps): ReactElement {
  let out = children as ReactNode; // slate-react types the rendered children as `any`
  if (leaf.code)
    out = (
      <Box component="code" sx={{ fontFamily: 'monospace', bgcolor: 'action.hover', px: 0.5, borderRadius: 0.5 }}>
        {out}
      </Box>
    );
  if (leaf.bold) out = <strong>{out}</strong>;
  if (leaf.italic) out = <em>{out}</em>;
  if (leaf.underline) out = <u>{out}</u>;
  if (leaf.strikethrough) out = <s>{out}</s>;
  return <span {...attributes}>{out}</span>;
}
