"""User uploads (scans and photos: a council's minutes, an organisation's registration papers, a claim's evidence):
what is accepted, and how a stored one is served back.

Accepted, by their content and their name together:

- PDF: starts with ``%PDF-`` and has ``%%EOF`` in its last 1,024 bytes (where PDF readers look for it); a file
  cut short, or a web page that starts like a PDF, is refused;
- JPEG: starts with ``FF D8 FF``; PNG: starts with the PNG signature and has its ``IEND`` chunk in its last 1,024
  bytes;
- the file name must end in an extension of the type its content is (``.pdf``; ``.jpg`` or ``.jpeg``; ``.png``):
  ``minutes.html`` holding a PDF is refused;
- at most 10 MB.

Served (:func:`serve_upload`): with the content type that the same check finds in the stored bytes — never guessed
from the file's name — with ``X-Content-Type-Options: nosniff``, inline only for those types (PDF and images, which
browsers show without running anything of the site's), as a download (``application/octet-stream``) otherwise (a
file stored before these checks that no longer passes them), under a name the app makes (``minutes-CC-1-20240505.pdf``),
never the uploaded one.
"""

from dataclasses import dataclass

from django import forms
from django.http import FileResponse, Http404

MAX_UPLOAD = 10 * 1024 * 1024
TAIL = 1024  # bytes at the end of a file searched for its end marker


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a served file's name gets
    magic: bytes
    end_marker: bytes = b""  # must appear in the last TAIL bytes
    inline: bool = True  # shown in the browser (PDF and images only)


PDF = FileType("PDF", "application/pdf", (".pdf",), b"%PDF-", b"%%EOF")
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff")
PNG = FileType("PNG", "image/png", (".png",), b"\x89PNG\r\n\x1a\n", b"IEND")
SCANS = (JPEG, PNG, PDF)  # a scan or a photo of a paper document
DOWNLOAD = "application/octet-stream"


def _names(types) -> tuple[str, str]:
    """``JPEG, PNG หรือ PDF`` and ``JPEG, PNG or PDF``."""
    labels = [t.label for t in types]
    if len(labels) == 1:
        return labels[0], labels[0]
    head = ", ".join(labels[:-1])
    return f"{head} หรือ {labels[-1]}", f"{head} or {labels[-1]}"


def _extension(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def _head_and_tail(handle) -> tuple[bytes, bytes]:
    handle.seek(0)
    head = handle.read(16)
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - TAIL))
    tail = handle.read(TAIL)
    handle.seek(0)
    return head, tail


def sniff(head: bytes, tail: bytes, types=SCANS) -> FileType | None:
    """The type among ``types`` whose signature ``head`` starts with and whose end marker ``tail`` holds."""
    for kind in types:
        if head.startswith(kind.magic) and (not kind.end_marker or kind.end_marker in tail):
            return kind
    return None


def clean_upload(upload, what_th: str, what_en: str, types=SCANS):
    """``upload`` when it is one of ``types`` (content, end and name agree) and at most 10 MB, else a
    ``ValidationError`` in Thai then English naming the field (``what_th``/``what_en``: ``ไฟล์รายงานการประชุม`` /
    ``the minutes``)."""
    if not upload:
        return upload
    allowed_th, allowed_en = _names(types)
    head, tail = _head_and_tail(upload)
    started = next((t for t in types if head.startswith(t.magic)), None)
    if started is None:
        raise forms.ValidationError(
            f"{what_th}ต้องเป็นไฟล์ {allowed_th} ({what_en} must be a {allowed_en} file)", code="file_type")
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError(f"{what_th}ใหญ่เกิน 10 MB ({what_en} is larger than 10 MB)", code="file_size")
    extension = _extension(getattr(upload, "name", "") or "")
    if extension not in started.extensions:
        shown = extension[:12]
        said_th = f"ลงท้ายด้วย \"{shown}\"" if extension else "ไม่มีนามสกุล"
        said_en = f"ends in \"{shown}\"" if extension else "has no extension"
        raise forms.ValidationError(
            f"ชื่อ{what_th}ต้องลงท้ายด้วย {' หรือ '.join(started.extensions)} เพราะเป็นไฟล์ {started.label} "
            f"แต่ชื่อที่แนบมา{said_th} (the file name of {what_en} must end in {' or '.join(started.extensions)}, "
            f"as it is a {started.label} file, but it {said_en})",
            code="file_name")
    if sniff(head, tail, (started,)) is None:
        marker = started.end_marker.decode()
        raise forms.ValidationError(
            f"{what_th}เป็นไฟล์ {started.label} ที่ไม่สมบูรณ์ (ไม่มี {marker} ท้ายไฟล์): บันทึกหรือสแกนใหม่แล้วแนบอีกครั้ง "
            f"({what_en} is an incomplete {started.label} file (no {marker} at its end): save or scan it again)",
            code="file_incomplete")
    return upload


def stored_type(field_file, types=SCANS) -> FileType | None:
    """The type the stored file's bytes are (the check :func:`clean_upload` made), or None."""
    with field_file.storage.open(field_file.name, "rb") as handle:
        head, tail = _head_and_tail(handle)
    return sniff(head, tail, types)


def safe_name_part(text: str) -> str:
    """ASCII letters, digits, ``-`` and ``_`` only, for a served file's name."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in str(text))[:60] or "file"


def serve_upload(field_file, stem: str, types=SCANS) -> FileResponse:
    """The stored upload with the content type its bytes were validated as, ``nosniff``, inline only for a type
    safe to show (PDF, images) and as a download otherwise, named ``stem`` + the type's extension (``stem`` made
    safe)."""
    try:
        kind = stored_type(field_file, types)
    except FileNotFoundError:
        raise Http404 from None
    name = safe_name_part(stem) + (kind.extensions[0] if kind else ".bin")
    response = FileResponse(field_file.storage.open(field_file.name, "rb"), as_attachment=not (kind and kind.inline),
                            filename=name, content_type=kind.content_type if kind else DOWNLOAD)
    response["X-Content-Type-Options"] = "nosniff"
    return response
