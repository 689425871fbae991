// Crop, rotate and focal point of an image. Nothing here changes the original: the server makes the
// file's formats anew from it (PUT /admin-api/upload/files/:id/edit), so "Undo all edits" is always
// possible. The crop is in pixels of the original once rotated (what react-easy-crop reports); the
// focal point in 0..1 of the cropped picture, picked on a preview of that picture.
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import Cropper, { type Area } from 'react-easy-crop';
import { useNotify, useTranslate } from 'react-admin';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Slider,
  Stack,
  Tab,
  Tabs,
  ToggleButton,
  ToggleButtonGroup,
  Tooltip,
  Typography,
} from '@mui/material';
import RotateLeftIcon from '@mui/icons-material/RotateLeft';
import RotateRightIcon from '@mui/icons-material/RotateRight';
import { editImage, type CropRect, type ImageEdit, type MediaFile } from './api';

type Rotation = ImageEdit['rotation'];
type Point = { x: number; y: number };

const ASPECTS: ReadonlyArray<readonly [label: string, ratio: number]> = [
  ['1:1', 1],
  ['4:3', 4 / 3],
  ['3:2', 3 / 2],
  ['16:9', 16 / 9],
];
/** How large the focal point's preview is drawn. */
const PREVIEW = { width: 560, height: 360 };
const CROPPER_HEIGHT = 360;

/**
 * The zoom at which the turned picture fits the cropper whole. react-easy-crop fits the picture
 * unturned (its `shown` size): a quarter turn of a wide picture overflows the frame at zoom 1.
 */
function fitZoom(shown: { width: number; height: number } | null, frameWidth: number, rotation: Rotation): number {
  if (!shown || rotation % 180 === 0) return 1;
  return Math.min(1, frameWidth / shown.height, CROPPER_HEIGHT / shown.width);
}

/** The original's size once turned. */
function turnedSize(file: MediaFile, rotation: Rotation): { width: number; height: number } {
  const width = file.width ?? 1;
  const height = file.height ?? 1;
  return rotation % 180 === 0 ? { width, height } : { width: height, height: width };
}

/** The crop to store: none when it keeps (within rounding) the whole turned picture. */
function cropToStore(area: Area | null, size: { width: number; height: number }): CropRect | null {
  if (!area) return null;
  const whole = area.x <= 1 && area.y <= 1 && area.width >= size.width - 2 && area.height >= size.height - 2;
  if (whole) return null;
  const x = Math.max(0, Math.round(area.x));
  const y = Math.max(0, Math.round(area.y));
  return {
    x,
    y,
    width: Math.min(size.width - x, Math.round(area.width)),
    height: Math.min(size.height - y, Math.round(area.height)),
  };
}

/** Draws the picture the edit makes (turned, cut) on `canvas`, fitted to the preview. */
function drawEdited(canvas: HTMLCanvasElement, image: HTMLImageElement, rotation: Rotation, crop: CropRect) {
  const scale = Math.min(PREVIEW.width / crop.width, PREVIEW.height / crop.height, 1);
  canvas.width = Math.max(1, Math.round(crop.width * scale));
  canvas.height = Math.max(1, Math.round(crop.height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const turned = rotation % 180 === 0;
  const width = turned ? image.naturalWidth : image.naturalHeight;
  const height = turned ? image.naturalHeight : image.naturalWidth;
  ctx.scale(scale, scale);
  ctx.translate(-crop.x, -crop.y);
  ctx.translate(width / 2, height / 2);
  ctx.rotate((rotation * Math.PI) / 180);
  ctx.drawImage(image, -image.naturalWidth / 2, -image.naturalHeight / 2);
}

function FocalPicker({
  file,
  rotation,
  crop,
  focal,
  onChange,
}: {
  file: MediaFile;
  rotation: Rotation;
  crop: CropRect;
  focal: Point | null;
  onChange: (focal: Point) => void;
}) {
  const translate = useTranslate();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const image = new Image();
    image.onload = () => canvas.current && drawEdited(canvas.current, image, rotation, crop);
    image.src = file.url;
  }, [file.url, rotation, crop]);
  const pick = (event: MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const at = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
    onChange({ x: at((event.clientX - box.left) / box.width), y: at((event.clientY - box.top) / box.height) });
  };
  return (
    <Box sx={{ position: 'relative', display: 'inline-block', lineHeight: 0 }}>
      <canvas
        ref={canvas}
        onClick={pick}
        data-testid="focal-point-picture"
        style={{ cursor: 'crosshair', maxWidth: '100%' }}
      />
      {focal ? (
        <Box
          role="img"
          aria-label={translate('folio.media.edit.focal_marker')}
          sx={{
            position: 'absolute',
            left: `${focal.x * 100}%`,
            top: `${focal.y * 100}%`,
            width: 24,
            height: 24,
            transform: 'translate(-50%, -50%)',
            border: '3px solid white',
            borderRadius: '50%',
            boxShadow: '0 0 0 2px rgba(0,0,0,0.6)',
            pointerEvents: 'none',
          }}
        />
      ) : null}
    </Box>
  );
}

