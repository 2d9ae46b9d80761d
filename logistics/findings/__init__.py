"""Found → fixed → verified (整改闭环), kept once by the kernel for every module.

A module (the canteen's inspections, safety's hazards) raises a finding with its own app label as the
`area` and, optionally, the record it came from as `source`; the responsible person records the fix with
photos; someone other than the one who fixed it verifies it, or sends it back with a comment.

- services: finding_raise, finding_fix, finding_verify, finding_reassign, finding_extend (one atomic move each)
- selectors: open_findings, overdue_findings, findings_for(user), finding_figures(area, term, prefix, chapter)
- pages under /findings/ (namespace "findings"): the list, a finding's page, the printed rectification notice

A module adds to a finding's page through its AppConfig's ``finding_links`` (logistics.modules.Link): records linked
to it (assets: the repairs opened for it) and moves it offers there (safety: "Open a repair" for a hazard); the
kernel names no module. Who reads a finding: view_finding holders, its responsible person, and whoever found it
(read only). A module's own move may raise a finding on its own permission (finding_raise(permission=…), e.g.
safety.report_hazard: anyone reports a hazard, which goes to the safety officer with the school's deadline);
raising by hand on /findings/new/ needs add_finding and view_finding.

Permissions (logistics.add_finding, fix_finding, verify_finding, view_finding) are granted to roles by the
modules (their AppConfig role_grants); the kernel gives only READ_ALL roles their view.
"""
