"""Uploaded news pictures: checked, cleaned and resized with Pillow on upload.

What is kept of an upload: the picture re-encoded as JPEG without its metadata (a
phone photo's EXIF can hold where it was taken), turned upright, at most
``MAX_STORED_SIDE`` px, plus one JPEG and one WebP copy at each of
``news.choices.IMAGE_WIDTHS`` no wider than the picture. Pages then send a phone the
400 px copy and a desktop the 1,200 px one (``<picture>`` with ``srcset``).

Every file gets a random name under ``news/<year>/<month>/``: a URL never changes
meaning, so the files can be cached for a year (``news.views.media``).
"""

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from news.choices import IMAGE_WIDTHS

#: Largest upload accepted, in bytes (setting DANVAN_NEWS_IMAGE_MAX_BYTES, default 8 MB).
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
#: Largest picture accepted, in pixels: a decompression bomb is refused before decoding.
MAX_PIXELS = 40_000_000
#: Longest side of the stored picture.
MAX_STORED_SIDE = 2400
MIN_WIDTH = 200
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
ALLOWED_CONTENT_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}

ERROR_TOO_LARGE = _("Ảnh quá lớn: tối đa {max} MB. Hãy thu nhỏ ảnh rồi tải lên lại.")
ERROR_NOT_IMAGE = _(
    "Tệp này không phải ảnh JPEG, PNG, WebP hoặc GIF, hoặc ảnh đã bị hỏng. "
    "Hãy chọn một tệp ảnh khác."
)
ERROR_TOO_MANY_PIXELS = _("Ảnh có quá nhiều điểm ảnh (tối đa 40 triệu). Hãy thu nhỏ ảnh.")
ERROR_TOO_NARROW = _("Ảnh quá nhỏ: cần rộng ít nhất {min} điểm ảnh.")
ERROR_NO_FILE = _("Chưa chọn tệp ảnh.")

JPEG_OPTIONS = {"format": "JPEG", "quality": 82, "progressive": True, "optimize": True}
WEBP_OPTIONS = {"format": "WEBP", "quality": 78, "method": 4}


def max_bytes() -> int:
    return getattr(settings, "DANVAN_NEWS_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)


def open_upload(upload) -> PILImage.Image:
    """The picture of an uploaded file, decoded, or a ``ValidationError`` in Vietnamese
    (no file, too big, not a picture, a decompression bomb, too narrow)."""
    if upload is None:
        raise ValidationError(ERROR_NO_FILE, code="required")
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(ERROR_TOO_LARGE.format(max=limit // (1024 * 1024)), code="too_large")
    content_type = getattr(upload, "content_type", None)
    if content_type and content_type not in ALLOWED_CONTENT_TYPES:
        raise ValidationError(ERROR_NOT_IMAGE, code="not_image")
    try:
        upload.seek(0)
        picture = PILImage.open(upload)
        if picture.format not in ALLOWED_FORMATS:
            raise ValidationError(ERROR_NOT_IMAGE, code="not_image")
        if picture.width * picture.height > MAX_PIXELS:
            raise ValidationError(ERROR_TOO_MANY_PIXELS, code="too_many_pixels")
        picture.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(ERROR_NOT_IMAGE, code="not_image") from exc
    except PILImage.DecompressionBombError as exc:
        raise ValidationError(ERROR_TOO_MANY_PIXELS, code="too_many_pixels") from exc
    if picture.width < MIN_WIDTH:
        raise ValidationError(ERROR_TOO_NARROW.format(min=MIN_WIDTH), code="too_narrow")
    return picture


def _flatten(picture: PILImage.Image) -> PILImage.Image:
    """Upright RGB: EXIF orientation applied, transparency on white, first frame only."""
    picture = ImageOps.exif_transpose(picture)
    if picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info):
        picture = picture.convert("RGBA")
        background = PILImage.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture.convert("RGB")


def _resized(picture: PILImage.Image, width: int) -> PILImage.Image:
    if width >= picture.width:
        return picture
    height = max(1, round(picture.height * width / picture.width))
    return picture.resize((width, height), PILImage.Resampling.LANCZOS)


def _encode(picture: PILImage.Image, options: dict) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, **options)
    return buffer.getvalue()


def _save(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def new_base_name(now=None) -> str:
    """``news/<year>/<month>/<random>``: unguessable, never reused."""
    now = timezone.localtime(now)
    return f"news/{now:%Y}/{now:%m}/{secrets.token_hex(8)}"


def store_picture(picture: PILImage.Image, *, base_name: str | None = None) -> dict:
    """Write the cleaned picture and its variants; returns the ``Image`` fields
    (``file``, ``width``, ``height``, ``variants``)."""
    base = base_name or new_base_name()
    clean = _flatten(picture)
    if max(clean.size) > MAX_STORED_SIDE:
        clean.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE), PILImage.Resampling.LANCZOS)
    stored = _save(f"{base}.jpg", _encode(clean, JPEG_OPTIONS))
    widths = [w for w in IMAGE_WIDTHS if w <= clean.width] or [clean.width]
    variants = []
    for width in widths:
        copy = _resized(clean, width)
        variants.append(
            {
                "width": copy.width,
                "height": copy.height,
                "jpeg": _save(f"{base}-w{width}.jpg", _encode(copy, JPEG_OPTIONS)),
                "webp": _save(f"{base}-w{width}.webp", _encode(copy, WEBP_OPTIONS)),
            }
        )
    return {"file": stored, "width": clean.width, "height": clean.height, "variants": variants}


def delete_files(image) -> None:
    """Remove an image's files (the stored picture and every variant)."""
    names = [image.file.name] if image.file else []
    for variant in image.variants or []:
        names.extend([variant.get("jpeg"), variant.get("webp")])
    for name in filter(None, names):
        default_storage.delete(name)
