"""Uploaded images: no more than ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (about 40 megapixels;
Wagtail's own check, in the upload form), and stored without their metadata.

A photo from a phone carries EXIF: where it was taken (GPS), when, on which device. Wagtail
keeps and serves the original as uploaded, so the upload form writes JPEG, PNG and WebP
images again without it (turned upright first, as their EXIF orientation said; the colour
profile kept). Animated images and GIF/AVIF files are stored as uploaded (not re-encoded).
"""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.images.forms import BaseImageForm

REWRITTEN = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def without_metadata(upload) -> SimpleUploadedFile | None:
    """``upload`` written again without EXIF, XMP or text chunks; None when it is of a
    kind left as it is."""
    upload.seek(0)
    with PILImage.open(upload) as image:
        kind = image.format
        if kind not in REWRITTEN or getattr(image, "is_animated", False):
            return None
        upright = ImageOps.exif_transpose(image)
        options = {"icc_profile": image.info["icc_profile"]} if "icc_profile" in image.info else {}
        if kind == "JPEG":
            options["quality"] = 95
            if upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
        out = BytesIO()
        upright.save(out, format=kind, **options)
    return SimpleUploadedFile(upload.name, out.getvalue(), content_type=REWRITTEN[kind])


class MetadataFreeImageForm(BaseImageForm):
    """Wagtail's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``: single and multiple
    upload), storing the original without its metadata."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data and hasattr(upload, "seek"):
            rewritten = without_metadata(upload)
            if rewritten is not None:
                upload.seek(0)
                return rewritten
        return upload
