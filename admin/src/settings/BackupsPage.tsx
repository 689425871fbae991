// Settings › Backups (Super Admins): download an export, import an uploaded archive
// (/admin-api/backups, docs/backups.md). While either runs, the page polls the server's progress;
// the upload's own progress comes from XMLHttpRequest. After an import it shows the summary, with
// what must be issued again when the archive was made under another FOLIO_SECRET.
import { useEffect, useState, type ChangeEvent } from 'react';
import { Authenticated, Title, usePermissions, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  FormControlLabel,
  FormGroup,
  FormLabel,
  LinearProgress,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { abilityOf, type Permission } from '../authProvider';
import { API_ROOT } from '../dataProvider';
import { api, currentCsrfToken, httpError } from '../http';

const PARTS = ['content', 'media', 'settings', 'users'] as const;
type Part = (typeof PARTS)[number];
/** What the Admin API asks to be typed before a replacing import (server/routes/admin-api/backups.ts). */
const CONFIRMATION = 'REPLACE';

interface Named {
  id: number;
  name: string;
}

export interface ImportSummary {
  parts: Part[];
  rows: number;
  files: number;
  source: { folioVersion: string; dialect: string; createdAt: string };
  reissue: { tokens: Named[]; webhooks: Named[] };
  rekeyed: { webhooks: Named[] };
  droppedRoleLinks: Array<{ userId: number; code: string }>;
}

interface BackupRun {
  kind: 'export' | 'import';
  phase: 'checking' | 'export' | 'import';
  done: number;
  total: number;
}

/** The server's progress, polled every second while `active`. */
function useBackupProgress(active: boolean): BackupRun | null {
  const [run, setRun] = useState<BackupRun | null>(null);
  useEffect(() => {
    if (!active) {
      setRun(null);
      return undefined;
    }
    let stopped = false;
    const poll = async () => {
      try {
        const { json } = await api<{ data: BackupRun | null }>(`${API_ROOT}/backups/progress`);
        if (!stopped) setRun(json.data);
      } catch {
        // A failed poll shows nothing new; the request itself reports what went wrong.
      }
    };
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active]);
  return run;
}

/** The file name the server gave the download (Content-Disposition), or a default. */
function fileNameOf(response: Response): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '');
  return match?.[1] ?? 'folio-backup.tar.gz';
}

