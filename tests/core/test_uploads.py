"""Uploads (scans and photos): accepted when content, end and file name agree; served with the content type their
bytes were validated as, ``nosniff``, inline only for PDF and images, under a name the app makes."""

import re

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from chumchon.core import uploads

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 a photo \xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR a picture \x00\x00\x00\x00IEND\xaeB`\x82"
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def _clean(name: str, content: bytes):
    return uploads.clean_upload(SimpleUploadedFile(name, content), "ไฟล์รายงานการประชุม", "the minutes")


@pytest.mark.parametrize(("name", "content"), [
    ("minutes.pdf", PDF), ("รายงาน.PDF", PDF), ("scan.jpg", JPEG), ("scan.jpeg", JPEG), ("photo.png", PNG),
    ("minutes.pdf", PDF + b"\n" * 200),  # a few bytes after %%EOF, as some scanners write
])
def test_a_scan_whose_content_end_and_name_agree_is_accepted(name, content):
    assert _clean(name, content).name == name


@pytest.mark.parametrize(("name", "content", "code", "th", "en"), [
    # the reviewer's file: a web page that starts like a PDF, named .html
    ("minutes.html", POLYGLOT, "file_name", "ชื่อไฟล์รายงานการประชุมต้องลงท้ายด้วย .pdf",
     "the file name of the minutes must end in .pdf"),
    ("minutes.pdf", POLYGLOT, "file_incomplete", "ไฟล์รายงานการประชุมเป็นไฟล์ PDF ที่ไม่สมบูรณ์ (ไม่มี %%EOF ท้ายไฟล์)",
     "the minutes is an incomplete PDF file (no %%EOF at its end)"),
    ("photo.png", PNG[:-12], "file_incomplete", "ไม่มี IEND ท้ายไฟล์", "no IEND at its end"),
    ("scan.png", JPEG, "file_name", "ต้องลงท้ายด้วย .jpg หรือ .jpeg", "must end in .jpg or .jpeg"),
    ("minutes", PDF, "file_name", "ไม่มีนามสกุล", "has no extension"),
    ("minutes.pdf.html", PDF, "file_name", "ลงท้ายด้วย \".html\"", "ends in \".html\""),
    ("m.exe", b"MZ....", "file_type", "ไฟล์รายงานการประชุมต้องเป็นไฟล์ JPEG, PNG หรือ PDF",
     "the minutes must be a JPEG, PNG or PDF file"),
    ("page.pdf", b"<html>%PDF-1.4 %%EOF", "file_type", "ต้องเป็นไฟล์ JPEG, PNG หรือ PDF", "JPEG, PNG or PDF"),
])
def test_a_file_that_is_not_what_it_says_is_refused_naming_the_field(name, content, code, th, en):
    with pytest.raises(forms.ValidationError) as refused:
        _clean(name, content)
    message = refused.value.messages[0]
    assert refused.value.code == code
    assert th in message and en in message and message.index(th) < message.index(en)  # Thai first


def test_a_file_over_10_mb_is_refused():
    with pytest.raises(forms.ValidationError) as refused:
        _clean("big.pdf", b"%PDF-1.4\n" + b"0" * uploads.MAX_UPLOAD + b"\n%%EOF")
    assert refused.value.code == "file_size" and "10 MB" in refused.value.messages[0]


def test_nothing_uploaded_is_nothing_to_check():
    assert uploads.clean_upload(None, "ไฟล์", "the file") is None


class _Stored:
    """A FileField's file as the views have it: a name in a storage."""

    def __init__(self, storage, name, content: bytes):
        self.storage = storage
        self.name = storage.save(name, ContentFile(content))


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path)


def _served(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(("stored_as", "content", "content_type", "name"), [
    ("minutes.pdf", PDF, "application/pdf", "minutes-CC-1-20240505.pdf"),
    ("minutes.html", PDF, "application/pdf", "minutes-CC-1-20240505.pdf"),  # the name it was stored under: ignored
    ("photo.JPG", JPEG, "image/jpeg", "minutes-CC-1-20240505.jpg"),
    ("photo.png", PNG, "image/png", "minutes-CC-1-20240505.png"),
])
def test_a_valid_upload_is_served_inline_with_its_validated_type(storage, stored_as, content, content_type, name):
    response = uploads.serve_upload(_Stored(storage, stored_as, content), "minutes-CC-1-20240505")
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    assert _served(response) == content


def test_a_stored_file_that_fails_the_checks_is_only_ever_a_download(storage):
    """One saved before the checks were tightened (the reviewer's polyglot): never text/html, never inline."""
    response = uploads.serve_upload(_Stored(storage, "minutes.html", POLYGLOT), "minutes-CC-1-20240505")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="minutes-CC-1-20240505.bin"'
    assert _served(response) == POLYGLOT


def test_the_served_name_is_made_safe(storage):
    response = uploads.serve_upload(_Stored(storage, "x.pdf", PDF), 'minutes-"สภา"\r\n; x=1/../')
    assert re.fullmatch(r'inline; filename="minutes-[A-Za-z0-9_-]+\.pdf"', response["Content-Disposition"])


def test_a_missing_file_is_not_found(storage):
    stored = _Stored(storage, "x.pdf", PDF)
    storage.delete(stored.name)
    with pytest.raises(Http404):
        uploads.serve_upload(stored, "minutes")
