"""The term summary (学期工作总结): every module's figures for a term, chapter by chapter, around the head's words.

- text: figure names quoted in the head's words ({repairs.done}), substituted, never run as a template;
- document: the document's data (collected live, or as signed) and its layout in a language;
- services: the arrangement of chapters, the words, submit / sign off / return;
- export: the PDF (one print base) and the .docx.
The summary knows no module by name: it reads logistics.modules (term_figures, term_charts, term_chapters).
"""
