"""Case documents: checked on upload (size, type, content), stored encrypted."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from polesocial.privacy.crypto import decrypt_bytes, encrypt_bytes

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Accepted types, recognised by their first bytes (the name and the browser's word are not
# trusted): PDF, PNG, JPEG, and OpenDocument / Office Open XML (zip containers).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/zip": (b"PK\x03\x04",),
}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".odt": "application/zip",
    ".ods": "application/zip",
    ".docx": "application/zip",
    ".xlsx": "application/zip",
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_upload(name: str, data: bytes) -> str:
    """The content type to serve the file with; ValidationError (French) if refused."""
    if not data:
        raise ValidationError("Le fichier est vide.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError("Le fichier dépasse 10 Mo.")
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            "Type de fichier non accepté : PDF, PNG, JPEG, ODT, ODS, DOCX ou XLSX seulement."
        )
    if not data.startswith(SIGNATURES[expected]):
        raise ValidationError("Le contenu du fichier ne correspond pas à son extension.")
    return CONTENT_TYPES[extension]


def store_encrypted(data: bytes) -> str:
    """Save the encrypted bytes under a random name; return that name."""
    name = f"documents/{secrets.token_hex(16)}.bin"
    return default_storage.save(name, ContentFile(encrypt_bytes(data)))


def read_decrypted(storage_name: str) -> bytes:
    with default_storage.open(storage_name, "rb") as handle:
        return decrypt_bytes(handle.read())


def delete_stored(storage_name: str) -> None:
    """Remove a document's encrypted file (retention: the row goes with it)."""
    default_storage.delete(storage_name)
