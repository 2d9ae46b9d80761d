"""`manage.py term_summary`: a term's summary as a PDF or a .docx file, as the app prints it."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from logistics.models import Term, TermSummary
from logistics.summary.export import summary_docx, summary_pdf


class Command(BaseCommand):
    help = ("Write a term's summary (学期工作总结) as PDF or .docx: as signed off when it is, else with the figures "
            "as the records are now (a term whose summary is not started prints its figures, no words).")

    def add_arguments(self, parser):
        parser.add_argument("--term", type=int, help="the term's id (default: the current term)")
        parser.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        parser.add_argument("--output", required=True, help="the file to write ('-' for standard output)")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE,
                            choices=[code for code, _name in settings.LANGUAGES])

    def handle(self, *args, **options):
        if options["term"] is not None:
            term = Term.objects.filter(pk=options["term"]).first()
            if term is None:
                known = ", ".join(f"{t.pk} ({t.name})" for t in Term.objects.order_by("-start")[:10])
                raise CommandError(f"No term with id {options['term']}. Terms: {known or 'none yet'}.")
        else:
            term = Term.objects.current()
            if term is None:
                raise CommandError("No terms yet: add one in the admin (Records → Terms) first.")
        summary = TermSummary.objects.filter(term=term).select_related("term").first() or TermSummary(term=term)
        with translation.override(options["language"]):
            content = summary_pdf(summary) if options["format"] == "pdf" else summary_docx(summary)
        if options["output"] == "-":
            self.stdout.buffer.write(content) if hasattr(self.stdout, "buffer") else self.stdout.write(content)
            return
        try:
            Path(options["output"]).write_bytes(content)
        except OSError as e:
            raise CommandError(f"Cannot write {options['output']}: {e.strerror}") from None
        state = summary.get_status_display() if summary.pk else "not started"
        self.stderr.write(f"{term.name} ({state}): {len(content):,} bytes written to {options['output']}")
