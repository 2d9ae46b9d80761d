"""The safety module's figures for a term (for the term summary's chapter 安全工作 and the dashboards)."""


def term_figures(term):
    return []
