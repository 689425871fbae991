// A member's email in the members list, editable by an admin: saved on Enter or when the field
// loses focus with another value. An admin's change applies at once (no confirmation mail), audited
// by the server (docs/members.md, "Changing an email").
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import { TextField } from '@mui/material';

export function MemberEmailField({
  username,
  email,
  onSave,
}: {
  username: string;
  email: string;
  onSave: (email: string) => Promise<void>;
}) {
  const translate = useTranslate();
  const [value, setValue] = useState(email);
  useEffect(() => setValue(email), [email]);
  const commit = () => {
    if (value.trim() && value.trim() !== email) void onSave(value.trim());
  };
  return (
    <TextField
      size="small"
      type="email"
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      slotProps={{ htmlInput: { 'aria-label': translate('folio.members.email_of', { name: username }) } }}
    />
  );
}
