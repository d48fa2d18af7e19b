"""Photos of activities: checked, cleaned and resized on upload by the news pictures'
code (``news.images``: size limit, decompression-bomb guard, EXIF orientation applied
then every metadata dropped by re-encoding, variants for phones), stored under
``MEDIA_ROOT/work/<year>/<month>/`` with random names.

Not under ``news/``: ``news.views.media`` serves that folder to everyone, and a photo of
an activity can show residents. ``work:photo`` serves these to staff whose area covers
the activity only.
"""

import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.images import delete_files, open_upload, store_picture

#: Photos one activity may have.
MAX_PHOTOS = 4

ERROR_TOO_MANY = _("Mỗi hoạt động có tối đa {max} ảnh; hoạt động này còn chọn được {left} ảnh.")


def new_base_name(now=None, *, folder: str = "work") -> str:
    """``<folder>/<year>/<month>/<random>``: unguessable, never reused (``folder``:
    ``work`` for activities, ``exemplars`` for the "Dân vận khéo" models)."""
    now = timezone.localtime(now)
    return f"{folder}/{now:%Y}/{now:%m}/{secrets.token_hex(8)}"


def check_uploads(uploads, *, already: int, message=ERROR_TOO_MANY) -> list:
    """The decoded pictures of ``uploads``, or a ``ValidationError`` in Vietnamese
    (too many for the activity, or for whatever ``message`` names; too big, not a
    picture ...). Nothing is stored yet."""
    uploads = [u for u in uploads if u]
    left = MAX_PHOTOS - already
    if len(uploads) > left:
        raise ValidationError(message.format(max=MAX_PHOTOS, left=max(left, 0)))
    return [open_upload(upload) for upload in uploads]


def store(picture, *, folder: str = "work") -> dict:
    """Write a checked picture and its smaller copies under ``folder``; the photo
    model's fields (``file``, ``width``, ``height``, ``variants``)."""
    return store_picture(picture, base_name=new_base_name(folder=folder))


def remove(photo) -> None:
    """Delete a photo's files (the picture and its copies)."""
    delete_files(photo)


def variant_name(photo, width: int | None) -> str:
    """The stored file to send for a screen ``width`` px wide: the smallest JPEG copy at
    least that wide, else the picture itself."""
    if width:
        fitting = sorted(
            (v for v in photo.variants or [] if v.get("width", 0) >= width),
            key=lambda v: v["width"],
        )
        if fitting:
            return fitting[0]["jpeg"]
    return photo.file.name