async function downloadExport(body: object): Promise<void> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const csrf = currentCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const response = await fetch(`${API_ROOT}/backups/export`, {
    method: 'POST',
    credentials: 'same-origin',
    headers,
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const json: unknown = await response.json().catch(() => undefined);
    throw httpError(response.status, response.statusText, json);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response);
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: the browser reads the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A multipart POST through XMLHttpRequest, whose upload progress fetch cannot report. */
function uploadImport(form: FormData, onProgress: (fraction: number) => void): Promise<ImportSummary> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_ROOT}/backups/import`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = currentCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let json: unknown;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        json = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve((json as { data: ImportSummary }).data);
      else reject(httpError(xhr.status, xhr.statusText, json));
    };
    xhr.onerror = () => reject(new Error('The server could not be reached'));
    xhr.send(form);
  });
}

function ProgressLine({ run, upload }: { run: BackupRun | null; upload?: number }) {
  const translate = useTranslate();
  if (upload !== undefined && upload < 1)
    return (
      <Box sx={{ my: 2 }}>
        <Typography variant="body2">
          {translate('folio.backups.uploading', { percent: Math.round(upload * 100) })}
        </Typography>
        <LinearProgress variant="determinate" value={upload * 100} />
      </Box>
    );
  const counted = run !== null && run.phase !== 'checking' && run.total > 0;
  const label =
    run?.phase === 'checking'
      ? translate('folio.backups.checking')
      : run?.kind === 'import' && counted
        ? translate('folio.backups.importing', { done: run.done, total: run.total })
        : translate(run?.kind === 'import' ? 'folio.backups.checking' : 'folio.backups.exporting');
  return (
    <Box sx={{ my: 2 }} role="status">
      <Typography variant="body2">{label}</Typography>
      {counted ? (
        <LinearProgress variant="determinate" value={Math.min(100, (run.done / run.total) * 100)} />
      ) : (
        <LinearProgress />
      )}
    </Box>
  );
}

function ExportCard() {
  const translate = useTranslate();
  const [parts, setParts] = useState<Set<Part>>(new Set(['content', 'media', 'settings']));
  const [webhookSecrets, setWebhookSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const run = useBackupProgress(running);

  const toggle = (part: Part) => (event: ChangeEvent<HTMLInputElement>) =>
    setParts((current) => {
      const next = new Set(current);
      if (event.target.checked) next.add(part);
      else next.delete(part);
      return next;
    });

  const start = async () => {
    setRunning(true);
    setError(null);
    setDone(false);
    try {
      await downloadExport({
        parts: PARTS.filter((p) => parts.has(p)),
        webhookSecrets: parts.has('settings') && webhookSecrets,
        ...(passphrase ? { passphrase } : {}),
      });
      setDone(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Card component="section" aria-labelledby="backup-export-title">
      <CardContent>
        <Typography variant="h6" component="h2" id="backup-export-title" gutterBottom>
          {translate('folio.backups.export_title')}
        </Typography>
        <FormLabel component="legend">{translate('folio.backups.parts_label')}</FormLabel>
        <FormGroup>
          {PARTS.map((part) => (
            <FormControlLabel
              key={part}
              control={<Checkbox checked={parts.has(part)} onChange={toggle(part)} disabled={running} />}
              label={translate(`folio.backups.parts.${part}`)}
            />
          ))}
          <FormControlLabel
            sx={{ ml: 3 }}
            control={
              <Checkbox
                checked={webhookSecrets}
                onChange={(event) => setWebhookSecrets(event.target.checked)}
                disabled={running || !parts.has('settings')}
              />
            }
            label={translate('folio.backups.webhook_secrets')}
          />
        </FormGroup>
        <TextField
          type="password"
          label={translate('folio.backups.passphrase')}
          helperText={translate('folio.backups.passphrase_help')}
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
          disabled={running}
          autoComplete="new-password"
          fullWidth
          sx={{ mt: 2, maxWidth: 520 }}
        />
        {running ? <ProgressLine run={run} /> : null}
        {error ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        ) : null}
        {done ? (
          <Alert severity="success" sx={{ mt: 2 }}>
            {translate('folio.backups.downloaded')}
          </Alert>
        ) : null}
        <Stack direction="row" sx={{ justifyContent: 'flex-end', mt: 2 }}>
          <Button variant="contained" disabled={running || parts.size === 0} onClick={() => void start()}>
            {translate('folio.backups.download')}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}

function names(items: Named[]): string {
  return items.map((item) => `${item.name} (#${item.id})`).join(', ');
}

function Summary({ summary }: { summary: ImportSummary }) {
  const translate = useTranslate();
  const { reissue, rekeyed, source } = summary;
  return (
    <Box sx={{ mt: 2 }} aria-label={translate('folio.backups.summary_title')} role="region">
      <Alert severity="success">
        {translate('folio.backups.summary', {
          rows: summary.rows,
          files: summary.files,
          parts: summary.parts.join(', '),
          version: source.folioVersion,
          dialect: source.dialect,
          createdAt: new Date(source.createdAt).toLocaleString(),
        })}
      </Alert>
      {rekeyed.webhooks.length > 0 ? (
        <Alert severity="info" sx={{ mt: 1 }}>
          {translate('folio.backups.rekeyed', { names: names(rekeyed.webhooks) })}
        </Alert>
      ) : null}
      {reissue.tokens.length > 0 || reissue.webhooks.length > 0 ? (
        <Alert severity="warning" sx={{ mt: 1 }}>
          <Typography variant="body2">{translate('folio.backups.reissue_intro')}</Typography>
          {reissue.tokens.length > 0 ? (
            <Typography variant="body2">
              <RouterLink to="/api-tokens">
                {translate('folio.backups.reissue_tokens', { names: names(reissue.tokens) })}
              </RouterLink>
            </Typography>
          ) : null}
          {reissue.webhooks.length > 0 ? (
            <Typography variant="body2">
              <RouterLink to="/webhooks">
                {translate('folio.backups.reissue_webhooks', { names: names(reissue.webhooks) })}
              </RouterLink>
            </Typography>
          ) : null}
        </Alert>
      ) : null}
      {summary.droppedRoleLinks.length > 0 ? (
        <Alert severity="warning" sx={{ mt: 1 }}>
          {translate('folio.backups.dropped_roles', {
            links: summary.droppedRoleLinks.map((link) => `#${link.userId} (${link.code})`).join(', '),
          })}
        </Alert>
      ) : null}
      {summary.parts.includes('users') ? (
        <Alert
          severity="info"
          sx={{ mt: 1 }}
          action={
            <Button color="inherit" size="small" href="/admin/login">
              {translate('folio.backups.sign_in')}
            </Button>
          }
        >
          {translate('folio.backups.signed_out')}
        </Alert>
      ) : null}
    </Box>
  );
}

