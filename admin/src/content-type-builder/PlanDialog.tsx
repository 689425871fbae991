// Save's confirmation: what the server will do to the database, step by step. Steps that destroy
// data are marked with what they destroy, and applying them needs an explicit "I understand data
// will be lost" (only then is `force` sent). Changes the data does not allow cannot be applied.
// Default indexes existing fields lack are listed apart and built only when ticked
// (`acceptSuggested`): an index on a large table takes time, so it is never built unasked.
import { useState } from 'react';
import { useTranslate } from 'react-admin';
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
  onConfirm: (force: boolean, acceptSuggested: boolean) => void;
}

const CHANGE_LABEL = {
  create: 'folio.builder.plan.created',
  update: 'folio.builder.plan.changed',
  delete: 'folio.builder.plan.deleted',
} as const;

export function PlanDialog({ plan, doc, applying, onCancel, onConfirm }: Props) {
  const [understood, setUnderstood] = useState(false);
  const [acceptSuggested, setAcceptSuggested] = useState(false);
  const translate = useTranslate();
  const where = (s: { table: string; column: string | null }) => (s.column ? `${s.table}.${s.column}` : s.table);
  const destructive = plan.destructive.length > 0;
  const blocked = plan.blocked.length > 0;
  const nameOf = (kind: 'contentType' | 'component', uid: string) =>
    (kind === 'contentType' ? doc.contentTypes[uid]?.info.displayName : doc.components[uid]?.info.displayName) ?? uid;

  return (
    <Dialog open onClose={applying ? undefined : onCancel} maxWidth="md" fullWidth aria-labelledby="plan-dialog-title">
      <DialogTitle id="plan-dialog-title">{translate('folio.builder.plan.title')}</DialogTitle>
      <DialogContent>
        {plan.changes.length > 0 ? (
          <Box
            sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mb: 2 }}
            aria-label={translate('folio.builder.plan.definitions')}
          >
            {plan.changes.map((c) => (
              <Chip
                key={`${c.kind}:${c.uid}`}
                label={translate(
                  c.kind === 'component' ? 'folio.builder.plan.change_component' : 'folio.builder.plan.change_type',
                  { name: nameOf(c.kind, c.uid), change: translate(CHANGE_LABEL[c.change]) },
                )}
                color={c.change === 'delete' ? 'error' : c.change === 'create' ? 'success' : 'default'}
                variant="outlined"
                size="small"
              />
            ))}
          </Box>
        ) : null}
        {plan.noop ? <Alert severity="info">{translate('folio.builder.plan.noop')}</Alert> : null}
        {!plan.noop && plan.steps.every(isLayoutStep) ? (
          <Alert severity="info">{translate('folio.builder.plan.no_table_change')}</Alert>
        ) : null}
        {blocked ? (
          <Alert severity="error" sx={{ mb: 2 }}>
            {translate('folio.builder.plan.blocked', { reasons: plan.blocked.join('; ') })}
          </Alert>
        ) : null}
        {destructive ? (
          <Alert severity="error" sx={{ mb: 2 }} role="alert">
            {translate('folio.builder.plan.destructive', {
              smart_count: plan.destructive.length,
              what: plan.destructive
                .map((s) => `${where(s)} (${translate('folio.builder.plan.rows', { smart_count: s.rowsAtStake })})`)
                .join(', '),
            })}
          </Alert>
        ) : null}
        {plan.steps.length > 0 ? (
          <>
            <Typography variant="subtitle2" component="h3">
              {translate('folio.builder.plan.steps')}
            </Typography>
            <List dense aria-label={translate('folio.builder.plan.steps_list')}>
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
                      <WarningAmberIcon color="error" titleAccess={translate('folio.builder.plan.loses')} />
                    ) : isLayoutStep(step) ? (
                      <ViewQuiltIcon color="action" titleAccess={translate('folio.builder.plan.no_database_change')} />
                    ) : (
                      <CheckCircleOutlineIcon color="success" titleAccess={translate('folio.builder.plan.keeps')} />
                    )}
                  </ListItemIcon>
                  <ListItemText
                    primary={step.description}
                    secondary={
                      step.destructive
                        ? translate('folio.builder.plan.loses_rows', {
                            smart_count: step.rowsAtStake,
                            where: where(step),
                          })
                        : undefined
                    }
                    slotProps={{ secondary: { color: 'error' } }}
                  />
                </ListItem>
              ))}
            </List>
          </>
        ) : null}
        {plan.suggested.length > 0 ? (
          <Box sx={{ mt: 1 }}>
            <Typography variant="subtitle2" component="h3">
              {translate('folio.builder.plan.suggested')}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('folio.builder.plan.suggested_why')}
            </Typography>
            <List dense aria-label={translate('folio.builder.plan.suggested_list')}>
              {plan.suggested.map((step, i) => (
                <ListItem key={i}>
                  <ListItemText primary={step.description} />
                </ListItem>
              ))}
            </List>
            <FormControlLabel
              control={<Checkbox checked={acceptSuggested} onChange={(e) => setAcceptSuggested(e.target.checked)} />}
              label={translate('folio.builder.plan.accept_suggested')}
            />
          </Box>
        ) : null}
        {destructive ? (
          <FormControlLabel
            control={<Checkbox checked={understood} onChange={(e) => setUnderstood(e.target.checked)} color="error" />}
            label={translate('folio.builder.plan.understood')}
          />
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} disabled={applying}>
          {translate('folio.builder.cancel')}
        </Button>
        <Button
          variant="contained"
          color={destructive ? 'error' : 'primary'}
          disabled={applying || blocked || (plan.noop && !acceptSuggested) || (destructive && !understood)}
          onClick={() => onConfirm(destructive && understood, acceptSuggested)}
          startIcon={applying ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {translate(destructive ? 'folio.builder.plan.apply_destructive' : 'folio.builder.plan.apply')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
