// Wire round trips and validation tests.
