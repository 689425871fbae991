// Settings › Performance: the query advisor (GET /admin-api/performance/shapes). The list reads this
// server instance answered, by shape, slowest first: their traffic, p50/p99, the database's plan in
// words and the index that would serve them. "Add index" (POST /admin-api/performance/indexes, after
// a confirmation) builds it through the schema apply; the shape then shows its timings before and
// after.
import { useCallback, useEffect, useState } from 'react';
import { Authenticated, Confirm, Title, useCanAccess, useNotify, useTranslate } from 'react-admin';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { API_ROOT } from '../dataProvider';
import { api } from '../http';

interface Timings {
  count: number;
  p50: number | null;
  p99: number | null;
}

interface Shape extends Timings {
  id: string;
  key: string;
  type: string;
  lastSeen: string;
  plan: { words: string; sorts: boolean; fullScan: boolean; examined: number | null; returned: number } | null;
  suggestion: { type: string; attributes: string[] } | null;
  before: (Timings & { appliedAt: string; attributes: string[] }) | null;
}

interface Answer {
  data: Shape[];
  meta: { enabled: boolean; slowMs: number };
}

const ms = (value: number | null) => (value === null ? '–' : `${value} ms`);

/** The shapes, and reload() to ask again. */
function useShapes(): { answer?: Answer; error?: Error; reload: () => void } {
  const [state, setState] = useState<{ answer?: Answer; error?: Error }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    api<Answer>(`${API_ROOT}/performance/shapes`, { signal: controller.signal }).then(
      ({ json }) => setState({ answer: json }),
      (error: unknown) =>
        !controller.signal.aborted && setState({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => controller.abort();
  }, [round]);
  return { ...state, reload: useCallback(() => setRound((r) => r + 1), []) };
}

function BeforeAfter({ shape }: { shape: Shape }) {
  const translate = useTranslate();
  if (!shape.before) return null;
  return (
    <Typography variant="body2" data-testid="before-after">
      {translate('folio.performance.before_after', {
        index: shape.before.attributes.join(', '),
        before: `${ms(shape.before.p50)} / ${ms(shape.before.p99)} (${shape.before.count})`,
        after: `${ms(shape.p50)} / ${ms(shape.p99)} (${shape.count})`,
      })}
    </Typography>
  );
}

export function PerformancePage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { canAccess: canApply } = useCanAccess({ resource: 'content-type-builder', action: 'update' });
  const { answer, error, reload } = useShapes();
  // The suggestion being confirmed stays set while the dialog fades out (its text would go blank).
  const [target, setTarget] = useState<Shape['suggestion']>(null);
  const [confirming, setConfirming] = useState(false);
  const [applying, setApplying] = useState(false);
  const confirm = (suggestion: Shape['suggestion']) => {
    setTarget(suggestion);
    setConfirming(true);
  };

  const apply = async () => {
    const suggestion = target;
    if (!suggestion) return;
    setApplying(true);
    try {
      await api(`${API_ROOT}/performance/indexes`, { method: 'POST', body: suggestion });
      notify('folio.performance.applied', { type: 'success' });
      reload();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setApplying(false);
      setConfirming(false);
    }
  };

  return (
    <Authenticated>
      <Title title="folio.performance.title" />
      <Card sx={{ mt: 2 }}>
        <CardContent>
          <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', mb: 2 }}>
            <Typography variant="body2" color="text.secondary">
              {translate('folio.performance.intro', { slowMs: answer?.meta.slowMs ?? '' })}
            </Typography>
            <Button onClick={reload}>{translate('folio.performance.refresh')}</Button>
          </Stack>
          {error ? <Alert severity="error">{error.message}</Alert> : null}
          {!answer && !error ? <LinearProgress /> : null}
          {answer && !answer.meta.enabled ? (
            <Alert severity="info">{translate('folio.performance.disabled')}</Alert>
          ) : null}
          {answer?.meta.enabled && answer.data.length === 0 ? (
            <Typography>{translate('folio.performance.empty')}</Typography>
          ) : null}
          {answer && answer.data.length > 0 ? (
            <TableContainer>
              <Table size="small" aria-label={translate('folio.performance.title')}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('folio.performance.shape')}</TableCell>
                    <TableCell align="right">{translate('folio.performance.reads')}</TableCell>
                    <TableCell align="right">p50</TableCell>
                    <TableCell align="right">p99</TableCell>
                    <TableCell>{translate('folio.performance.plan')}</TableCell>
                    <TableCell>{translate('folio.performance.suggestion')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {answer.data.map((shape) => (
                    <TableRow key={shape.id} data-shape={shape.key}>
                      <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all', minWidth: 220, maxWidth: 360 }}>
                        {shape.key}
                      </TableCell>
                      <TableCell align="right">{shape.count}</TableCell>
                      <TableCell align="right">{ms(shape.p50)}</TableCell>
                      <TableCell align="right">{ms(shape.p99)}</TableCell>
                      <TableCell>
                        {shape.plan?.words ?? translate('folio.performance.no_plan')}
                        <BeforeAfter shape={shape} />
                      </TableCell>
                      <TableCell>
                        {shape.suggestion ? (
                          <Box>
                            <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
                              {JSON.stringify({ attributes: shape.suggestion.attributes })}
                            </Typography>
                            {canApply ? (
                              <Button size="small" variant="outlined" onClick={() => confirm(shape.suggestion)}>
                                {translate('folio.performance.add_index')}
                              </Button>
                            ) : null}
                          </Box>
                        ) : (
                          '–'
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          ) : null}
        </CardContent>
      </Card>
      <Confirm
        isOpen={confirming}
        loading={applying}
        title="folio.performance.confirm_title"
        content="folio.performance.confirm_content"
        translateOptions={{
          type: target?.type ?? '',
          attributes: target?.attributes.map((a) => JSON.stringify(a)).join(', ') ?? '',
        }}
        confirm="folio.performance.add_index"
        onConfirm={() => void apply()}
        onClose={() => setConfirming(false)}
      />
    </Authenticated>
  );
}
