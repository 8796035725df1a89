"""The self-test (``--self-test REPORT``): checks that this installation really works."""
