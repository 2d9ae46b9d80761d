"""A module made only to show the contract: one home section and one menu entry, declared on its AppConfig.

Adding it to a school is a change inside this package plus INSTALLED_APPS and urls.py, nothing in
the kernel (see tests/architecture/test_module_contract.py)."""
