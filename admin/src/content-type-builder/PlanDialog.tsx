// Save's confirmation: what the server will do to the database, step by step. Steps that destroy
// data are marked with what they destroy, and applying them needs an explicit "I understand data
// will be lost" (only then is `force` sent). Changes the data does not allow cannot be applied.
import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
} from '@mui/material';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import CheckCircleOutlineIcon from '@mui/icons-material/CheckCircleOutlineOutlined';
import ViewQuiltIcon from '@mui/icons-material/ViewQuiltOutlined';
import { isLayoutStep, type Plan } from './api';
import type { SchemaDocument } from './model';

interface Props {
  plan: Plan;
  doc: SchemaDocument;
  applying: boolean;
  onCancel: () => void;
  onConfirm: (force: boolean) => void;
}

const CHANGE_LABEL = { create: 'new', update: 'changed', delete: 'deleted' } as const;

export function PlanDialog({ plan, doc, applying, onCancel, onConfirm }: Props) {
  const [understood, setUnderstood] = useState(false);
  const destructive = plan.destructive.length > 0;
  const blocked = plan.blocked.length > 0;
  const nameOf = (kind: 'contentType' | 'component', uid: string) =>
    (kind === 'contentType' ? doc.contentTypes[uid]?.info.displayName : doc.components[uid]?.info.displayName) ?? uid;

  return (
    <Dialog open onClose={applying ? undefined : onCancel} maxWidth="md" fullWidth aria-labelledby="plan-dialog-title">
      <DialogTitle id="plan-dialog-title">Apply these changes?</DialogTitle>
      <DialogContent>
        {plan.changes.length > 0 ? (
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mb: 2 }} aria-label="Changed definitions">
            {plan.changes.map((c) => (
              <Chip
                key={`${c.kind}:${c.uid}`}
                label={
                  `${nameOf(c.kind, c.uid)} (${c.kind === 'component' ? 'component' : 'content type'}): ` +
                  `${CHANGE_LABEL[c.change]}`
                }
                color={c.change === 'delete' ? 'error' : c.change === 'create' ? 'success' : 'default'}
                variant="outlined"
                size="small"
              />
            ))}
          </Box>
        ) : null}
        {plan.noop ? <Alert severity="info">Nothing to change: the schema in force already matches.</Alert> : null}
        {!plan.noop && plan.steps.every(isLayoutStep) ? (
          <Alert severity="info">
            No table changes: only the stored definitions (names, options, validation rules, view layouts) are updated.
          </Alert>
        ) : null}
        {blocked ? (
          <Alert severity="error" sx={{ mb: 2 }}>
            The data does not allow this change: {plan.blocked.join('; ')}
          </Alert>
        ) : null}
        {destructive ? (
          <Alert severity="error" sx={{ mb: 2 }} role="alert">
            {plan.destructive.length === 1 ? 'One step deletes' : `${plan.destructive.length} steps delete`} data for
            good:{' '}
            {plan.destructive
              .map(
                (s) =>
                  `${s.column ? `${s.table}.${s.column}` : s.table} (${s.rowsAtStake} row` +
                  `${s.rowsAtStake === 1 ? '' : 's'})`,
              )
              .join(', ')}
            .
          </Alert>
        ) : null}
        {plan.steps.length > 0 ? (
          <>
            <Typography variant="subtitle2" component="h3">
              Steps, in order
            </Typography>
            <List dense aria-label="Plan steps">
              {plan.steps.map((step, i) => (
                <ListItem
                  key={i}
                  data-destructive={step.destructive ? 'true' : 'false'}
                  sx={
                    step.destructive
                      ? {
                          bgcolor: (t) => (t.palette.mode === 'dark' ? 'rgba(244,67,54,0.15)' : 'rgba(244,67,54,0.08)'),
                          borderLeft: 3,
                          borderColor: 'error.main',
                        }
                      : undefined
                  }
                >
                  <ListItemIcon sx={{ minWidth: 36 }}>
                    {step.destructive ? (
                      <WarningAmberIcon color="error" titleAccess="Loses data" />
                    ) : isLayoutStep(step) ? (
                      <ViewQuiltIcon color="action" titleAccess="No database change" />
                    ) : (
                      <CheckCircleOutlineIcon color="success" titleAccess="Keeps data" />
                    )}
                  </ListItemIcon>
                  <ListItemText
                    primary={step.description}
                    secondary={
                      step.destructive
                        ? `Loses data: ${step.rowsAtStake} row${step.rowsAtStake === 1 ? '' : 's'} in ` +
                          `${step.column ? `${step.table}.${step.column}` : step.table}`
                        : undefined
                    }
                    slotProps={{ secondary: { color: 'error' } }}
                  />
                </ListItem>
              ))}
            </List>
          </>
        ) : null}
        {destructive ? (
          <FormControlLabel
            control={<Checkbox checked={understood} onChange={(e) => setUnderstood(e.target.checked)} color="error" />}
            label="I understand data will be lost"
          />
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} disabled={applying}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color={destructive ? 'error' : 'primary'}
          disabled={applying || blocked || plan.noop || (destructive && !understood)}
          onClick={() => onConfirm(destructive && understood)}
          startIcon={applying ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {destructive ? 'Apply and delete data' : 'Apply'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