function ImportCard() {
  const translate = useTranslate();
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [sourceSecret, setSourceSecret] = useState('');
  const [running, setRunning] = useState(false);
  const [upload, setUpload] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const run = useBackupProgress(running && upload >= 1);
  const confirmed = !replace || confirm === CONFIRMATION;

  const start = async () => {
    if (!file) return;
    setRunning(true);
    setUpload(0);
    setError(null);
    setSummary(null);
    const form = new FormData();
    form.append('replace', String(replace));
    if (replace) form.append('confirm', confirm);
    if (passphrase) form.append('passphrase', passphrase);
    if (sourceSecret) form.append('sourceSecret', sourceSecret);
    form.append('archive', file, file.name);
    try {
      setSummary(await uploadImport(form, setUpload));
      setConfirm('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Card component="section" aria-labelledby="backup-import-title" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" component="h2" id="backup-import-title" gutterBottom>
          {translate('folio.backups.import_title')}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2, maxWidth: 760 }}>
          {translate('folio.backups.import_intro')}
        </Typography>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
          <Button variant="outlined" component="label" disabled={running}>
            {translate('folio.backups.choose_file')}
            <input
              hidden
              type="file"
              accept=".gz,.tgz,application/gzip,application/octet-stream"
              aria-label={translate('folio.backups.choose_file')}
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </Button>
          <Typography variant="body2">{file ? file.name : translate('folio.backups.no_file')}</Typography>
        </Stack>
        <FormGroup sx={{ mt: 2 }}>
          <FormControlLabel
            control={
              <Checkbox checked={replace} onChange={(event) => setReplace(event.target.checked)} disabled={running} />
            }
            label={translate('folio.backups.replace')}
          />
          <Typography variant="caption" color="text.secondary" sx={{ maxWidth: 760 }}>
            {translate('folio.backups.replace_help')}
          </Typography>
        </FormGroup>
        {replace ? (
          <TextField
            label={translate('folio.backups.confirm', { word: CONFIRMATION })}
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            disabled={running}
            autoComplete="off"
            sx={{ mt: 2, maxWidth: 520 }}
            fullWidth
          />
        ) : null}
        <Stack spacing={2} sx={{ mt: 2, maxWidth: 520 }}>
          <TextField
            type="password"
            label={translate('folio.backups.import_passphrase')}
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
            disabled={running}
            autoComplete="off"
          />
          <TextField
            type="password"
            label={translate('folio.backups.source_secret')}
            helperText={translate('folio.backups.source_secret_help')}
            value={sourceSecret}
            onChange={(event) => setSourceSecret(event.target.value)}
            disabled={running}
            autoComplete="off"
          />
        </Stack>
        {running ? <ProgressLine run={run} upload={upload} /> : null}
        {error ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        ) : null}
        {summary ? <Summary summary={summary} /> : null}
        <Stack direction="row" sx={{ justifyContent: 'flex-end', mt: 2 }}>
          <Button
            variant="contained"
            color={replace ? 'error' : 'primary'}
            disabled={running || !file || !confirmed}
            onClick={() => void start()}
          >
            {translate('folio.backups.import')}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}

export function BackupsPage() {
  const translate = useTranslate();
  const { permissions } = usePermissions<Permission[]>();
  const allowed = permissions === undefined ? undefined : abilityOf(permissions).can('manage', 'all');
  return (
    <Authenticated>
      <Box sx={{ py: 2 }}>
        <Title title="folio.backups.title" />
        <Typography variant="h6" component="h1" gutterBottom>
          {translate('folio.backups.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2, maxWidth: 760 }}>
          {translate('folio.backups.intro')}
        </Typography>
        {allowed === false ? <Alert severity="info">{translate('folio.backups.super_admin_only')}</Alert> : null}
        {allowed ? (
          <>
            <ExportCard />
            <ImportCard />
          </>
        ) : null}
      </Box>
    </Authenticated>
  );
}
