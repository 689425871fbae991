// The inputs of an entry's form, in the sections of the type's layout: each section's title (if it
// has one) over its fields, laid out by FieldGrid. The layout places every attribute the editor may
// see (the server completes it), so nothing is left out here.
import { Box, Typography } from '@mui/material';
import { AttributeInput } from './inputs';
import { FieldGrid } from './FieldGrid';
import type { ContentTypeInfo } from './schema';

export function EntryFields({ type }: { type: ContentTypeInfo }) {
  return (
    <>
      {type.layout.edit.map((section, index) => (
        <Box
          // Titles may repeat: the position tells sections apart.
          key={`${index}:${section.title ?? ''}`}
          component="section"
          aria-label={section.title}
          sx={{ width: '100%', mt: index > 0 ? 2 : 0 }}
        >
          {section.title ? (
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
              {section.title}
            </Typography>
          ) : null}
          <FieldGrid
            fields={section.fields}
            render={(name) => {
              const attribute = Object.hasOwn(type.attributes, name) ? type.attributes[name] : undefined;
              return attribute ? (
                <AttributeInput uid={type.uid} name={name} attribute={attribute} source={name} />
              ) : null;
            }}
          />
        </Box>
      ))}
    </>
  );
}
