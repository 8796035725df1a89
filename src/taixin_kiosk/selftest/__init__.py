"""The self-test (``--self-test REPORT``): does this installation really work?"""
