"""Uploads: at most about 40 megapixels, and originals stored without EXIF (GPS)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    image = PILImage.new("RGB", (64, 32), (200, 120, 40))
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show upright
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (40.0, 44.0, 54.0), 3: "W", 4: (73.0, 59.0, 9.0)})
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(admin_client, name: str, content: bytes, kind: str):
    return admin_client.post(
        "/admin/images/add/",
        {"title": name, "file": SimpleUploadedFile(name, content, content_type=kind)},
    )


@pytest.mark.django_db
def test_an_uploaded_photo_is_stored_without_its_exif_and_gps_and_upright(admin_client):
    original = jpeg_with_gps()
    assert PILImage.open(BytesIO(original)).getexif().get_ifd(GPS_IFD)
    response = upload(admin_client, "garden.jpg", original, "image/jpeg")
    assert response.status_code == 302
    image = get_image_model().objects.get(title="garden.jpg")
    with image.open_file() as stored:
        data = stored.read()
    with PILImage.open(BytesIO(data)) as kept:
        assert not kept.getexif() and "exif" not in kept.info
        assert kept.size == (32, 64)  # turned as the orientation said
    assert b"PhoneMaker" not in data
    assert (image.width, image.height) == (32, 64)


@pytest.mark.django_db
def test_an_image_over_40_megapixels_is_refused_however_small_its_file(admin_client):
    out = BytesIO()
    PILImage.new("1", (8000, 5100)).save(out, format="PNG", optimize=True)  # 40.8 MP
    assert len(out.getvalue()) < 200_000
    response = upload(admin_client, "huge.png", out.getvalue(), "image/png")
    assert response.status_code == 200
    assert "pixels" in response.content.decode()
    assert not get_image_model().objects.filter(title="huge.png").exists()
