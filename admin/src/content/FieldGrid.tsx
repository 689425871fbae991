// Fields laid out as the type's layout says (Content-Type Builder › Configure the view): two
// columns on wide screens, where a half-width field sits beside the next one and a full-width field
// takes a row of its own; one column on phones, where every field is full width.
import type { ReactNode } from 'react';
import { Box } from '@mui/material';
import type { EditSection } from './schema';

interface FieldGridProps {
  fields: EditSection['fields'];
  render: (name: string) => ReactNode;
}

export function FieldGrid({ fields, render }: FieldGridProps) {
  return (
    <Box
      sx={{
        display: 'grid',
        width: '100%',
        columnGap: 2,
        alignItems: 'start',
        gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'repeat(2, minmax(0, 1fr))' },
      }}
    >
      {fields.map(({ name, size }) => (
        <Box
          key={name}
          data-field={name}
          data-size={size}
          sx={{ minWidth: 0, gridColumn: { xs: '1 / -1', md: size === 'half' ? 'auto / span 1' : '1 / -1' } }}
        >
          {render(name)}
        </Box>
      ))}
    </Box>
  );
}
