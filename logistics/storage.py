from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; a file missing from the manifest is served by its plain name
    instead of failing the page (e.g. a page rendered before collectstatic ran)."""

    manifest_strict = False