export function ImageEditDialog({
  file,
  onClose,
  onSaved,
}: {
  file: MediaFile;
  onClose: () => void;
  onSaved: (file: MediaFile) => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const [tab, setTab] = useState<'crop' | 'focal'>('crop');
  const [rotation, setRotation] = useState<Rotation>(file.rotation ?? 0);
  const [position, setPosition] = useState<Point>({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const [area, setArea] = useState<Area | null>(file.crop ?? null);
  // Whether the editor chose a crop. react-easy-crop fits the picture unturned, so after a quarter
  // turn its first area covers only part of a tall picture: until the editor moves, zooms or picks
  // a shape, the whole turned picture is kept.
  const [cropped, setCropped] = useState(Boolean(file.crop));
  const [focal, setFocal] = useState<Point | null>(file.focalPoint ?? null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<{ width: number; height: number } | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const minZoomOf = (turn: Rotation) => fitZoom(shown, frame.current?.clientWidth ?? PREVIEW.width, turn);
  const minZoom = minZoomOf(rotation);
  const size = turnedSize(file, rotation);
  const [aspect, setAspect] = useState(() =>
    file.crop ? file.crop.width / file.crop.height : size.width / size.height,
  );
  const crop = cropped ? cropToStore(area, size) : null;

  const turn = (by: 90 | -90) => {
    const next = (((rotation + by) % 360) + 360) % 360;
    setRotation(next as Rotation);
    // The whole turned picture, until the cropper reports the new area.
    const turned = turnedSize(file, next as Rotation);
    setAspect(turned.width / turned.height);
    setArea(null);
    setCropped(false);
    setZoom(minZoomOf(next as Rotation));
  };

  const save = async (edit: ImageEdit) => {
    setBusy(true);
    try {
      const saved = await editImage(file.id, edit);
      notify('folio.media.edit.saved', { type: 'success' });
      onSaved(saved);
      onClose();
    } catch (err) {
      notify('folio.media.edit.failed', {
        type: 'error',
        messageArgs: { message: err instanceof Error ? err.message : String(err) },
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth aria-labelledby="image-edit-title">
      <DialogTitle id="image-edit-title">{translate('folio.media.edit.title')}</DialogTitle>
      <DialogContent>
        <Tabs value={tab} onChange={(_e, value: 'crop' | 'focal') => setTab(value)} sx={{ mb: 2 }}>
          <Tab value="crop" label={translate('folio.media.edit.crop_tab')} />
          <Tab value="focal" label={translate('folio.media.edit.focal_tab')} />
        </Tabs>
        {tab === 'crop' ? (
          <>
            <Box
              ref={frame}
              sx={{ position: 'relative', height: CROPPER_HEIGHT, bgcolor: 'grey.900', borderRadius: 1 }}
            >
              <Cropper
                image={file.url}
                crop={position}
                zoom={Math.max(zoom, minZoom)}
                minZoom={minZoom}
                onMediaLoaded={(media) => setShown({ width: media.width, height: media.height })}
                rotation={rotation}
                aspect={aspect}
                onCropChange={setPosition}
                onZoomChange={setZoom}
                onCropComplete={(_percent, pixels) => setArea(pixels)}
                onInteractionStart={() => setCropped(true)}
                initialCroppedAreaPixels={area ?? undefined}
              />
            </Box>
            <Stack direction="row" spacing={2} useFlexGap sx={{ mt: 2, alignItems: 'center', flexWrap: 'wrap' }}>
              <Tooltip title={translate('folio.media.edit.rotate_left')}>
                <IconButton aria-label={translate('folio.media.edit.rotate_left')} onClick={() => turn(-90)}>
                  <RotateLeftIcon />
                </IconButton>
              </Tooltip>
              <Tooltip title={translate('folio.media.edit.rotate_right')}>
                <IconButton aria-label={translate('folio.media.edit.rotate_right')} onClick={() => turn(90)}>
                  <RotateRightIcon />
                </IconButton>
              </Tooltip>
              <Box sx={{ flex: '1 1 160px', px: 1 }}>
                <Typography variant="caption">{translate('folio.media.edit.zoom')}</Typography>
                <Slider
                  min={minZoom}
                  max={3}
                  step={0.01}
                  value={Math.max(zoom, minZoom)}
                  onChange={(_e, value) => {
                    setZoom(value);
                    setCropped(true);
                  }}
                  aria-label={translate('folio.media.edit.zoom')}
                  size="small"
                />
              </Box>
              <ToggleButtonGroup
                size="small"
                exclusive
                value={aspect}
                onChange={(_e, value: number | null) => {
                  if (!value) return;
                  setAspect(value);
                  setCropped(true);
                }}
                aria-label={translate('folio.media.edit.aspect')}
                sx={{ flexWrap: 'wrap' }}
              >
                <ToggleButton value={size.width / size.height}>
                  {translate('folio.media.edit.aspect_free')}
                </ToggleButton>
                {ASPECTS.map(([label, ratio]) => (
                  <ToggleButton key={label} value={ratio}>
                    {label}
                  </ToggleButton>
                ))}
              </ToggleButtonGroup>
            </Stack>
          </>
        ) : (
          <Stack spacing={1.5} sx={{ alignItems: 'flex-start' }}>
            <Typography variant="body2">{translate('folio.media.edit.focal_hint')}</Typography>
            <FocalPicker
              file={file}
              rotation={rotation}
              crop={crop ?? { x: 0, y: 0, ...size }}
              focal={focal}
              onChange={setFocal}
            />
            {focal ? (
              <Button size="small" onClick={() => setFocal(null)}>
                {translate('folio.media.edit.focal_clear')}
              </Button>
            ) : (
              <Typography variant="caption" color="text.secondary">
                {translate('folio.media.edit.focal_none')}
              </Typography>
            )}
          </Stack>
        )}
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 2 }}>
          {translate('folio.media.edit.original_kept')}
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button
          onClick={() => void save({ rotation: 0, crop: null, focalPoint: null })}
          disabled={busy}
          sx={{ mr: 'auto' }}
        >
          {translate('folio.media.edit.reset')}
        </Button>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" onClick={() => void save({ rotation, crop, focalPoint: focal })} disabled={busy}>
          {translate('folio.media.edit.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
