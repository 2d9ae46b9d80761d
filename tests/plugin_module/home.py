from logistics.modules import Figure, Row, Section


def sections(user, now):
    rows = [Row(url="/library/", title="Return 3 overdue books", badges=[("Late", "b-overdue")], meta=["图书室"])]
    return [Section(key="library_returns", title="Books to take back", rows=rows, decision=True, order=5),
            Section(key="library_empty", title="Nothing here", rows=[])]


def figures(term):
    return [Figure("library.loans", "books lent", 42, chapter="library")]
