// Menu entries under "Content": one per content type the role may read (its resources exist only then).
import { Menu, useResourceDefinitions, useSidebarState } from 'react-admin';
import { ListSubheader } from '@mui/material';

export function ContentMenuItems() {
  const [open] = useSidebarState();
  const names = Object.values(useResourceDefinitions())
    .filter((r) => (r.options as { content?: boolean } | undefined)?.content)
    .map((r) => r.name);
  if (!names.length) return null;
  return (
    <>
      {open ? (
        <ListSubheader component="div" sx={{ bgcolor: 'transparent', lineHeight: '36px', mt: 1 }}>
          Content
        </ListSubheader>
      ) : null}
      {names.map((name) => (
        <Menu.ResourceItem key={name} name={name} />
      ))}
    </>
  );
}
