from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files (collectstatic must have run: make run does it). A file that
    is collected but missing from an older manifest is hashed on the fly instead of failing the page."""

    manifest_strict = False
